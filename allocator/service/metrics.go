package service

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the allocator's Prometheus series; each server has its own registry so that
// several can run in one process (tests, the demo).
type metrics struct {
	reg          *prometheus.Registry
	decisions    *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	refusals     *prometheus.CounterVec
	holds        prometheus.Gauge
	holdsExpired prometheus.Counter
	stranded     *prometheus.GaugeVec
	nodes        prometheus.Gauge
	rebuilds     prometheus.Counter
	ineligible   prometheus.Gauge
	leading      prometheus.Gauge
	takeovers    prometheus.Counter
	forwarded    *prometheus.CounterVec
	storedBy     prometheus.Gauge
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dec2_allocator_decisions_total",
			Help: "Intercepted job calls by call (register, plan, scale) and outcome (packed, kept, refused, invalid, passed, failed).",
		}, []string{"call", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dec2_allocator_admission_seconds",
			Help:    "Time the allocator adds to an intercepted call before it reaches Nomad.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .25, .5, 1},
		}, []string{"call"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dec2_allocator_refused_groups_total",
			Help: "Task groups refused because they could not be packed, by namespace.",
		}, []string{"namespace"}),
		holds: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dec2_allocator_reserved_instances",
			Help: "Instances promised to registrations whose allocations Nomad has not shown yet.",
		}),
		holdsExpired: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dec2_allocator_reservations_expired_total",
			Help: "Reserved instances released because Nomad did not place them in time.",
		}),
		stranded: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "dec2_allocator_stranded",
			Help: "Capacity left on open nodes that nothing packed could use, after the last decision (cpu_mhz, memory_mb, disk_mb, gpus).",
		}, []string{"resource"}),
		nodes: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dec2_allocator_nodes",
			Help: "Nodes in the allocator's model of the region.",
		}),
		rebuilds: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dec2_allocator_state_rebuilds_total",
			Help: "Times the model was rebuilt from Nomad (start-up and every lost event stream).",
		}),
		ineligible: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dec2_allocator_ineligible_nodes",
			Help: "Nodes the attestors' combined reputation keeps from new work, at the last refresh.",
		}),
		leading: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dec2_allocator_leading",
			Help: "1 while this allocator admits the region's jobs (it holds the lock, or runs alone), else 0.",
		}),
		takeovers: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dec2_allocator_takeovers_total",
			Help: "Times this allocator won the region's lock and began admitting.",
		}),
		forwarded: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dec2_allocator_forwarded_total",
			Help: "Job calls a follower sent on to the leading allocator, by outcome (sent, no_leader, unreachable).",
		}, []string{"outcome"}),
		storedBy: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dec2_allocator_storage_tenants",
			Help: "Tenants with data on providers, at the last reading of the storage service (data locality of region choices).",
		}),
	}
	m.reg.MustRegister(m.decisions, m.latency, m.refusals, m.holds, m.holdsExpired, m.stranded, m.nodes, m.rebuilds, m.ineligible,
		m.leading, m.takeovers, m.forwarded, m.storedBy,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
