# dec2-identity as a Nomad job: wallet sign-in (Sign-In with Ethereum → JWT → Nomad ACL token).
# See docs/identity.md.
#
#   nomad var put nomad/jobs/dec2-identity management_token=<management token secret>
#   nomad job run -var image=dec2-identity:<tag> -var public_url=http://<node>:4657 jobspecs/identity.nomad.hcl
#
# The management token comes from the Nomad variable nomad/jobs/dec2-identity (item
# management_token), which only this job's workload identity and operators can read: it is
# never in the jobspec, the job's version history or `nomad job inspect`. The template renders
# it into the task's secrets directory as NOMAD_TOKEN; the task waits until the variable exists.
#
# One instance: the JWT signing key is generated at start, so each instance would publish its
# own JWKS. A restart only invalidates JWTs not yet swapped at Nomad (they live 15 minutes and
# are swapped within seconds); Nomad tokens already issued are unaffected.

variable "image" {
  type        = string
  default     = "dec2-identity:latest"
  description = "Image with the dec2-identity binary as its entrypoint (built FROM scratch)."
}

variable "nomad_addr" {
  type        = string
  default     = "http://127.0.0.1:4646"
  description = "Nomad's HTTP API as seen from the service's node."
}

variable "public_url" {
  type        = string
  default     = ""
  description = "The service's URL as Nomad's servers and consumers reach it (JWKS URL, message domain); default http://<node ip>:<port>."
}

variable "console_domains" {
  type        = list(string)
  default     = []
  description = "Each region console's host[:port] (dec2-console's public URL): messages naming it are accepted besides the service's own domain."
}

variable "chain_id" {
  type    = number
  default = 1337
}

variable "port" {
  type    = number
  default = 4657
}

variable "token_ttl" {
  type        = string
  default     = "1h"
  description = "Life of a Nomad token from a wallet login."
}

variable "datacenters" {
  type    = list(string)
  default = ["*"]
}

job "dec2-identity" {
  type        = "service"
  datacenters = var.datacenters

  group "identity" {
    count = 1

    network {
      port "http" {
        static = var.port
      }
    }

    restart {
      attempts = 10
      interval = "5m"
      delay    = "5s"
      mode     = "delay"
    }

    task "identity" {
      driver = "docker"

      config {
        image = var.image
        # Nomad is reached on the node's loopback; Nomad's servers fetch the JWKS from the node.
        network_mode = "host"
        args = concat(["-listen", "${NOMAD_IP_http}:${NOMAD_PORT_http}", "-nomad-addr", var.nomad_addr,
          "-public-url", var.public_url != "" ? var.public_url : "http://${NOMAD_IP_http}:${NOMAD_PORT_http}",
          "-chain-id", "${var.chain_id}", "-token-ttl", var.token_ttl],
        flatten([for d in var.console_domains : ["-domain", d]]))
        cap_drop = ["all"]
      }

      template {
        data        = <<-EOT
          {{ with nomadVar "nomad/jobs/dec2-identity" }}NOMAD_TOKEN={{ .management_token }}{{ end }}
        EOT
        destination = "secrets/nomad.env"
        env         = true
      }

      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
