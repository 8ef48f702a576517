# An EC2-like instance: a long-running container with reserved CPU, memory and disk, its ports
# mapped on the provider, all capabilities dropped but the few asked for. The allocator packs it
# (dec2.pack) and billing charges dec2.wallet for it.
#
#   nomad job run -var name=web -var image=nginx:1.27-alpine -var 'ports=[80]' jobspecs/instance.nomad.hcl
#
# The CLI and the Terraform provider render this file with an instance type's sizes
# (instances.Vars); the variable names are their interface.

variable "name" {
  type        = string
  default     = "instance"
  description = "Job ID, and the name of the instance's service: lowercase letters, digits and dashes."
}

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

variable "disk" {
  type        = number
  default     = 300
  description = "Ephemeral disk in MiB (the allocation's directory)."
}

variable "ports" {
  type        = list(number)
  default     = [80]
  description = "Container ports to map to dynamic host ports; each gets the label p<port>. The first is health-checked over TCP."
}

variable "count" {
  type    = number
  default = 1
}

variable "readonly_rootfs" {
  type        = bool
  default     = false
  description = "Mount the container's root filesystem read-only (instance types that ask for it; writes go to the task's own directories)."
}

variable "wallet" {
  type        = string
  default     = ""
  description = "Consumer wallet (0x address) that pays; empty = the namespace's registered wallet."
}

variable "cap_add" {
  type        = list(string)
  default     = ["net_bind_service"]
  description = "Capabilities kept after dropping all; must be within the provider's allow_caps."
}

job "instance" {
  id          = var.name
  name        = var.name
  type        = "service"
  datacenters = var.datacenters

  meta = {
    "dec2.pack"   = "true"
    "dec2.wallet" = var.wallet
  }

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

    # Registered in Nomad's own service catalogue (no Consul on providers), only when the
    # instance listens somewhere: a check needs a port.
    dynamic "service" {
      for_each = slice(var.ports, 0, min(1, length(var.ports)))
      content {
        name     = var.name
        provider = "nomad"
        port     = "p${service.value}"

        check {
          name     = "tcp-p${service.value}"
          type     = "tcp"
          interval = "5s"
          timeout  = "2s"

          # A listener that stays dead for 3 checks gets its task restarted.
          check_restart {
            limit = 3
            grace = "30s"
          }
        }
      }
    }

    ephemeral_disk {
      size = var.disk
    }

    # A crashing task is restarted in place a few times, then the allocation fails and is
    # rescheduled, on another provider if this one cannot take it.
    restart {
      attempts = 3
      interval = "5m"
      delay    = "10s"
      mode     = "fail"
    }

    reschedule {
      delay          = "30s"
      delay_function = "exponential"
      max_delay      = "10m"
      unlimited      = true
    }

    # An update is healthy once the checks pass (or, with no ports, once the task runs).
    update {
      max_parallel     = 1
      health_check     = "checks"
      min_healthy_time = "5s"
      healthy_deadline = "3m"
      auto_revert      = true
    }

    task "instance" {
      driver = "docker"

      config {
        image    = var.image
        args     = var.args
        ports    = [for p in var.ports : "p${p}"]
        cap_drop = ["all"]
        cap_add  = var.cap_add

        readonly_rootfs = var.readonly_rootfs
      }

      resources {
        cpu    = var.cpu
        memory = var.memory
      }
    }
  }
}
