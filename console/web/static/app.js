// The console's little JavaScript: live instance rows from server-sent events, and charts.
// Every page works without it; it only keeps the instances table current and draws charts.
(function () {
  "use strict";

  // Instances: the server sends the rendered rows of this page whenever Nomad reports a change.
  var rows = document.getElementById("instance-rows");
  var live = document.getElementById("live");
  if (rows && window.EventSource) {
    var es = new EventSource("/events/instances?page=" + encodeURIComponent(rows.dataset.page || "1"));
    es.addEventListener("instances", function (e) {
      rows.innerHTML = e.data;
      if (live) live.textContent = "Live: updated " + new Date().toLocaleTimeString() + ".";
    });
    es.addEventListener("error", function () {
      if (live) live.textContent = "Live updates paused: reconnecting.";
    });
  }

  // Charts: a figure's series (unix seconds, tokens) is in a JSON script beside it.
  document.querySelectorAll(".chart-area").forEach(function (el) {
    var id = el.id.replace(/-chart$/, "");
    var src = document.getElementById(id + "-data");
    if (!src || !window.uPlot) return;
    var s = JSON.parse(src.textContent);
    if (!s.x || s.x.length === 0) {
      el.textContent = "Nothing charged yet.";
      el.dataset.points = "0";
      return;
    }
    var opts = {
      width: Math.max(320, el.clientWidth || 800), height: 280,
      series: [{}, { label: el.getAttribute("aria-label").split(" over")[0], stroke: "#0b3d5c", width: 2, fill: "rgba(11,61,92,0.1)" }],
      // Earnings and costs are often fractions of a token: uPlot's default ticks round them
      // to "0", so each tick shows three significant digits instead.
      axes: [{}, { label: "DEC2", size: 70, values: function (u, ticks) { return ticks.map(function (v) { return String(+v.toPrecision(3)); }); } }],
    };
    new uPlot(opts, [s.x, s.y], el);
    el.dataset.points = String(s.x.length);
  });
})();
