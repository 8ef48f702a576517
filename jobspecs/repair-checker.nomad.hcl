# The dec2-repair checker as a Nomad service job: every `every` it does the cheap part of a
# repair round (`dec2-repair watch`: which storage nodes are lost or condemned, whether a
# segment has a piece on them, orphans to collect, narrow segments to widen) and, when there is
# work and no worker under way, registers the worker (repair.nomad.hcl, built into the binary)
# through dec2-allocator, which packs and pins it onto a provider. See docs/storage.md
# ("Repair").
#
#   nomad var put -namespace <namespace> nomad/jobs/dec2-repair-checker key=<repairer's hex private key> nomad_token=<token>
#   nomad var put -namespace <namespace> nomad/jobs/dec2-repair key=<the same key> nomad_token=<node:read token>
#   nomad job run -var namespace=<namespace> -var image=ghcr.io/dec2-cloud/dec2-repair:<tag> \
#     -var storage=http://<dec2-storage>:4659 -var allocator=http://<dec2-allocator>:4656 jobspecs/repair-checker.nomad.hcl
#
# The checker's token reads nodes and submits and reads jobs in the namespace; the worker's
# reads nodes. Each job reads its own variable nomad/jobs/<job id>, so the key is in both. The
# worker's variables are rendered from this job's into local/worker.vars.hcl: one grace, one
# image and one set of attestors for both.

variable "name" {
  type        = string
  default     = "dec2-repair-checker"
  description = "Job ID; also names the Nomad variable nomad/jobs/<name> holding the key and token."
}

variable "worker" {
  type        = string
  default     = "dec2-repair"
  description = "The worker's job ID, and its variable nomad/jobs/<worker>."
}

variable "namespace" {
  type        = string
  default     = "default"
  description = "The namespace both jobs run in: a tenant bound to a wallet (the repair fund's), which the worker is billed to."
}

variable "image" {
  type        = string
  default     = "ghcr.io/dec2-cloud/dec2-repair:latest"
  description = "Image with the dec2-repair binary as its entrypoint (the checker's and the worker's)."
}

variable "storage" {
  type        = string
  default     = "http://127.0.0.1:4659"
  description = "The storage service's URL (dec2-storage)."
}

variable "allocator" {
  type        = string
  default     = "http://127.0.0.1:4656"
  description = "dec2-allocator's address: the checker reads nodes and registers the worker through it."
}

variable "nomad_addr" {
  type        = string
  default     = "http://127.0.0.1:4646"
  description = "Nomad's HTTP address as the worker reaches it from the provider it runs on."
}

variable "every" {
  type    = string
  default = "30s"
}

variable "grace" {
  type        = string
  default     = "10m"
  description = "How long a storage node stays down before its pieces count as lost (the checker's and the worker's)."
}

variable "reputation_urls" {
  type        = list(string)
  default     = []
  description = "Attestors' base URLs (http://host:4658), for the checker and the worker."
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

job "dec2-repair-checker" {
  id          = var.name
  name        = var.name
  namespace   = var.namespace
  type        = "service"
  datacenters = var.datacenters

  group "checker" {
    count = 1

    task "watch" {
      driver = "docker"

      config {
        image        = var.image
        network_mode = "host"
        args = concat(["watch", "--storage", var.storage, "--nomad-addr", var.allocator,
          "--key-file", "${NOMAD_SECRETS_DIR}/repair.key", "--var-file", "${NOMAD_TASK_DIR}/worker.vars.hcl",
          "--every", var.every, "--grace", var.grace],
        flatten([for u in var.reputation_urls : ["--reputation-url", u]]))
        cap_drop = ["all"]
      }

      template {
        data        = <<-EOT
          name            = ${jsonencode(var.worker)}
          namespace       = ${jsonencode(var.namespace)}
          image           = ${jsonencode(var.image)}
          storage         = ${jsonencode(var.storage)}
          nomad_addr      = ${jsonencode(var.nomad_addr)}
          grace           = ${jsonencode(var.grace)}
          reputation_urls = ${jsonencode(var.reputation_urls)}
          parallel        = ${var.parallel}
          chain_id        = ${var.chain_id}
          datacenters     = ${jsonencode(var.datacenters)}
        EOT
        destination = "local/worker.vars.hcl"
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
        cpu    = 100
        memory = 128
      }
    }
  }
}
