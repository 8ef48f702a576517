# dec2-storage as a Nomad job: the storage service holding the metadata of tenants' buckets,
# objects, segments and pieces behind a wallet-signed API (port 4659). See docs/storage.md.
#
#   nomad job run -var image=ghcr.io/dec2-cloud/dec2-storage:<tag> jobspecs/storage.nomad.hcl
#
# The database is embedded SQLite in the allocation's data directory by default, on a sticky,
# migrating ephemeral disk: a replaced allocation keeps it where Nomad can move it, but a lost
# node loses it, so one machine's SQLite suits a small region only. For anything larger run
# PostgreSQL (or a Postgres-wire distributed database) and store its URL, password included,
# in the Nomad variable nomad/jobs/dec2-storage (item db):
#
#   nomad var put nomad/jobs/dec2-storage db=postgres://dec2:<password>@db.internal:5432/dec2
#
# Only this job's workload identity and operators read that variable: the URL is never in the
# jobspec, the job's version history or `nomad job inspect`. One instance with SQLite; with
# PostgreSQL, raise count (each instance keeps its own replay guard, see docs/storage.md).
#
# With SQLite, set snapshot_every to store the database on the region's storage nodes,
# encrypted and erasure-coded, so that a lost node loses no metadata (`dec2-storage restore`
# rebuilds it; docs/storage.md, "Metadata snapshots"). The service's wallet key and a Nomad
# token that may read nodes come from the group's variable:
#
#   nomad var put nomad/jobs/dec2-storage/storage key=<hex private key> nomad_token=<node:read token>

variable "image" {
  type        = string
  default     = "ghcr.io/dec2-cloud/dec2-storage:latest"
  description = "Image with the dec2-storage binary as its entrypoint."
}

variable "port" {
  type    = number
  default = 4659
}

variable "count" {
  type        = number
  default     = 1
  description = "Instances; more than one only with a PostgreSQL database."
}

variable "operators" {
  type        = list(string)
  default     = []
  description = "Wallets that may list any provider's pieces (billing, auditors)."
}

variable "meters" {
  type        = list(string)
  default     = []
  description = "Wallets that may read every tenant's usage per provider (the billing operator)."
}

variable "repairers" {
  type        = list(string)
  default     = []
  description = "Wallets of dec2-repair workers, which may read and swap any segment's pieces."
}

variable "snapshot_every" {
  type        = string
  default     = "0s"
  description = "How often to store a metadata snapshot on the storage nodes (0s: never; SQLite only)."
}

variable "nomad_addr" {
  type        = string
  default     = "http://127.0.0.1:4646"
  description = "Nomad's HTTP address, where the storage nodes are listed for snapshots."
}

variable "chain_id" {
  type    = number
  default = 1337
}

variable "datacenters" {
  type    = list(string)
  default = ["*"]
}

job "dec2-storage" {
  type        = "service"
  datacenters = var.datacenters

  group "storage" {
    count = var.count

    update {
      max_parallel = 1
    }

    ephemeral_disk {
      size    = 1024
      sticky  = true
      migrate = true
    }

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

    task "storage" {
      driver = "docker"

      config {
        image = var.image
        # Gateways reach the service at the node's address; a PostgreSQL URL may name its loopback.
        network_mode = "host"
        args = concat(["serve", "--listen", "${NOMAD_IP_http}:${NOMAD_PORT_http}",
          "--snapshot-every", var.snapshot_every, "--nomad-addr", var.nomad_addr, "--chain-id", format("%d", var.chain_id)],
          flatten([for o in var.operators : ["--operator", o]]),
          flatten([for m in var.meters : ["--meter", m]]),
        flatten([for r in var.repairers : ["--repairer", r]]))
        cap_drop = ["all"]
      }

      # --db comes from the environment: the variable's URL when it exists, else SQLite on the
      # allocation's data directory. nomadVarExists does not block, so no variable is needed.
      template {
        data        = <<-EOT
          {{ if nomadVarExists "nomad/jobs/dec2-storage" }}{{ with nomadVar "nomad/jobs/dec2-storage" }}DEC2_STORAGE_DB={{ .db }}{{ end }}{{ else }}DEC2_STORAGE_DB=sqlite:///alloc/data/meta.db{{ end }}
        EOT
        destination = "secrets/db.env"
        env         = true
      }

      # The snapshots' wallet key and Nomad token, when the group's variable holds them.
      template {
        data        = <<-EOT
          {{ if nomadVarExists "nomad/jobs/dec2-storage/storage" }}{{ with nomadVar "nomad/jobs/dec2-storage/storage" }}DEC2_STORAGE_KEY={{ .key }}
          NOMAD_TOKEN={{ .nomad_token }}{{ end }}{{ end }}
        EOT
        destination = "secrets/snapshots.env"
        env         = true
      }

      resources {
        cpu    = 300
        memory = 256
      }
    }
  }
}
