# An EC2-like instance: a long-running container with reserved CPU, memory and disk, its ports
# mapped on the provider, all capabilities dropped but the few asked for. The allocator packs it
# (dec2.pack) and billing charges dec2.wallet for it. With gpu_count > 0 it is a GPU instance:
# it also reserves whole GPUs, or GPU shares, from the provider's dec2-gpu device plugin, which
# hands them to the task (NVIDIA_VISIBLE_DEVICES with their UUIDs); Docker runs it with the
# nvidia runtime.
#
#   nomad job run -var name=web -var image=nginx:1.27-alpine -var 'ports=[80]' jobspecs/instance.nomad.hcl
#   nomad job run -var name=train -var image=nvidia/cuda:12.4.1-base-ubuntu22.04 -var 'args=["sleep", "infinity"]' \
#     -var 'ports=[]' -var gpu_count=1 -var gpu_memory_mib=40960 jobspecs/instance.nomad.hcl
#
# driver = "raw_exec" runs `image` as a command on the provider instead (tests with fake GPUs:
# Docker would ask for the NVIDIA runtime that GPU-less machines lack); it then listens on the
# host ports itself: -var 'args=["-http", "127.0.0.1:$${NOMAD_HOST_PORT_p8080}"]' ($$ keeps HCL off it).
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
  description = "Container image; tests pass a locally built one (with driver = raw_exec: the command to run)."
}

variable "args" {
  type        = list(string)
  default     = []
  description = "Arguments to the image's entrypoint (the command's arguments with raw_exec)."
}

variable "driver" {
  type    = string
  default = "docker"

  validation {
    condition     = contains(["docker", "raw_exec"], var.driver)
    error_message = "The driver must be docker or raw_exec."
  }
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
  description = "Capabilities kept after dropping all (docker); must be within the provider's allow_caps."
}

variable "gpu_count" {
  type        = number
  default     = 0
  description = "GPUs (or GPU shares) to reserve; 0 = a plain instance."

  validation {
    condition     = var.gpu_count >= 0
    error_message = "The gpu_count must be 0 or more."
  }
}

variable "gpu_device" {
  type        = string
  default     = "nvidia/gpu"
  description = "Device to reserve: <vendor>/gpu for whole GPUs, <vendor>/gpu-share for slices of one."

  validation {
    condition     = contains([for v in ["nvidia", "amd", "intel"] : "${v}/gpu"], trimsuffix(var.gpu_device, "-share"))
    error_message = "The gpu_device must be <vendor>/gpu or <vendor>/gpu-share, vendor nvidia, amd or intel."
  }
}

variable "gpu_memory_mib" {
  type        = number
  default     = 0
  description = "Least memory per GPU in MiB; 0 = any."
}

variable "gpu_name" {
  type        = string
  default     = ""
  description = "GPU model as the plugin names it (e.g. A100-80GB); empty = any."
}

locals {
  # Nomad matches a device by <vendor>/<type>[/<name>]; the allocator reads the model from it too.
  device = var.gpu_name == "" ? var.gpu_device : "${var.gpu_device}/${var.gpu_name}"
  # GPU images are large and slow to start: their health gets longer.
  gpu = var.gpu_count > 0
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
            grace = local.gpu ? "60s" : "30s"
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

    # A GPU that turns unhealthy fails its allocation too; it is placed again on healthy GPUs.
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
      healthy_deadline = local.gpu ? "5m" : "3m"
      auto_revert      = true
    }

    task "instance" {
      driver = var.driver

      dynamic "config" {
        for_each = var.driver == "docker" ? [1] : []
        content {
          image    = var.image
          args     = var.args
          ports    = [for p in var.ports : "p${p}"]
          cap_drop = ["all"]
          cap_add  = var.cap_add

          readonly_rootfs = var.readonly_rootfs
        }
      }

      dynamic "config" {
        for_each = var.driver == "raw_exec" ? [1] : []
        content {
          command = var.image
          args    = var.args
        }
      }

      resources {
        cpu    = var.cpu
        memory = var.memory

        dynamic "device" {
          for_each = local.gpu ? [local.device] : []
          labels   = [device.value]
          content {
            count = var.gpu_count

            dynamic "constraint" {
              for_each = var.gpu_memory_mib > 0 ? [var.gpu_memory_mib] : []
              content {
                attribute = "$${device.attr.memory}"
                operator  = ">="
                value     = "${constraint.value} MiB"
              }
            }
          }
        }
      }
    }
  }
}
