terraform {
  required_version = ">= 1.6"
  required_providers {
    dec2 = {
      source = "dec2-cloud/dec2"
    }
  }
}
