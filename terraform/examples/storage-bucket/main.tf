# A bucket in dec2 storage for the wallet of DEC2_PRIVATE_KEY. Its name is encrypted on this
# machine under a key derived from that wallet key, as `dec2 s3` does, so the wallet's own
# gateway serves it: `dec2 s3 serve`, then any S3 client, or `dec2 s3 cp file s3://<name>/key`.

terraform {
  required_providers {
    dec2 = { source = "dec2-cloud/dec2" }
  }
}

variable "storage_address" {
  description = "dec2-storage's URL."
  type        = string
  default     = "http://127.0.0.1:4659"
}

variable "name" {
  description = "The bucket's S3 name."
  type        = string
  default     = "photos"
}

provider "dec2" {
  storage_address = var.storage_address
  # private_key from DEC2_PRIVATE_KEY: the wallet that owns the bucket and pays for its bytes
}

resource "dec2_bucket" "this" {
  name = var.name
}

output "bucket" {
  value = "s3://${dec2_bucket.this.name}"
}
