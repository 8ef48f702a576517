// The region console's sign-in: the browser's wallet (EIP-1193, window.ethereum) shares an
// account and signs the Sign-In with Ethereum message the console fetched for it from
// dec2-identity; the console completes the sign-in and keeps the Nomad token on its side.
// The page handles no key and no token: only the address, the message and the signature.
(function () {
  "use strict";
  var button = document.getElementById("signin");
  var status = document.getElementById("signin-status");
  var error = document.getElementById("signin-error");
  if (!button) return;

  function say(text) { status.textContent = text; }
  function fail(text) {
    say("");
    error.textContent = text;
    error.hidden = false;
    button.disabled = false;
  }

  var wallet = window.ethereum;
  if (!wallet || typeof wallet.request !== "function") {
    fail("No browser wallet found: signing in here needs a wallet extension (EIP-1193, such as MetaMask or Frame) in this browser.");
    button.disabled = true;
    return;
  }
  button.disabled = false;

  // post sends body as JSON to the console and answers its JSON, or throws its error.
  function post(path, body) {
    return fetch(path, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) throw new Error(j.error || ("the console answered " + r.status));
        return j;
      });
    });
  }

  // personal_sign takes the message as 0x-hex of its UTF-8 bytes.
  function hex(text) {
    var out = "0x";
    new TextEncoder().encode(text).forEach(function (b) { out += (b < 16 ? "0" : "") + b.toString(16); });
    return out;
  }

  // A wallet's refusal (EIP-1193 code 4001) is the user's choice, not a fault.
  function reason(e) {
    if (e && e.code === 4001) return "The wallet declined: nothing was signed.";
    return (e && e.message) || String(e);
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    error.hidden = true;
    var address;
    say("Asking your wallet for an account…");
    wallet.request({ method: "eth_requestAccounts" }).then(function (accounts) {
      if (!accounts || accounts.length === 0) throw new Error("The wallet shared no account.");
      address = accounts[0];
      say("Getting a sign-in message for " + address + "…");
      return post("/signin/challenge", { address: address });
    }).then(function (c) {
      say("Sign the message in your wallet…");
      return wallet.request({ method: "personal_sign", params: [hex(c.message), address] }).then(function (signature) {
        say("Checking the signature…");
        return post("/signin", { message: c.message, signature: signature });
      });
    }).then(function (done) {
      say("Signed in as " + done.wallet + ".");
      window.location.assign(done.next);
    }).catch(function (e) { fail(reason(e)); });
  });
})();
