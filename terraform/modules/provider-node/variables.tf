variable "node_name" {
  type        = string
  description = "Nomad node name of the provider machine."

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", var.node_name))
    error_message = "node_name must be 1-63 letters, digits, dots, dashes or underscores."
  }
}

variable "servers" {
  type        = list(string)
  description = "The region's Nomad servers to join, as host:port of their RPC (4647)."

  validation {
    condition     = length(var.servers) > 0 && alltrue([for s in var.servers : can(regex("^[^:\\s]+:[0-9]+$", s))])
    error_message = "servers must list at least one server as host:port, e.g. 10.0.0.10:4647."
  }
}

variable "acl" {
  type        = bool
  default     = true
  description = "The region enforces Nomad ACLs, as every dec2 region with tenants does; false only for a private region without them."
}

variable "region" {
  type        = string
  default     = "global"
  description = "Nomad region of the servers; in a federation, the region this machine serves (docs/federation.md)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.region))
    error_message = "region must be 1-63 lowercase letters, digits and dashes, e.g. eu or us-east (as dec2 provider join --region)."
  }
}

variable "datacenter" {
  type    = string
  default = "dc1"
}

variable "wallet" {
  type        = string
  description = "Provider wallet paid for the work (node meta dec2.wallet)."

  validation {
    condition     = can(regex("^0x[0-9a-fA-F]{40}$", var.wallet))
    error_message = "wallet must be a 0x-prefixed 20-byte hex address."
  }
}

variable "prices" {
  type = object({
    cpu_ghz_hour = optional(string, "0")
    mem_gb_hour  = optional(string, "0")
    disk_gb_hour = optional(string, "0")
    gpu_hour     = optional(map(string), {})
  })
  default     = {}
  description = "Tokens per hour: 1 GHz of CPU, 1 GiB of memory, 1 GiB of disk, one whole GPU by model."

  validation {
    condition = alltrue([for p in concat([var.prices.cpu_ghz_hour, var.prices.mem_gb_hour, var.prices.disk_gb_hour], values(var.prices.gpu_hour)) :
    can(regex("^[0-9]+(\\.[0-9]{1,18})?$", p))])
    error_message = "prices must be decimal token amounts such as 0.02 (at most 18 decimals)."
  }
}

variable "dedicated_tenant" {
  type        = string
  default     = ""
  description = "Namespace whose work alone may run here (node meta dec2.dedicated_tenant); empty = shared."
}

variable "gpu" {
  type = object({
    enabled           = optional(bool, true)
    plugin_url        = optional(string, "")
    backends          = optional(list(string), ["nvml", "sysfs"])
    fake_devices_json = optional(string, "")
    shares_per_gpu    = optional(number, 1)
  })
  default     = {}
  description = "The dec2-gpu device plugin: where to download it (empty = already in plugin_dir), its backends, fake GPUs (JSON, for machines without one) and GPU sharing."

  validation {
    condition     = var.gpu.shares_per_gpu >= 1 && var.gpu.shares_per_gpu <= 64
    error_message = "gpu.shares_per_gpu must be 1 (whole GPUs) to 64."
  }
}

variable "nomad" {
  type = object({
    version = optional(string, "1.11.3")
    url     = optional(string, "")
    sha256  = optional(string, "")
  })
  default     = {}
  description = "Nomad to install: version (from releases.hashicorp.com unless url is set) and the zip's SHA-256 to check."
}

variable "paths" {
  type = object({
    config_dir = optional(string, "/etc/nomad.d")
    data_dir   = optional(string, "/opt/nomad/data")
    plugin_dir = optional(string, "/opt/nomad/plugins")
  })
  default = {}
}

variable "network" {
  type = object({
    bind_addr         = optional(string, "0.0.0.0")
    advertise_addr    = optional(string, "")
    network_interface = optional(string, "")
    http_port         = optional(number, 4646)
    rpc_port          = optional(number, 4647)
    serf_port         = optional(number, 4648)
  })
  default     = {}
  description = "Where the agent listens; advertise_addr is required when bind_addr is a loopback address."
}

variable "client" {
  type = object({
    cpu_total_compute    = optional(number, 0)
    memory_total_mb      = optional(number, 0)
    cgroup_parent        = optional(string, "")
    fingerprint_denylist = optional(list(string), [])
    shared_docker        = optional(bool, false)
  })
  default     = {}
  description = "Client overrides: CPU and memory to offer (0 = fingerprinted), cgroup parent, fingerprinters to skip, and shared_docker for an engine other Nomad clients use (no image or dangling-container GC)."
}
