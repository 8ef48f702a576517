# A Hadoop MapReduce job as a Nomad batch job: a driver group that runs a NameNode and a YARN
# ResourceManager and a job history server (a sidecar) and submits the job, and an executor group of DataNode +
# NodeManager workers that find the driver through Nomad's service discovery and leave when it
# is gone. HDFS lives on the allocations' disks for the job's lifetime only.
#
#   nomad job run -var executors=4 -var 'jar_args=["pi", "16", "100000"]' jobspecs/batch-hadoop.nomad.hcl
#
# Hadoop's daemons advertise the address they bind, so the tasks use the provider's network
# (network_mode = "host") on ports Nomad allocates; YARN containers bind ephemeral ports.

variable "name" {
  type    = string
  default = "hadoop-pi"
}

variable "datacenters" {
  type    = list(string)
  default = ["*"]
}

variable "image" {
  type    = string
  default = "apache/hadoop:3.4.1"
}

variable "wallet" {
  type        = string
  default     = ""
  description = "Consumer wallet (0x address) that pays; empty = the namespace's registered wallet."
}

variable "executors" {
  type        = number
  default     = 2
  description = "Number of executor instances (DataNode + NodeManager)."
}

variable "executor_cpu" {
  type        = number
  default     = 2000
  description = "MHz per executor; every full 1000 MHz is one YARN vcore."
}

variable "executor_memory" {
  type        = number
  default     = 3072
  description = "MiB per executor task: YARN containers get all but 1024 MiB, which the DataNode and NodeManager (384 MiB heaps) share."
}

variable "driver_cpu" {
  type    = number
  default = 1000
}

variable "driver_memory" {
  type    = number
  default = 1024
}

variable "jar" {
  type        = string
  default     = "/opt/hadoop/share/hadoop/mapreduce/hadoop-mapreduce-examples-3.4.1.jar"
  description = "The MapReduce job's jar, a path inside the image."
}

variable "jar_args" {
  type        = list(string)
  default     = ["pi", "8", "10000"]
  description = "Arguments to `yarn jar` after the jar (the examples' pi: maps, samples per map)."
}

