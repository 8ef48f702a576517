package nodeapi

// ErrorBody is how the node says why it refused.
type ErrorBody struct {
	Error string `json:"error"`
}

// Listed is one of the caller's own pieces in a listing (GET /v1/pieces?prefix=, signed).
type Listed struct {
	ID     string `json:"id"`
	Size   uint64 `json:"size"`
	Expiry uint64 `json:"expiry"` // unix seconds
}
