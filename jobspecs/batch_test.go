package jobspecs_test

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/pkg/jsonmessage"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
)

// Stand-ins for Spark's and Hadoop's launchers, at the paths the jobspecs call in the real
// images: masters serve on the port they were given, workers print what they joined and run
// until stopped, submissions print their command line and finish after a few seconds. The
// jobspecs' own scripts run unchanged around them (busybox sh), so the tests check the wiring:
// the commands, the discovery of the driver through Nomad's services, and how executors
// leave when the driver is done.
var fakeLaunchers = map[string]string{
	"opt/spark/bin/spark-class": `#!/bin/sh
case "$1" in
*.Master)
  shift
  while [ $# -gt 0 ]; do
    case "$1" in --host) host=$2 ;; --port) port=$2 ;; esac
    shift
  done
  exec /workload -http "$host:$port" ;;
*.Worker)
  for arg; do master=$arg; done
  echo "worker joined $master"
  exec /workload ;;
esac
echo "fake spark-class: unknown class $1" >&2
exit 2
`,
	"opt/spark/bin/spark-submit": `#!/bin/sh
echo "spark-submit $*"
exec /workload -duration 4s
`,
	"opt/hadoop/bin/hdfs": `#!/bin/sh
conf="$HADOOP_CONF_DIR/core-site.xml"
case "$1 $2" in
"namenode -format") exit 0 ;;
"namenode ") exec /workload -http "$NOMAD_ADDR_nn" ;;
"datanode ") echo "datanode joined $(grep -o 'hdfs://[^<]*' "$conf")"; exec /workload ;;
# A report with more live DataNodes than any test starts.
"dfsadmin -safemode") exit 0 ;;
"dfsadmin -report") seq 8 | sed 's/^/Name: datanode-/' ;;
*) echo "fake hdfs: unknown command $*" >&2; exit 2 ;;
esac
`,
	"opt/hadoop/bin/yarn": `#!/bin/sh
conf="$HADOOP_CONF_DIR/core-site.xml"
case "$1" in
resourcemanager) exec /workload ;;
nodemanager) echo "nodemanager joined $(grep -o 'resource-tracker.address</name><value>[^<]*' "$conf" | sed 's/.*<value>//')"; exec /workload ;;
jar) echo "yarn $*"; exec /workload -duration 4s ;;
*) echo "fake yarn: unknown command $*" >&2; exit 2 ;;
esac
`,
	"opt/hadoop/bin/mapred": `#!/bin/sh
[ "$1" = historyserver ] && exec /workload -http "$NOMAD_ADDR_jhs"
echo "fake mapred: unknown command $*" >&2
exit 2
`,
	"opt/hadoop/etc/hadoop/log4j.properties": "log4j.rootLogger=INFO\n",
}

