# dec2-billing, the billing sidecar, as a Nomad job. Exactly one instance may write the journal:
# count = 1, and the journal lives on a sticky, migrating ephemeral disk so a restart or
# reschedule finds the intents it must reconcile with the chain.
#
# Secrets come from the Nomad variable nomad/jobs/dec2-billing (never from the jobspec):
#   nomad var put nomad/jobs/dec2-billing operator_key=<hex key> nomad_token=<token>
# The token needs the read-only policy plus job-stop (insolvency), e.g.
#   namespace "*" { policy = "read" capabilities = ["submit-job"] }  node { policy = "read" }

variable "image" {
  type        = string
  description = "dec2-billing image (FROM scratch around the static binary)"
  default     = "dec2-billing:latest"
}

variable "chain_rpc" {
  type    = string
  default = "http://127.0.0.1:8545"
}

variable "escrow" {
  type        = string
  description = "StreamEscrow address (deployments/<chain-id>.json: escrow)"
}

variable "confirmations" {
  type    = number
  default = 2
}

variable "insolvency_grace" {
  type    = string
  default = "5m"
}

variable "storage" {
  type        = string
  default     = ""
  description = "dec2-storage's URL: pay providers for stored pieces (the operator must be one of its --meter wallets); empty: off."
}

variable "storage_interval" {
  type    = string
  default = "5m"
}

job "dec2-billing" {
  type = "service"

  group "billing" {
    count = 1

    update {
      max_parallel = 1
    }

    ephemeral_disk {
      size    = 512
      sticky  = true
      migrate = true
    }

    network {
      mode = "host"
      port "metrics" {
        static = 9466
      }
    }

    task "billing" {
      driver = "docker"

      config {
        image        = var.image
        network_mode = "host"
        args = [
          "run",
          "--nomad-addr", "http://127.0.0.1:4646",
          "--chain-rpc", var.chain_rpc,
          "--escrow", var.escrow,
          "--confirmations", "${var.confirmations}",
          "--insolvency-grace", var.insolvency_grace,
          "--journal", "${NOMAD_ALLOC_DIR}/data/dec2-billing.db",
          "--metrics-addr", "127.0.0.1:${NOMAD_PORT_metrics}",
          "--storage", var.storage,
          "--storage-interval", var.storage_interval,
        ]
      }

      template {
        destination = "secrets/billing.env"
        env         = true
        data        = <<-EOT
          {{ with nomadVar "nomad/jobs/dec2-billing" }}
          DEC2_BILLING_KEY={{ .operator_key }}
          NOMAD_TOKEN={{ .nomad_token }}
          {{ end }}
        EOT
      }

      resources {
        cpu    = 500
        memory = 256
      }
    }
  }
}
