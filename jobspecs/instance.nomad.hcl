# An EC2-like instance: a long-running container with reserved CPU and memory, its ports mapped
# on the provider, all capabilities dropped but the few asked for.
#
#   nomad job run -var image=nginx:1.27-alpine -var 'ports=[80]' jobspecs/instance.nomad.hcl

variable "datacenters" {
  type    = list(string)
  default = ["*"]
}

variable "image" {
  type        = string
  default     = "nginx:1.27-alpine"
  description = "Container image; tests pass a locally built one."
}

variable "args" {
  type        = list(string)
  default     = []
  description = "Arguments to the image's entrypoint."
}

variable "cpu" {
  type        = number
  default     = 500
  description = "Reserved CPU in MHz."
}

variable "memory" {
  type        = number
  default     = 256
  description = "Reserved memory in MiB; the container's hard limit."
}

variable "ports" {
  type        = list(number)
  default     = [80]
  description = "Container ports to map to dynamic host ports; each gets the label p<port>."
}

variable "count" {
  type    = number
  default = 1
}

variable "cap_add" {
  type        = list(string)
  default     = ["net_bind_service"]
  description = "Capabilities kept after dropping all; must be within the provider's allow_caps."
}

job "instance" {
  type        = "service"
  datacenters = var.datacenters

  group "instance" {
    count = var.count

    network {
      dynamic "port" {
        for_each = var.ports
        labels   = ["p${port.value}"]
        content {
          to = port.value
        }
      }
    }

    restart {
      attempts = 3
      interval = "5m"
      delay    = "10s"
      mode     = "delay"
    }

    task "instance" {
      driver = "docker"

      config {
        image    = var.image
        args     = var.args
        ports    = [for p in var.ports : "p${p}"]
        cap_drop = ["all"]
        cap_add  = var.cap_add
      }

      resources {
        cpu    = var.cpu
        memory = var.memory
      }
    }
  }
}
