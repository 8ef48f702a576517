// Package conventions holds the names dec2's components use to find each other: Nomad meta
// keys, device types, the token's decimals (shared/CONVENTIONS.md and docs/conventions.md).
// It is a leaf: every component may import it, and it imports nothing of dec2.
package conventions

// Node meta, set by `dec2 provider join`.
const (
	// MetaWallet on a node is the provider's wallet; on a namespace, the tenant's bound wallet
	// (written only by the identity service); on a job, the paying wallet, which must be the
	// namespace's or a delegator's (MetaDelegation).
	MetaWallet          = "dec2.wallet"
	MetaPricePrefix     = "dec2.price."
	MetaDedicatedTenant = "dec2.dedicated_tenant"
	// MetaSandbox names the sandbox runtime consumer tasks run under on the node ("gvisor"),
	// absent where tasks run under Docker's runc with the hardened defaults only.
	MetaSandbox = "dec2.sandbox"
	// MetaStorageEndpoint is the node's dec2-storagenode base URL (http://addr:4660); a node
	// without it holds no pieces.
	MetaStorageEndpoint = "dec2.storage.endpoint"
	// MetaStorageCapacity is the bytes of pieces the node offers (dec2-storagenode --capacity).
	MetaStorageCapacity = "dec2.storage.capacity_bytes"
	// MetaStorageVolume is the Nomad host volume holding the pieces; absent means "dec2-storage".
	MetaStorageVolume = "dec2.storage.volume"
)

// Job meta.
const (
	MetaPack         = "dec2.pack"
	MetaPlan         = "dec2.plan"
	MetaMaxPriceHour = "dec2.max_price_hour"
	// MetaDelegation is the EIP-712 signature (0x-hex, 65 bytes) by the job's MetaWallet that
	// lets the job's namespace bill it (package tenancy).
	MetaDelegation = "dec2.delegation"
	// MetaDelegationUntil is the delegation's end, unix seconds (signed with it).
	MetaDelegationUntil = "dec2.delegation_until"
)

// TokenDecimals is the DEC2 token's decimals.
const TokenDecimals = 18

// Statistics the dec2-gpu device plugin reports for each GPU (the attributes of Nomad's device
// stats, in /v1/client/stats), read by the console's provider page.
const (
	GPUStatUtilization = "utilization"  // percent busy
	GPUStatMemoryUsed  = "memory_used"  // MiB
	GPUStatMemoryTotal = "memory_total" // MiB
)
