# The dec2-repair worker as a one-shot Nomad batch job: one repair round (`dec2-repair run
# --once`) that finds storage nodes Nomad has had down past the grace (and, with
# reputation_urls, those the attestors disqualify by audits), rebuilds the lost pieces of their
# segments from k healthy ones (ciphertext only: no consumer key), puts them on providers the
# packer chooses and swaps them into the storage service's catalog. See docs/storage.md
# ("Repair").
#
# The checker (repair-checker.nomad.hcl, `dec2-repair watch`) registers it through
# dec2-allocator whenever a round has work and no run is under way, with the variables it
# renders; dec2.pack has the allocator pack and pin it like any tenant's job, so it runs on a
# provider of the namespace's choosing and is billed to the namespace's wallet (the repair
# fund's). By hand, one round:
#
#   nomad var put -namespace <namespace> nomad/jobs/dec2-repair key=<repairer's hex private key> nomad_token=<node:read token>
#   NOMAD_ADDR=http://<dec2-allocator>:4656 nomad job run -var namespace=<namespace> \
#     -var image=ghcr.io/dec2-cloud/dec2-repair:<tag> -var storage=http://<dec2-storage>:4659 jobspecs/repair.nomad.hcl
#
# The repairer's wallet must be one of dec2-storage's --repairer wallets (storage.nomad.hcl's
# `repairers`), and the namespace a tenant bound to a wallet (the allocator packs only those).
# Its key and Nomad token come from the Nomad variable nomad/jobs/<name> (items key and
# nomad_token), never from the jobspec. The task shares its provider's network (it reaches
# Nomad, the storage service and the nodes at their addresses), which the allocator allows
# only on providers dedicated to the namespace (node meta dec2.dedicated_tenant).

variable "name" {
  type        = string
  default     = "dec2-repair"
  description = "Job ID; also names the Nomad variable nomad/jobs/<name> holding the key and token."
}

variable "namespace" {
  type        = string
  default     = "default"
  description = "The namespace the worker runs and is billed in: a tenant bound to a wallet (the repair fund's)."
}

variable "image" {
  type        = string
  default     = "ghcr.io/dec2-cloud/dec2-repair:latest"
  description = "Image with the dec2-repair binary as its entrypoint."
}

variable "storage" {
  type        = string
  description = "The storage service's URL (dec2-storage)."
}

variable "nomad_addr" {
  type        = string
  default     = "http://127.0.0.1:4646"
  description = "Nomad's HTTP address, where the worker reads the storage nodes."
}

variable "grace" {
  type        = string
  default     = "10m"
  description = "How long a storage node stays down before its pieces count as lost."
}

variable "reputation_urls" {
  type        = list(string)
  default     = []
  description = "Attestors' base URLs (http://host:4658): nodes a majority disqualify by audits have their pieces rebuilt elsewhere, and those and the nodes they give no work get no new pieces. Empty: Nomad's node status alone."
}

variable "parallel" {
  type    = number
  default = 4
}

variable "chain_id" {
  type    = number
  default = 1337
}

variable "datacenters" {
  type    = list(string)
  default = ["*"]
}

job "dec2-repair" {
  id          = var.name
  name        = var.name
  namespace   = var.namespace
  type        = "batch"
  datacenters = var.datacenters

  meta = {
    "dec2.pack" = "true"
  }

  group "repair" {
    count = 1

    restart {
      attempts = 2
      interval = "5m"
      delay    = "10s"
      mode     = "fail"
    }

    # A failed run is not placed again by Nomad, which would keep the allocator's pin: the
    # checker registers the next run, which the allocator packs anew.
    reschedule {
      attempts  = 0
      unlimited = false
    }

    task "repair" {
      driver = "docker"

      config {
        image        = var.image
        network_mode = "host"
        args = concat(["run", "--once", "--storage", var.storage, "--nomad-addr", var.nomad_addr,
          "--key-file", "${NOMAD_SECRETS_DIR}/repair.key", "--grace", var.grace,
          "--parallel", var.parallel, "--chain-id", var.chain_id],
        flatten([for u in var.reputation_urls : ["--reputation-url", u]]))
        cap_drop = ["all"]
      }

      template {
        data        = <<-EOT
          {{ with nomadVar "nomad/jobs/${var.name}" }}{{ .key }}{{ end }}
        EOT
        destination = "secrets/repair.key"
        perms       = "0400"
      }

      template {
        data        = <<-EOT
          {{ with nomadVar "nomad/jobs/${var.name}" }}NOMAD_TOKEN={{ .nomad_token }}{{ end }}
        EOT
        destination = "secrets/nomad.env"
        env         = true
      }

      resources {
        cpu    = 500
        memory = 512
      }
    }
  }
}
