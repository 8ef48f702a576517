package node

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dec2-cloud/dec2/storage/piecestore"
)

type metrics struct {
	reg            *prometheus.Registry
	requests       *prometheus.CounterVec
	received, sent prometheus.Counter
}

func newMetrics(store *piecestore.Store) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dec2_storagenode_requests_total", Help: "Piece requests by operation and status code.",
		}, []string{"op", "code"}),
		received: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dec2_storagenode_received_bytes_total", Help: "Bytes of pieces stored.",
		}),
		sent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dec2_storagenode_sent_bytes_total", Help: "Bytes of pieces served.",
		}),
	}
	usage := func(f func(piecestore.Usage) float64) func() float64 {
		return func() float64 { return f(store.Usage()) }
	}
	m.reg.MustRegister(m.requests, m.received, m.sent,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "dec2_storagenode_capacity_bytes", Help: "Configured capacity."},
			usage(func(u piecestore.Usage) float64 { return float64(u.Capacity) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "dec2_storagenode_used_bytes", Help: "Bytes of stored pieces."},
			usage(func(u piecestore.Usage) float64 { return float64(u.Used) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "dec2_storagenode_free_bytes", Help: "Bytes an upload may still take."},
			usage(func(u piecestore.Usage) float64 { return float64(u.Free) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "dec2_storagenode_pieces", Help: "Pieces stored."},
			usage(func(u piecestore.Usage) float64 { return float64(u.Pieces) })),
	)
	return m
}

func (m *metrics) handler() http.Handler { return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}) }

// count wraps h to count its answers by status code.
func (m *metrics) count(op string, h http.Handler) http.Handler {
	return promhttp.InstrumentHandlerCounter(m.requests.MustCurryWith(prometheus.Labels{"op": op}), h)
}
