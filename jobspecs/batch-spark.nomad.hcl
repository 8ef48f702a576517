# A Spark application as a Nomad batch job: a driver group that runs a standalone master (a
# sidecar) and spark-submit of the application in client mode, and an executor group of
# standalone workers that find the master through Nomad's service discovery and leave when it
# is gone. The job is complete when the application is.
#
#   nomad job run -var executors=4 -var 'app_args=["1000"]' jobspecs/batch-spark.nomad.hcl   # SparkPi
#   nomad job run -var app=https://example.org/etl.jar -var app_class=org.example.Etl … # your own
#
# Spark's standalone daemons advertise the address they bind, so the tasks use the provider's
# network (network_mode = "host") on ports Nomad allocates; executors the workers start bind
# ephemeral ports.

variable "name" {
  type    = string
  default = "spark-pi"
}

variable "datacenters" {
  type    = list(string)
  default = ["*"]
}

variable "image" {
  type    = string
  default = "apache/spark:3.5.3"
}

variable "wallet" {
  type        = string
  default     = ""
  description = "Consumer wallet (0x address) that pays; empty = the namespace's registered wallet."
}

variable "executors" {
  type        = number
  default     = 2
  description = "Number of executor instances (standalone workers)."
}

variable "executor_cpu" {
  type        = number
  default     = 2000
  description = "MHz per executor; every full 1000 MHz is one Spark core."
}

variable "executor_memory" {
  type        = number
  default     = 2048
  description = "MiB per executor task: the worker daemon (256 MiB heap), the executor JVM's heap (all but 768 MiB) and both JVMs' overhead."
}

variable "driver_cpu" {
  type    = number
  default = 1000
}

variable "driver_memory" {
  type        = number
  default     = 1536
  description = "MiB for spark-submit; the driver's heap is all but 512 MiB of it."
}

variable "app" {
  type        = string
  default     = "local:///opt/spark/examples/jars/spark-examples_2.12-3.5.3.jar"
  description = "The application's jar (or .py), as spark-submit takes it: local:// inside the image, or a URL."
}

variable "app_class" {
  type        = string
  default     = "org.apache.spark.examples.SparkPi"
  description = "Main class of a jar application; empty for Python."
}

variable "app_args" {
  type        = list(string)
  default     = ["100"]
  description = "The application's arguments (SparkPi: partitions)."
}

locals {
  spark = "/opt/spark/bin"
  cores = max(1, floor(var.executor_cpu / 1000))

  # The executor's heap; its worker offers exactly that, so one executor runs per worker.
  executor_heap = max(256, var.executor_memory - 768)

  master_cmd = [
    "${local.spark}/spark-class", "org.apache.spark.deploy.master.Master",
    "--host", "${NOMAD_IP_master}", "--port", "${NOMAD_PORT_master}", "--webui-port", "${NOMAD_PORT_master_ui}",
  ]

  driver_cmd = concat([
    "${local.spark}/spark-submit",
    "--master", "spark://${NOMAD_ADDR_master}",
    "--deploy-mode", "client",
    "--driver-memory", "${max(256, var.driver_memory - 512)}m",
    "--executor-memory", "${local.executor_heap}m",
    "--total-executor-cores", "${local.cores * var.executors}",
    "--conf", "spark.driver.host=${NOMAD_IP_driver}",
    "--conf", "spark.driver.bindAddress=${NOMAD_IP_driver}",
    "--conf", "spark.driver.port=${NOMAD_PORT_driver}",
    "--conf", "spark.driver.blockManager.port=${NOMAD_PORT_blockmanager}",
    "--conf", "spark.ui.port=${NOMAD_PORT_driver_ui}",
  ], var.app_class == "" ? [] : ["--class", var.app_class], [var.app], var.app_args)

  # The template rewrites local/master in place (no restart): the worker starts once the
  # master is registered, and the application is over once its registration is gone. POSIX sh;
  # the trap also stops the worker when Nomad stops the task.
  worker_script = <<-EOT
    master_file=/local/master
    trap 'kill "$worker" 2>/dev/null; exit 0' TERM INT
    until [ -s "$master_file" ]; do sleep 2; done
    ${local.spark}/spark-class org.apache.spark.deploy.worker.Worker \
      --host "$NOMAD_IP_worker" --port "$NOMAD_PORT_worker" --webui-port "$NOMAD_PORT_worker_ui" \
      --cores ${local.cores} --memory ${local.executor_heap}M \
      --work-dir /local/work "spark://$(cat "$master_file")" &
    worker=$!
    while [ -s "$master_file" ] && kill -0 "$worker" 2>/dev/null; do sleep 3; done
    if kill -0 "$worker" 2>/dev/null; then
      kill "$worker"
      wait "$worker"
      exit 0
    fi
    wait "$worker"
  EOT
}

job "batch-spark" {
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
      port "master" {}
      port "master_ui" {}
      port "driver" {}
      port "blockmanager" {}
      port "driver_ui" {}
    }

    service {
      name     = "${var.name}-master"
      provider = "nomad"
      port     = "master"

      check {
        type     = "tcp"
        interval = "5s"
        timeout  = "2s"
      }
    }

    # A failed application is tried once more, on another provider if need be.
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

      config {
        image        = var.image
        network_mode = "host"
        args         = local.master_cmd
      }

      env {
        SPARK_DAEMON_MEMORY = "512m"
      }

      resources {
        cpu    = 500
        memory = 768
      }
    }

    task "driver" {
      driver = "docker"

      config {
        image        = var.image
        network_mode = "host"
        args         = local.driver_cmd
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
      port "worker" {}
      port "worker_ui" {}
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
        destination = "local/master"
        change_mode = "noop"
        data        = "{{ range nomadService \"${var.name}-master\" }}{{ .Address }}:{{ .Port }}{{ end }}"
      }

      config {
        image        = var.image
        network_mode = "host"
        args         = ["sh", "-c", local.worker_script]
      }

      env {
        SPARK_DAEMON_MEMORY = "256m"
      }

      resources {
        cpu    = var.executor_cpu
        memory = var.executor_memory
      }
    }
  }
}
