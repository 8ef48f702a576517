package instances

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/nomad/api"
)

// quotePath is the allocator's dry run: where it would pack a job now, holding nothing
// (docs/conventions.md).
const quotePath = "/dec2/quote"

// Placement is where the allocator would put an instance now: the nodes (Nomad node ids), or
// why it could not.
type Placement struct {
	Placeable bool     `json:"placeable"`
	Nodes     []string `json:"nodes"`
	Reason    string   `json:"reason"`
}

// Where asks the allocator where it would place an instance of type typ now, in the client's
// namespace, with its tenancy checks — its own answer, not a guess from node prices.
func (c *Client) Where(ctx context.Context, typ string) (Placement, error) {
	s := Spec{Name: "quote-" + strings.ReplaceAll(typ, ".", "-"), Type: typ, Image: "dec2/quote"}
	job, err := Job(c.Allocator, s)
	if err != nil {
		return Placement{}, err
	}
	job.Namespace = nil
	var p Placement
	if _, err := c.Allocator.Raw().Write(quotePath, api.JobRegisterRequest{Job: job}, &p, w(ctx)); err != nil {
		return Placement{}, fmt.Errorf("asking the allocator where a %s would go: %w", typ, err)
	}
	return p, nil
}
