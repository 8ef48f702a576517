# dec2-storagenode as a Nomad job: one storage node pinned to one provider's Nomad client,
# keeping pieces of dec2 S3 objects on that client's host volume and signing a receipt for
# each upload with the provider's key. See docs/storage.md ("Storage node").
#
# The provider's client declares the volume (what `dec2 provider join --storage DIR` writes):
#
#   client {
#     host_volume "dec2-storage" {
#       path      = "/srv/dec2-storage"
#       read_only = false
#     }
#   }
#
#   nomad var put nomad/jobs/dec2-storagenode-<node> key=<provider's hex private key>
#   nomad job run -var name=dec2-storagenode-<node> -var node=<node name> \
#     -var capacity=500000000000 -var image=ghcr.io/dec2-cloud/dec2-storagenode:<tag> \
#     jobspecs/storagenode.nomad.hcl
#
# One job per provider node, named after it: the node's pieces live on its own disk, so the
# job is pinned there and never moves (a rescheduled storage node elsewhere would be empty).
# The key comes from the Nomad variable nomad/jobs/<name> (item key), rendered into the task's
# secrets directory and passed as --key-file: it is never in the jobspec or its history.

variable "name" {
  type        = string
  default     = "dec2-storagenode"
  description = "Job ID; also names the Nomad variable nomad/jobs/<name> holding the provider key."
}

variable "node" {
  type        = string
  description = "Name of the Nomad client (node.unique.name) whose disk holds the pieces."
}

variable "image" {
  type        = string
  default     = "ghcr.io/dec2-cloud/dec2-storagenode:latest"
  description = "Image with the dec2-storagenode binary as its entrypoint."
}

variable "volume" {
  type        = string
  default     = "dec2-storage"
  description = "The client's host volume holding the pieces."
}

variable "capacity" {
  type        = string
  description = "Bytes of pieces the node may hold (node meta dec2.storage.capacity_bytes); a string, so large sizes stay exact."
}

variable "max_piece_size" {
  type    = string
  default = "268435456"
}

variable "chain_id" {
  type    = number
  default = 1337
}

variable "port" {
  type    = number
  default = 4660
}

variable "datacenters" {
  type    = list(string)
  default = ["*"]
}

job "dec2-storagenode" {
  id          = var.name
  name        = var.name
  type        = "service"
  datacenters = var.datacenters

  group "storage" {
    count = 1

    constraint {
      attribute = "${node.unique.name}"
      value     = var.node
    }

    volume "data" {
      type      = "host"
      source    = var.volume
      read_only = false
    }

    network {
      port "http" {
        static = var.port
      }
    }

    # The node answers for its pieces: restart it in place, never elsewhere.
    restart {
      attempts = 10
      interval = "5m"
      delay    = "5s"
      mode     = "delay"
    }

    reschedule {
      attempts  = 0
      unlimited = false
    }

    task "storagenode" {
      driver = "docker"

      config {
        image = var.image
        # Gateways reach the node at its client's address and static port.
        network_mode = "host"
        args = ["serve", "--listen", "${NOMAD_IP_http}:${NOMAD_PORT_http}", "--data", "/data",
          "--capacity", var.capacity, "--max-piece-size", var.max_piece_size,
        "--key-file", "${NOMAD_SECRETS_DIR}/provider.key", "--chain-id", "${var.chain_id}"]
        cap_drop = ["all"]
      }

      volume_mount {
        volume      = "data"
        destination = "/data"
      }

      template {
        data        = <<-EOT
          {{ with nomadVar "nomad/jobs/${var.name}" }}{{ .key }}{{ end }}
        EOT
        destination = "secrets/provider.key"
        perms       = "0400"
      }

      resources {
        cpu    = 500
        memory = 256
      }
    }
  }
}