locals {
  hadoop = "/opt/hadoop"
  cores  = max(1, floor(var.executor_cpu / 1000))

  # One site file for every daemon and client (core-site.xml is read by all of Hadoop's
  # configurations). @NN@ and the @RM…@ addresses are the driver's: from its own environment
  # in the driver group, from Nomad's services in the executor group.
  common_props = {
    "fs.defaultFS"                                         = "hdfs://@NN@"
    "dfs.replication"                                      = "1"
    "dfs.namenode.datanode.registration.ip-hostname-check" = "false"
    "yarn.resourcemanager.address"                         = "@RM@"
    "yarn.resourcemanager.scheduler.address"               = "@RM_SCHED@"
    "yarn.resourcemanager.resource-tracker.address"        = "@RM_TRACKER@"
    "yarn.resourcemanager.scheduler.class"                 = "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler"
    "yarn.scheduler.minimum-allocation-mb"                 = "256"
    "mapreduce.framework.name"                             = "yarn"
    "yarn.app.mapreduce.am.resource.mb"                    = "512"
    "mapreduce.map.memory.mb"                              = "512"
    "mapreduce.reduce.memory.mb"                           = "512"
    "yarn.app.mapreduce.am.env"                            = "HADOOP_MAPRED_HOME=${local.hadoop}"
    "mapreduce.map.env"                                    = "HADOOP_MAPRED_HOME=${local.hadoop}"
    "mapreduce.reduce.env"                                 = "HADOOP_MAPRED_HOME=${local.hadoop}"
  }

  driver_props = {
    "dfs.namenode.name.dir"               = "file:///alloc/data/name"
    "dfs.namenode.http-address"           = "{{ env \"NOMAD_ADDR_nn_ui\" }}"
    "yarn.resourcemanager.hostname"       = "{{ env \"NOMAD_IP_rm\" }}"
    "yarn.resourcemanager.admin.address"  = "{{ env \"NOMAD_ADDR_rm_admin\" }}"
    "yarn.resourcemanager.webapp.address" = "{{ env \"NOMAD_ADDR_rm_ui\" }}"
    # The client asks the history server for the outcome once the job's master has left.
    "mapreduce.jobhistory.address"        = "{{ env \"NOMAD_ADDR_jhs\" }}"
    "mapreduce.jobhistory.webapp.address" = "{{ env \"NOMAD_ADDR_jhs_ui\" }}"
    "mapreduce.jobhistory.admin.address"  = "{{ env \"NOMAD_ADDR_jhs_admin\" }}"
  }

  executor_props = {
    "dfs.datanode.data.dir"                = "file:///alloc/data/datanode"
    "dfs.datanode.address"                 = "{{ env \"NOMAD_ADDR_dn\" }}"
    "dfs.datanode.http.address"            = "{{ env \"NOMAD_ADDR_dn_ui\" }}"
    "dfs.datanode.ipc.address"             = "{{ env \"NOMAD_ADDR_dn_ipc\" }}"
    "yarn.nodemanager.hostname"            = "{{ env \"NOMAD_IP_nm_ui\" }}"
    "yarn.nodemanager.localizer.address"   = "{{ env \"NOMAD_ADDR_nm_loc\" }}"
    "yarn.nodemanager.webapp.address"      = "{{ env \"NOMAD_ADDR_nm_ui\" }}"
    "yarn.nodemanager.aux-services"        = "mapreduce_shuffle"
    "mapreduce.shuffle.port"               = "{{ env \"NOMAD_PORT_shuffle\" }}"
    "yarn.nodemanager.resource.memory-mb"  = "${max(512, var.executor_memory - 1024)}"
    "yarn.nodemanager.resource.cpu-vcores" = "${local.cores}"
    "yarn.nodemanager.vmem-check-enabled"  = "false"
    "yarn.nodemanager.local-dirs"          = "/alloc/data/nm-local"
    "yarn.nodemanager.log-dirs"            = "/alloc/data/nm-logs"
  }

  driver_site = replace(replace(replace(replace(
    join("\n", concat(["<configuration>"], [for k, v in merge(local.common_props, local.driver_props) : "<property><name>${k}</name><value>${v}</value></property>"], ["</configuration>"])),
    "@NN@", "{{ env \"NOMAD_ADDR_nn\" }}"),
    "@RM@", "{{ env \"NOMAD_ADDR_rm\" }}"),
    "@RM_SCHED@", "{{ env \"NOMAD_ADDR_rm_sched\" }}"),
  "@RM_TRACKER@", "{{ env \"NOMAD_ADDR_rm_tracker\" }}")

  # Empty until the driver's services are registered, and again once they are gone.
  executor_site = join("", [
    "{{ if and (nomadService \"${var.name}-namenode\") (nomadService \"${var.name}-rm-tracker\") }}",
    replace(replace(replace(replace(
      join("\n", concat(["<configuration>"], [for k, v in merge(local.common_props, local.executor_props) : "<property><name>${k}</name><value>${v}</value></property>"], ["</configuration>"])),
      "@NN@", "{{ range nomadService \"${var.name}-namenode\" }}{{ .Address }}:{{ .Port }}{{ end }}"),
      "@RM@", "{{ range nomadService \"${var.name}-rm\" }}{{ .Address }}:{{ .Port }}{{ end }}"),
      "@RM_SCHED@", "{{ range nomadService \"${var.name}-rm-scheduler\" }}{{ .Address }}:{{ .Port }}{{ end }}"),
    "@RM_TRACKER@", "{{ range nomadService \"${var.name}-rm-tracker\" }}{{ .Address }}:{{ .Port }}{{ end }}"),
    "{{ end }}",
  ])

  # Hadoop's stock configuration with the rendered site file (a link: template updates show).
  conf = <<-EOT
    mkdir -p /local/conf && cp -r ${local.hadoop}/etc/hadoop/. /local/conf/ && ln -sf /local/site.xml /local/conf/core-site.xml
    export HADOOP_CONF_DIR=/local/conf
  EOT

  # The scripts are POSIX sh; their traps stop the daemons when Nomad stops the task.
  master_script = <<-EOT
    set -e
    ${local.conf}
    trap 'kill "$nn" "$rm" "$jhs" 2>/dev/null; wait; exit 0' TERM INT
    ${local.hadoop}/bin/hdfs namenode -format -force -nonInteractive
    ${local.hadoop}/bin/hdfs namenode &
    nn=$!
    ${local.hadoop}/bin/yarn resourcemanager &
    rm=$!
    # The history server makes its directories in HDFS: it starts once the NameNode serves.
    ${local.hadoop}/bin/hdfs dfsadmin -safemode wait
    ${local.hadoop}/bin/mapred historyserver &
    jhs=$!
    while kill -0 "$nn" "$rm" "$jhs" 2>/dev/null; do sleep 3; done
    echo "a master daemon stopped" >&2
    kill "$nn" "$rm" "$jhs" 2>/dev/null
    exit 1
  EOT

  # Submits once every executor's DataNode has joined HDFS (at most 10 minutes); the jar and
  # its arguments are the script's.
  driver_script = <<-EOT
    set -e
    ${local.conf}
    live=0
    for i in $(seq 200); do
      live=$(${local.hadoop}/bin/hdfs dfsadmin -report -live 2>/dev/null | grep -c '^Name:' || true)
      [ "$live" -ge ${var.executors} ] && break
      sleep 3
    done
    [ "$live" -ge ${var.executors} ] || { echo "only $live of ${var.executors} DataNodes joined" >&2; exit 1; }
    exec ${local.hadoop}/bin/yarn jar "$@"
  EOT

  # The daemons start once the driver is registered; the job is over once it is gone.
  executor_script = <<-EOT
    ${local.conf}
    trap 'kill "$dn" "$nm" 2>/dev/null; wait; exit 0' TERM INT
    until [ -s /local/site.xml ]; do sleep 2; done
    ${local.hadoop}/bin/hdfs datanode &
    dn=$!
    ${local.hadoop}/bin/yarn nodemanager &
    nm=$!
    while [ -s /local/site.xml ] && kill -0 "$dn" "$nm" 2>/dev/null; do sleep 3; done
    kill "$dn" "$nm" 2>/dev/null
    wait
    [ ! -s /local/site.xml ]
  EOT
}

