variable "name" {
  type        = string
  description = "The app's name; its instances run as the Nomad job of that name."
}

variable "instance_type" {
  type        = string
  default     = "d2.micro"
  description = "Instance type (data source dec2_instance_types lists them)."
}

variable "image" {
  type        = string
  description = "Container image of the app."
}

variable "args" {
  type        = list(string)
  default     = []
  description = "Arguments to the image's entrypoint."
}

variable "ports" {
  type        = list(number)
  default     = []
  description = "Container ports to publish; the first one is the app's address."
}

variable "instances" {
  type        = number
  default     = 1
  description = "How many instances of the app run."

  validation {
    condition     = var.instances >= 1 && var.instances <= 100 && floor(var.instances) == var.instances
    error_message = "instances must be a whole number from 1 to 100."
  }
}

variable "deposit" {
  type        = string
  description = "Tokens deposited into StreamEscrow to pay for the app, e.g. \"100\"."

  validation {
    condition     = can(regex("^[0-9]+(\\.[0-9]{1,18})?$", var.deposit))
    error_message = "deposit must be a decimal token amount such as 100 or 2.5."
  }
}

variable "billing_operator" {
  type        = string
  description = "Address of the billing operator (dec2-billing) allowed to stream the deposit to providers."

  validation {
    condition     = can(regex("^0x[0-9a-fA-F]{40}$", var.billing_operator))
    error_message = "billing_operator must be a 0x-prefixed 20-byte hex address."
  }
}
