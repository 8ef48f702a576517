output "address" {
  description = "host:port of the first instance's first port."
  value       = dec2_instance.this.address
}

output "addresses" {
  description = "host:port of every instance."
  value       = dec2_instance.this.addresses
}

output "nodes" {
  description = "Provider nodes running the instances."
  value       = dec2_instance.this.nodes
}

output "cost_per_hour" {
  description = "Tokens per hour the running instances cost at their providers' prices."
  value       = dec2_instance.this.cost_per_hour
}

output "consumer" {
  description = "The wallet paying for the app."
  value       = dec2_escrow_deposit.this.consumer
}

output "escrow_balance" {
  description = "The wallet's escrow balance in tokens."
  value       = dec2_escrow_deposit.this.balance
}
