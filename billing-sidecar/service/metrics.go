package service

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dec2-cloud/dec2/metering"
)

type metrics struct {
	reg        *prometheus.Registry
	metered    prometheus.Gauge
	unfinished prometheus.Gauge
	cpu        *prometheus.CounterVec
	mem        *prometheus.CounterVec
	charged    *prometheus.CounterVec
	problems   *prometheus.CounterVec
	events     *prometheus.CounterVec
	settled    prometheus.Counter
	insolvent  prometheus.Counter
	stopped    prometheus.Counter
	// storage
	storageBytes  prometheus.Gauge
	storageUnpaid prometheus.Gauge
}

func newMetrics() *metrics {
	m := &metrics{
		reg:        prometheus.NewRegistry(),
		metered:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "dec2_billing_allocations_metered", Help: "Running allocations being metered."}),
		unfinished: prometheus.NewGauge(prometheus.GaugeOpts{Name: "dec2_billing_intents_unfinished", Help: "Journaled chain actions not yet confirmed at depth."}),
		cpu:        prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dec2_billing_usage_cpu_mhz_seconds_total", Help: "CPU used (MHz x seconds) from Nomad alloc stats."}, []string{"consumer", "provider"}),
		mem:        prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dec2_billing_usage_memory_mib_seconds_total", Help: "Memory RSS used (MiB x seconds) from Nomad alloc stats."}, []string{"consumer", "provider"}),
		charged:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dec2_billing_charged_base_units_total", Help: "Stream charges over metered intervals, token base units (approximate as a float)."}, []string{"consumer", "provider"}),
		problems:   prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dec2_billing_bad_input_total", Help: "Allocations that cannot be billed, by reason (nothing is paid for them)."}, []string{"reason"}),
		events:     prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dec2_billing_events_total", Help: "Billing events by kind."}, []string{"kind"}),
		settled:    prometheus.NewCounter(prometheus.CounterOpts{Name: "dec2_billing_streams_settled_total", Help: "Streams included in settleMany batches."}),
		insolvent:  prometheus.NewCounter(prometheus.CounterOpts{Name: "dec2_billing_insolvencies_total", Help: "Consumers found insolvent."}),
		stopped:    prometheus.NewCounter(prometheus.CounterOpts{Name: "dec2_billing_jobs_stopped_total", Help: "Jobs stopped because their consumer stayed insolvent past the grace period."}),
		storageBytes: prometheus.NewGauge(prometheus.GaugeOpts{Name: "dec2_billing_storage_bytes",
			Help: "Bytes of pieces providers hold for consumers, at the last storage snapshot."}),
		storageUnpaid: prometheus.NewGauge(prometheus.GaugeOpts{Name: "dec2_billing_storage_unpaid_bytes",
			Help: "Of those, bytes nobody pays for (no or a malformed disk price, an unknown provider; see storage_unpaid events)."}),
	}
	m.reg.MustRegister(m.metered, m.unfinished, m.cpu, m.mem, m.charged, m.problems, m.events, m.settled, m.insolvent, m.stopped,
		m.storageBytes, m.storageUnpaid)
	return m
}

func (m *metrics) observe(r metering.Record) {
	m.cpu.WithLabelValues(r.Consumer, r.Provider).Add(float64(r.CPUMHzSecs))
	m.mem.WithLabelValues(r.Consumer, r.Provider).Add(float64(r.MemMBSecs))
	if c, err := strconv.ParseFloat(r.Charged, 64); err == nil {
		m.charged.WithLabelValues(r.Consumer, r.Provider).Add(c)
	}
}

// Handler serves /metrics (Prometheus) and /events (the latest billing events as JSON).
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/events", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(s.Events())
	})
	mux.Handle("/statement", StatementHandler(s.j.Usage))
	return mux
}

// StatementHandler serves GET /statement?consumer|provider=0x…&since=&until=&format=json|csv
// from usage records as usage returns them (the journal's Usage).
func StatementHandler(usage func(metering.Filter) ([]metering.Record, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f, err := metering.ParseFilter(q.Get("consumer"), q.Get("provider"), q.Get("since"), q.Get("until"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		recs, err := usage(f)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if err := WriteStatement(w, metering.Statement(recs), q.Get("format")); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
		}
	})
}

// WriteStatement writes lines as csv or json ("" = json).
func WriteStatement(w io.Writer, lines []metering.Line, format string) error {
	switch format {
	case "", "json":
		return metering.WriteJSON(w, lines)
	case "csv":
		return metering.WriteCSV(w, lines)
	}
	return fmt.Errorf("format %q: want csv or json", format)
}

// Events returns the latest billing events, oldest first.
func (s *Service) Events() []Event {
	s.evMu.Lock()
	defer s.evMu.Unlock()
	return append([]Event(nil), s.events...)
}
