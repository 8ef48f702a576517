package service

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	reg            *prometheus.Registry
	messages       prometheus.Counter
	signed         prometheus.Counter
	slashes        prometheus.Counter
	submitFailures prometheus.Counter
	freezes        prometheus.Counter
	refusals       *prometheus.CounterVec
	vanishToSlash  prometheus.Histogram
	reputation     *prometheus.GaugeVec
	audits         *prometheus.CounterVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg:            prometheus.NewRegistry(),
		messages:       prometheus.NewCounter(prometheus.CounterOpts{Name: "dec2_attestor_peer_messages_total", Help: "Requests sent to peers (observations and signatures)."}),
		signed:         prometheus.NewCounter(prometheus.CounterOpts{Name: "dec2_attestor_reports_signed_total", Help: "Slash reports this attestor signed."}),
		slashes:        prometheus.NewCounter(prometheus.CounterOpts{Name: "dec2_attestor_slashes_submitted_total", Help: "Slashes this attestor submitted and saw mined."}),
		submitFailures: prometheus.NewCounter(prometheus.CounterOpts{Name: "dec2_attestor_submit_failures_total", Help: "Slash submissions that failed (retried on the next tick)."}),
		freezes:        prometheus.NewCounter(prometheus.CounterOpts{Name: "dec2_attestor_freezes_total", Help: "Mass outages that froze slashing."}),
		refusals:       prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dec2_attestor_refusals_total", Help: "Peer requests refused, by reason."}, []string{"reason"}),
		vanishToSlash: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "dec2_attestor_vanish_to_slash_seconds", Help: "From Nomad marking a node down to its slash being mined.",
			Buckets: prometheus.ExponentialBuckets(30, 2, 10)}),
	}
	m.reputation = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "dec2_attestor_provider_reputation", Help: "This attestor's beta reputation of each provider's node, by kind (uptime, audit, score)."}, []string{"node_id", "kind"})
	m.audits = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dec2_attestor_audits_total", Help: "Storage audits by verdict (pass, corrupt, missing, unattributable, contained, miss, expired)."}, []string{"verdict"})
	m.reg.MustRegister(m.audits, m.messages, m.signed, m.slashes, m.submitFailures, m.freezes, m.refusals, m.vanishToSlash, m.reputation)
	return m
}
