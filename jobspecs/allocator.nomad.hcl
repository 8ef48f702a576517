# dec2-allocator as a Nomad job: the allocator service in front of the region it runs in.
# Point NOMAD_ADDR at http://<node>:4656 and submit jobs as usual; jobs with
# meta { "dec2.pack" = "true" } (or every job with pack_all) are packed onto providers.
#
#   nomad job run -var image=dec2-allocator:<tag> -var token=<read token> jobspecs/allocator.nomad.hcl
#
# The token needs node:read, read-job in every namespace and the event stream (a management
# token, or a policy with node read and namespace "*" read); callers' own tokens are used for
# their registrations.
#
# For high availability run two: -var count=2 -var leader_lock=dec2/allocator/leader (the token
# then also writes that variable). One leads through Nomad's variable lock, the other forwards
# to it and takes over (docs/federation.md). The region is the one Nomad runs the job in.

variable "image" {
  type        = string
  default     = "dec2-allocator:latest"
  description = "Image with the dec2-allocator binary as its entrypoint (built FROM scratch)."
}

variable "nomad_addr" {
  type        = string
  default     = "http://127.0.0.1:4646"
  description = "Nomad's HTTP API as seen from the allocator's node."
}

variable "token" {
  type        = string
  default     = ""
  description = "ACL token for the allocator's own reads of the region."
}

variable "port" {
  type    = number
  default = 4656
}

variable "pack_all" {
  type    = bool
  default = false
}

variable "reputation_urls" {
  type        = list(string)
  default     = []
  description = "Attestors' base URLs (http://host:4658); providers they rate below the threshold get no new work. Empty: reputation is off."
}

variable "count" {
  type        = number
  default     = 1
  description = "Allocators in the region; more than one needs leader_lock. They run on distinct nodes."
}

variable "leader_lock" {
  type        = string
  default     = ""
  description = "Nomad variable whose lock elects the allocator that admits, e.g. dec2/allocator/leader; empty: one allocator runs alone."
}

variable "datacenters" {
  type    = list(string)
  default = ["*"]
}

job "dec2-allocator" {
  type        = "service"
  datacenters = var.datacenters

  group "allocator" {
    count = var.count

    constraint {
      distinct_hosts = true
    }

    network {
      port "http" {
        static = var.port
      }
    }

    # Nomad's own catalogue lists the region's allocators (nomad service info [-region R]
    # dec2-allocator); the leader is the one the lock variable names.
    service {
      name     = "dec2-allocator"
      provider = "nomad"
      port     = "http"
    }

    restart {
      attempts = 10
      interval = "5m"
      delay    = "5s"
      mode     = "delay"
    }

    task "allocator" {
      driver = "docker"

      config {
        image = var.image
        # Nomad is reached on the node's loopback, and callers reach the allocator there.
        network_mode = "host"
        args = concat(["serve", "--listen", "${NOMAD_IP_http}:${NOMAD_PORT_http}", "--nomad-addr", var.nomad_addr,
          "--pack-all=${var.pack_all}"],
          flatten([for u in var.reputation_urls : ["--reputation-url", u]]),
        var.leader_lock == "" ? [] : ["--leader-lock", var.leader_lock, "--advertise", "http://${NOMAD_IP_http}:${NOMAD_PORT_http}"])
        cap_drop = ["all"]
      }

      env {
        NOMAD_TOKEN = var.token
      }

      resources {
        cpu    = 500
        memory = 256
      }
    }
  }
}
