output "user_data" {
  description = "cloud-init user data (#cloud-config) for the machine."
  value       = local.user_data
}

output "client_config" {
  description = "The Nomad client's agent config (HCL), as written to <config_dir>/client.hcl."
  value       = local.client_config
}

output "install_script" {
  description = "The script cloud-init runs: installs Nomad (and dec2-gpu) and starts the agent."
  value       = local.install_script
}

output "meta" {
  description = "The dec2 node meta the client advertises."
  value       = local.meta
}
