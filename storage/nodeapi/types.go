package nodeapi

// ErrorBody is how the node says why it refused.
type ErrorBody struct {
	Error string `json:"error"`
}
