# Rent a small web app from dec2: deposit 100 tokens, run one instance of the image, print
# where it answers and what it costs. `make test` applies this example against a local region.
#
#   export DEC2_PRIVATE_KEY=<consumer key>   # pays the deposit
#   tofu init && tofu apply -var image=nginx:1.27-alpine -var billing_operator=0x…

terraform {
  required_providers {
    dec2 = {
      source = "dec2-cloud/dec2"
    }
  }
}

variable "nomad_address" {
  type    = string
  default = "http://127.0.0.1:4656" # dec2-allocator serve
}

variable "chain_rpc" {
  type    = string
  default = "http://127.0.0.1:8545"
}

variable "deployment" {
  type    = string
  default = "../../../deployments/1337.json"
}

variable "image" {
  type = string
}

variable "args" {
  type    = list(string)
  default = []
}

variable "billing_operator" {
  type = string
}

provider "dec2" {
  nomad_address = var.nomad_address
  chain_rpc     = var.chain_rpc
  deployment    = var.deployment
}

data "dec2_instance_types" "cpu" {
  gpu = false
}

module "web" {
  source = "../../modules/consumer-app"

  name             = "web"
  instance_type    = "d2.nano"
  image            = var.image
  args             = var.args
  ports            = [8080]
  deposit          = "100"
  billing_operator = var.billing_operator
}

output "address" {
  value = module.web.address
}

output "node" {
  value = module.web.nodes[0]
}

output "cost_per_hour" {
  value = module.web.cost_per_hour
}

output "escrow_balance" {
  value = module.web.escrow_balance
}

output "cpu_types" {
  value = data.dec2_instance_types.cpu.names
}
