# dec2-attestor as a Nomad job: one attestor watching the region's providers, keeping their
# reputation (GET /v1/reputation, which the allocator's --reputation-url and
# `dec2 provider status --attestor` read) and, with its peers, slashing providers whose nodes
# stay down. See docs/attestor.md.
#
#   nomad var put nomad/jobs/dec2-attestor key=<attestor's hex private key> nomad_token=<read token>
#   nomad job run -var image=ghcr.io/dec2-cloud/dec2-attestor:<tag> -var chain_rpc=http://<rpc>:8545 \
#     -var 'peers=["0xPEER1=http://10.0.1.5:4658", "0xPEER2=http://10.0.2.5:4658"]' jobspecs/attestor.nomad.hcl
#
# One attestor per job, and each attestor on infrastructure of its own (its own operator, Nomad
# client and chain RPC): a quorum of attestors is only worth as much as their independence. Run
# another one with -var name=dec2-attestor-2 and its own variable nomad/jobs/dec2-attestor-2.
#
# The attestor's key and Nomad token come from the Nomad variable nomad/jobs/<name> (items key
# and nomad_token), which only this job's workload identity and operators can read: they are
# never in the jobspec, the job's version history or `nomad job inspect`. The key is rendered
# into the task's secrets directory and passed as --key-file; the task waits until the
# variable exists. The token needs node:read, read-job on every namespace and the event stream.

variable "name" {
  type        = string
  default     = "dec2-attestor"
  description = "Job ID; also names the Nomad variable nomad/jobs/<name> holding the key and token."
}

variable "image" {
  type        = string
  default     = "ghcr.io/dec2-cloud/dec2-attestor:latest"
  description = "Image with the dec2-attestor binary as its entrypoint."
}

variable "nomad_addr" {
  type        = string
  default     = "http://127.0.0.1:4646"
  description = "Nomad's HTTP API as seen from the attestor's node."
}

variable "chain_rpc" {
  type        = string
  default     = "http://127.0.0.1:8545"
  description = "The chain's JSON-RPC URL."
}

variable "chain_id" {
  type    = number
  default = 1337
}

# The contracts' addresses (the dev chain's by default, as in deployments/1337.json).
variable "token" {
  type    = string
  default = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
}

variable "registry" {
  type    = string
  default = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"
}

variable "escrow" {
  type    = string
  default = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
}

variable "deploy_block" {
  type        = number
  default     = 1
  description = "Block the contracts were deployed in: chain events are read from it."
}

variable "peers" {
  type        = list(string)
  default     = []
  description = "The other attestors, each \"0xADDRESS=http://host:port\"."
}

variable "port" {
  type    = number
  default = 4658
}

variable "grace" {
  type        = string
  default     = "10m"
  description = "How long a node stays down before it is reported (never less than a job's disconnect.lost_after)."
}

variable "leader_hold" {
  type        = string
  default     = "300s"
  description = "No signature for this long after a Nomad leader change."
}

variable "freeze_share" {
  type        = string
  default     = "0.34"
  description = "Share of nodes going down together that freezes slashing (a mass outage)."
}

variable "probe_every" {
  type    = string
  default = "30s"
}

variable "stage" {
  type        = string
  default     = "1m"
  description = "How long each fallback waits after the report's leader before it proposes instead."
}

variable "datacenters" {
  type    = list(string)
  default = ["*"]
}

job "dec2-attestor" {
  id          = var.name
  name        = var.name
  type        = "service"
  datacenters = var.datacenters

  group "attestor" {
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

    task "attestor" {
      driver = "docker"

      config {
        image = var.image
        # Nomad and the chain's RPC are reached on the node's loopback; peers, the allocator
        # and providers reach the attestor at the node's address.
        network_mode = "host"
        args = concat(["serve", "--listen", "${NOMAD_IP_http}:${NOMAD_PORT_http}", "--nomad-addr", var.nomad_addr,
          "--chain-rpc", var.chain_rpc, "--deployment", "${NOMAD_TASK_DIR}/deployment.json",
          "--key-file", "${NOMAD_SECRETS_DIR}/attestor.key", "--grace", var.grace, "--leader-hold", var.leader_hold,
          "--freeze-share", var.freeze_share, "--probe-every", var.probe_every, "--stage", var.stage],
        flatten([for p in var.peers : ["--peer", p]]))
        cap_drop = ["all"]
      }

      template {
        data = jsonencode({ chainId = var.chain_id, token = var.token, registry = var.registry,
        escrow = var.escrow, block = var.deploy_block })
        destination = "local/deployment.json"
      }

      template {
        data        = <<-EOT
          {{ with nomadVar "nomad/jobs/${var.name}" }}{{ .key }}{{ end }}
        EOT
        destination = "secrets/attestor.key"
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
        cpu    = 300
        memory = 256
      }
    }
  }
}
