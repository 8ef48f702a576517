package pack

// NodeFilter compiles what Pack checks of a node before looking at its capacity — tenant,
// constraints, price limit, GPU model — into one test, so that a caller can narrow a large
// fleet to the nodes worth offering without compiling g's constraints once per node.
func NodeFilter(g *Group) (func(*Node) bool, error) {
	ms := make([]matcher, 0, len(g.Constraints))
	for _, c := range g.Constraints {
		m, err := compileConstraint(c)
		if err != nil {
			return nil, &InputError{Field: "groups.constraints", ID: g.ID, Msg: err.Error()}
		}
		ms = append(ms, m)
	}
	return func(n *Node) bool { return filterNode(n, g, ms) == filterNone }, nil
}
