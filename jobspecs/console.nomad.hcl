# dec2-console as a Nomad job: the web console for the region's users, each signed in with the
# wallet in their browser (EIP-1193, Sign-In with Ethereum through dec2-identity). See
# docs/console.md ("In a region").
#
#   nomad job run -var image=dec2-console:<tag> -var identity_url=http://<node>:4657 \
#     -var allocator=http://<node>:4656 -var billing_url=http://<node>:9466 \
#     -var public_url=https://console.<region> jobspecs/console.nomad.hcl
#
# The console holds no secret of its own: it has no Nomad token of its own and no wallet key
# (deposits and withdrawals are sent by the user's browser wallet). Each user's Nomad token
# comes from their sign-in and stays on the console's side until it expires or the user signs
# out, kept in the allocation's data directory (alloc/data/sessions.json, mode 0600, each
# session under the hash of its cookie) so that a restart or a replacement allocation
# (ephemeral_disk migrate) serves its users without a new sign-in. The message the wallet shows
# names the page it signs on: list the console's host[:port] in dec2-identity's -domain
# (identity.nomad.hcl's console_domains).
#
# With -var storage=http://<node>:4659 the buckets page shows each user what their pieces take
# on each provider and cost an hour, read as one of dec2-storage's --meter wallets, whose key
# comes from the job's variable (never the jobspec):
#
#   nomad var put nomad/jobs/dec2-console meter_key=<hex key>

variable "image" {
  type        = string
  default     = "dec2-console:latest"
  description = "Image with the dec2-console binary as its entrypoint (built FROM scratch)."
}

variable "nomad_addr" {
  type        = string
  default     = "http://127.0.0.1:4646"
  description = "Nomad's HTTP API as seen from the console's node: users' pages read it, and sign-ins swap their JWTs there."
}

variable "allocator" {
  type        = string
  default     = "http://127.0.0.1:4656"
  description = "dec2-allocator's URL (comma-separated for several): launches go through it, the region page reads its packing."
}

variable "identity_url" {
  type        = string
  default     = "http://127.0.0.1:4657"
  description = "dec2-identity's URL, where sign-ins get their nonce and are checked."
}

variable "billing_url" {
  type        = string
  default     = "http://127.0.0.1:9466"
  description = "dec2-billing's URL: the statements of the wallet and provider pages."
}

variable "operator" {
  type        = string
  default     = ""
  description = "The billing operator's address a launch requires the deposit to authorise."
}

variable "public_url" {
  type        = string
  default     = ""
  description = "The console's URL as users reach it (the signed message's URI; https:// makes the cookie Secure); default the request's host."
}

variable "attestors" {
  type        = list(string)
  default     = []
  description = "Attestors' base URLs (http://host:4658) the provider page reads reputation from."
}

variable "storage" {
  type        = string
  default     = ""
  description = "dec2-storage's URL for the buckets page (needs meter_key in the variable nomad/jobs/dec2-console); empty: the page says storage is not configured."
}

variable "chain_rpc" {
  type        = string
  default     = "http://127.0.0.1:8545"
  description = "The chain's JSON-RPC URL: balances, escrow and stakes."
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

variable "port" {
  type    = number
  default = 4662
}

variable "max_sessions" {
  type        = number
  default     = 1000
  description = "Most users signed in at once: each session follows Nomad's event streams."
}

variable "datacenters" {
  type    = list(string)
  default = ["*"]
}

job "dec2-console" {
  type        = "service"
  datacenters = var.datacenters

  group "console" {
    count = 1

    network {
      port "http" {
        static = var.port
      }
    }

    # The sessions' file follows the console to its next allocation.
    ephemeral_disk {
      sticky  = true
      migrate = true
    }

    restart {
      attempts = 10
      interval = "5m"
      delay    = "5s"
      mode     = "delay"
    }

    task "console" {
      driver = "docker"

      config {
        image = var.image
        # Nomad, the allocator, identity, billing and the chain are reached on the node's
        # loopback; users reach the console at the node's address.
        network_mode = "host"
        args = concat(["serve", "--listen", "${NOMAD_IP_http}:${NOMAD_PORT_http}", "--nomad-addr", var.nomad_addr,
          "--allocator", var.allocator, "--identity", var.identity_url, "--billing-url", var.billing_url,
          "--operator", var.operator, "--rpc-url", var.chain_rpc, "--deployment", "${NOMAD_TASK_DIR}/deployment.json",
          "--max-sessions", "${var.max_sessions}", "--sessions", "${NOMAD_ALLOC_DIR}/data/sessions.json"],
          var.public_url == "" ? [] : ["--public-url", var.public_url],
          var.storage == "" ? [] : ["--storage", var.storage],
        flatten([for u in var.attestors : ["--attestor", u]]))
        cap_drop = ["all"]
      }

      template {
        data        = jsonencode({ chainId = var.chain_id, token = var.token, registry = var.registry, escrow = var.escrow })
        destination = "local/deployment.json"
      }

      # The storage meter's key when the job's variable holds one (nomadVarExists does not
      # block, so no variable is needed without storage).
      template {
        data        = <<-EOT
          {{ if nomadVarExists "nomad/jobs/dec2-console" }}{{ with nomadVar "nomad/jobs/dec2-console" }}DEC2_CONSOLE_METER_KEY={{ .meter_key }}{{ end }}{{ end }}
        EOT
        destination = "secrets/meter.env"
        env         = true
      }

      resources {
        cpu    = 300
        memory = 256
      }
    }
  }
}