job "batch-hadoop" {
  id          = var.name
  name        = var.name
  type        = "batch"
  datacenters = var.datacenters

  meta = {
    "dec2.pack"   = "true"
    "dec2.wallet" = var.wallet
  }

  group "driver" {
    count = 1

    network {
      port "nn" {}
      port "nn_ui" {}
      port "rm" {}
      port "rm_sched" {}
      port "rm_tracker" {}
      port "rm_admin" {}
      port "rm_ui" {}
      port "jhs" {}
      port "jhs_ui" {}
      port "jhs_admin" {}
    }

    service {
      name     = "${var.name}-namenode"
      provider = "nomad"
      port     = "nn"

      check {
        type     = "tcp"
        interval = "5s"
        timeout  = "2s"
      }
    }

    service {
      name     = "${var.name}-rm"
      provider = "nomad"
      port     = "rm"
    }

    service {
      name     = "${var.name}-rm-scheduler"
      provider = "nomad"
      port     = "rm_sched"
    }

    service {
      name     = "${var.name}-rm-tracker"
      provider = "nomad"
      port     = "rm_tracker"
    }

    # A failed job is tried once more, on another provider if need be.
    restart {
      attempts = 0
      mode     = "fail"
    }

    reschedule {
      attempts  = 1
      interval  = "1h"
      delay     = "10s"
      unlimited = false
    }

    task "master" {
      driver = "docker"

      lifecycle {
        hook    = "prestart"
        sidecar = true
      }

      template {
        destination = "local/site.xml"
        data        = local.driver_site
      }

      config {
        image        = var.image
        network_mode = "host"
        args         = ["sh", "-c", local.master_script]
      }

      env {
        HADOOP_HEAPSIZE_MAX = "448m"
      }

      resources {
        cpu    = 1000
        memory = 2048
      }
    }

    task "driver" {
      driver = "docker"

      template {
        destination = "local/site.xml"
        data        = local.driver_site
      }

      config {
        image        = var.image
        network_mode = "host"
        args         = concat(["sh", "-c", local.driver_script, "submit", var.jar], var.jar_args)
      }

      resources {
        cpu    = var.driver_cpu
        memory = var.driver_memory
      }
    }
  }

  group "executor" {
    count = var.executors

    network {
      port "dn" {}
      port "dn_ui" {}
      port "dn_ipc" {}
      port "nm_loc" {}
      port "nm_ui" {}
      port "shuffle" {}
    }

    restart {
      attempts = 2
      delay    = "5s"
      interval = "10m"
      mode     = "fail"
    }

    reschedule {
      attempts  = 1
      interval  = "1h"
      delay     = "10s"
      unlimited = false
    }

    task "executor" {
      driver = "docker"

      template {
        destination = "local/site.xml"
        change_mode = "noop"
        data        = local.executor_site
      }

      config {
        image        = var.image
        network_mode = "host"
        args         = ["sh", "-c", local.executor_script]
      }

      env {
        HADOOP_HEAPSIZE_MAX = "384m"
      }

      resources {
        cpu    = var.executor_cpu
        memory = var.executor_memory
      }
    }
  }
}