// fakeBigDataImage is the workload image plus busybox (as /bin/sh and friends) and the fake
// launchers; its tag is the hash of what went in.
func fakeBigDataImage(t *testing.T) string {
	t.Helper()
	busybox, err := os.ReadFile("/bin/busybox")
	if err != nil {
		t.Fatalf("reading /bin/busybox (make tools installs Debian's busybox-static): %v", err)
	}
	base := e2e.WorkloadImage(t)
	files := map[string][]byte{"busybox": busybox, "Dockerfile": []byte("FROM " + base + `
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
COPY opt /opt
ENTRYPOINT []
`)}
	for name, body := range fakeLaunchers {
		files[name] = []byte(body)
	}
	sum := sha256.New()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintf(sum, "%s %d\n", name, len(files[name]))
		sum.Write(files[name])
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(files[name]))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(files[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	tag := "dec2-fake-bigdata:" + hex.EncodeToString(sum.Sum(nil)[:6])

	docker := e2e.Docker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := docker.ImageInspect(ctx, tag); err == nil {
		return tag
	}
	resp, err := docker.ImageBuild(ctx, &buf, build.ImageBuildOptions{Tags: []string{tag}, Remove: true, ForceRemove: true})
	if err != nil {
		t.Fatalf("docker build %s: %v", tag, err)
	}
	defer resp.Body.Close()
	if err := jsonmessage.DisplayJSONMessagesStream(resp.Body, io.Discard, 0, false, nil); err != nil {
		t.Fatalf("docker build %s: %v", tag, err)
	}
	return tag
}

// The Spark and Hadoop jobs, with their own commands around fake launchers, run a driver and
// two executors to completion: the executors wait for the driver's services, join the address
// Nomad gave the driver, and leave with exit code 0 once the driver is done.
func TestBatchJobsRunToCompletion(t *testing.T) {
	e2e.RequireIntegration(t)
	image := fakeBigDataImage(t)
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{
		{Name: "a", CPUMHz: 4000, MemoryMB: 8192},
		{Name: "b", CPUMHz: 4000, MemoryMB: 8192},
	}})
	const executors = 2
	jobs := []struct {
		file, name, service, appVar string
		// driverSays and executorSays are lines the tasks print, given the driver's ports.
		driverSays, executorSays func(port func(string) int) []string
	}{
		{
			file: "batch-spark", name: "spark-small", service: "spark-small-master", appVar: `app_args=["7"]`,
			driverSays: func(port func(string) int) []string {
				return []string{
					fmt.Sprintf("spark-submit --master spark://127.0.0.1:%d --deploy-mode client", port("master")),
					"--class org.apache.spark.examples.SparkPi local:///opt/spark/examples/jars/spark-examples_2.12-3.5.3.jar 7",
				}
			},
			executorSays: func(port func(string) int) []string {
				return []string{fmt.Sprintf("worker joined spark://127.0.0.1:%d", port("master"))}
			},
		},
		{
			file: "batch-hadoop", name: "hadoop-small", service: "hadoop-small-namenode", appVar: `jar_args=["pi", "2", "100"]`,
			driverSays: func(func(string) int) []string {
				return []string{"yarn jar /opt/hadoop/share/hadoop/mapreduce/hadoop-mapreduce-examples-3.4.1.jar pi 2 100"}
			},
			executorSays: func(port func(string) int) []string {
				return []string{
					fmt.Sprintf("datanode joined hdfs://127.0.0.1:%d", port("nn")),
					fmt.Sprintf("nodemanager joined 127.0.0.1:%d", port("rm_tracker")),
				}
			},
		},
	}
	for _, j := range jobs {
		t.Run(j.file, func(t *testing.T) {
			if out, err := region.Nomad(t, "job", "run", "-detach",
				"-var", "name="+j.name,
				"-var", "image="+image,
				"-var", j.appVar,
				"-var", fmt.Sprintf("executors=%d", executors),
				"-var", "driver_cpu=100", "-var", "driver_memory=64",
				"-var", "executor_cpu=100", "-var", "executor_memory=64",
				"jobspecs/"+j.file+".nomad.hcl"); err != nil {
				t.Fatalf("nomad job run: %v\n%s", err, out)
			}
			driver := waitRunningGroup(t, region, j.name, "driver")
			waitCheckPassing(t, region, driver, j.service)
			port := func(label string) int { return hostPort(t, driver, label) }

			allocs := waitComplete(t, region, j.name, 1+executors)
			for _, a := range allocs {
				for name, ts := range a.TaskStates {
					if ts.Failed {
						t.Errorf("%s task %s failed: %s", a.Name, name, events(ts))
					}
					if name != "master" && exitCode(ts) != 0 {
						t.Errorf("%s task %s exited with %d, want 0: %s", a.Name, name, exitCode(ts), events(ts))
					}
				}
				want := j.executorSays(port)
				if a.TaskGroup == "driver" {
					want = j.driverSays(port)
				}
				logs, err := region.Nomad(t, "alloc", "logs", a.ID, a.TaskGroup)
				if err != nil {
					t.Fatalf("reading %s's log: %v", a.Name, err)
				}
				for _, w := range want {
					if !strings.Contains(logs, w) {
						t.Errorf("%s printed\n%s\nwant a line with %q", a.Name, logs, w)
					}
				}
			}
		})
	}
}

func events(ts *api.TaskState) string {
	var b strings.Builder
	for _, ev := range ts.Events {
		fmt.Fprintf(&b, "[%s %s exit %d] ", ev.Type, ev.DisplayMessage, ev.ExitCode)
	}
	return b.String()
}
