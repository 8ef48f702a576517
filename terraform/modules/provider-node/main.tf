# Renders what turns a bare Linux machine into a dec2 provider: the Nomad client's agent config
# (hardened Docker driver, the dec2-gpu device plugin, dec2 node meta) and cloud-init user data
# that installs Docker and Nomad, writes that config and starts the agent. No provider is used,
# so any cloud's instance resource (or a bare machine's cloud-init seed) can take user_data.

locals {
  meta = merge(
    {
      "dec2.wallet"             = var.wallet
      "dec2.price.cpu_ghz_hour" = var.prices.cpu_ghz_hour
      "dec2.price.mem_gb_hour"  = var.prices.mem_gb_hour
      "dec2.price.disk_gb_hour" = var.prices.disk_gb_hour
    },
    { for model, price in var.prices.gpu_hour : "dec2.price.gpu_hour.${model}" => price },
    var.dedicated_tenant == "" ? {} : { "dec2.dedicated_tenant" = var.dedicated_tenant },
  )

  fake_devices_file = var.gpu.fake_devices_json == "" ? "" : "${var.paths.config_dir}/dec2-fake-gpus.json"

  client_config = templatefile("${path.module}/templates/client.hcl.tftpl", {
    node_name         = var.node_name
    acl               = var.acl
    region            = var.region
    datacenter        = var.datacenter
    servers           = var.servers
    meta              = local.meta
    paths             = var.paths
    network           = var.network
    client            = var.client
    gpu               = var.gpu
    fake_devices_file = local.fake_devices_file
    # Capabilities tasks may keep; matches what dec2's jobspecs ask for.
    allow_caps = ["chown", "dac_override", "fowner", "kill", "net_bind_service", "setgid", "setuid"]
  })

  nomad_version = trimprefix(var.nomad.version, "v")
  nomad_url     = var.nomad.url != "" ? var.nomad.url : "https://releases.hashicorp.com/nomad/${local.nomad_version}/nomad_${local.nomad_version}_linux_amd64.zip"

  install_script = templatefile("${path.module}/templates/install.sh.tftpl", {
    nomad_url  = local.nomad_url
    sha256     = var.nomad.sha256
    plugin_url = var.gpu.enabled ? var.gpu.plugin_url : ""
    paths      = var.paths
  })

  user_data = templatefile("${path.module}/templates/cloud-init.yaml.tftpl", {
    client_config     = local.client_config
    install_script    = local.install_script
    paths             = var.paths
    fake_devices_file = local.fake_devices_file
    fake_devices_json = var.gpu.fake_devices_json
  })
}
