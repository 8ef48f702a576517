package inventory

import (
	"strconv"

	"github.com/dec2-cloud/dec2/conventions"
)

// Metric is one statistic a backend can read for a GPU.
type Metric int

// The metrics, in the order they are reported.
const (
	Utilization Metric = iota
	MemoryUsed
	MemoryTotal
	Temperature
	Power
	ECCCorrected
	ECCUncorrected
	numMetrics
)

// MetricInfo names and describes a metric.
type MetricInfo struct {
	Name, Unit, Desc string
}

var metricInfo = [numMetrics]MetricInfo{
	Utilization:    {conventions.GPUStatUtilization, "%", "GPU utilization"},
	MemoryUsed:     {conventions.GPUStatMemoryUsed, "MiB", "Memory in use"},
	MemoryTotal:    {conventions.GPUStatMemoryTotal, "MiB", "Memory in total"},
	Temperature:    {"temperature", "C", "GPU temperature"},
	Power:          {"power", "W", "Power draw"},
	ECCCorrected:   {"ecc_corrected", "errors", "ECC errors corrected since the driver loaded"},
	ECCUncorrected: {"ecc_uncorrected", "errors", "ECC errors not corrected since the driver loaded"},
}

// Info describes m.
func (m Metric) Info() MetricInfo { return metricInfo[m] }

// Metrics lists every metric.
func Metrics() []Metric {
	out := make([]Metric, numMetrics)
	for i := range out {
		out[i] = Metric(i)
	}
	return out
}

// Sample is one reading of a GPU's metrics; a backend sets those its source has.
type Sample struct {
	values  [numMetrics]float64
	present uint16
}

// Set records a metric's value.
func (s *Sample) Set(m Metric, v float64) {
	s.values[m] = v
	s.present |= 1 << m
}

// Get returns a metric's value and whether it was read.
func (s Sample) Get(m Metric) (float64, bool) {
	return s.values[m], s.present&(1<<m) != 0
}

// MarshalJSON writes the metrics read, by name.
func (s Sample) MarshalJSON() ([]byte, error) {
	out := []byte{'{'}
	for _, m := range Metrics() {
		v, ok := s.Get(m)
		if !ok {
			continue
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(out, '"')
		out = append(out, m.Info().Name...)
		out = append(out, `":`...)
		out = strconv.AppendFloat(out, v, 'f', -1, 64)
	}
	return append(out, '}'), nil
}
