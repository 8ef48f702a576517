# Turn a bare Linux machine into a dec2 provider: render its cloud-init user data, then hand it
# to the machine (a cloud's instance resource takes it as user_data; on a bare machine, place
# it as /var/lib/cloud/seed/nocloud/user-data with an empty meta-data next to it and reboot,
# or run the rendered install script after writing client.hcl by hand).
#
#   tofu apply -var 'servers=["10.0.0.10:4647"]' -var wallet=0x… && tofu output -raw user_data

variable "node_name" {
  type    = string
  default = "rig-1"
}

variable "servers" {
  type = list(string)
}

variable "wallet" {
  type = string
}

variable "gpu_plugin_url" {
  type        = string
  default     = ""
  description = "Where the machine downloads dec2-gpu (make plugins builds it); empty = already installed."
}

# The tests run the rendered client on this host: they override where it listens and stores.
variable "network" {
  type    = any
  default = {}
}

variable "paths" {
  type    = any
  default = {}
}

variable "client" {
  type    = any
  default = {}
}

variable "fake_gpus_json" {
  type    = string
  default = ""
}

module "rig" {
  source = "../../modules/provider-node"

  node_name = var.node_name
  servers   = var.servers
  wallet    = var.wallet
  prices = {
    cpu_ghz_hour = "0.02"
    mem_gb_hour  = "0.01"
    disk_gb_hour = "0.001"
    gpu_hour     = { "A100-80GB" = "1.2" }
  }
  gpu = {
    plugin_url        = var.gpu_plugin_url
    backends          = var.fake_gpus_json == "" ? ["nvml", "sysfs"] : ["fake"]
    fake_devices_json = var.fake_gpus_json
  }
  network = var.network
  paths   = var.paths
  client  = var.client
}

output "user_data" {
  value = module.rig.user_data
}

output "client_config" {
  value = module.rig.client_config
}

output "meta" {
  value = module.rig.meta
}
