# An app rented from dec2: the deposit that pays for it, then its instances, billed to the
# depositing wallet (the provider's private_key).

resource "dec2_escrow_deposit" "this" {
  amount   = var.deposit
  operator = var.billing_operator
}

resource "dec2_instance" "this" {
  name           = var.name
  type           = var.instance_type
  image          = var.image
  args           = var.args
  ports          = var.ports
  instance_count = var.instances
  wallet         = dec2_escrow_deposit.this.consumer
}
