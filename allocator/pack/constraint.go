package pack

import (
	"fmt"
	"regexp"
	"strings"

	version "github.com/hashicorp/go-version"
)

// attributeKey turns a constraint target into the key it is looked up under in
// Node.Attributes: "${meta.rack}" and "meta.rack" both become "meta.rack", and Nomad's node
// fields take the names dec2 uses ("${node.datacenter}" → "datacenter").
func attributeKey(target string) string {
	k := strings.TrimSpace(target)
	if strings.HasPrefix(k, "${") && strings.HasSuffix(k, "}") {
		k = k[2 : len(k)-1]
	}
	switch k {
	case "node.datacenter":
		return "datacenter"
	case "node.pool":
		return "node_pool"
	case "node.region":
		return "region"
	}
	return k
}

// lookup finds an attribute of a node; "node.unique.id" is the node's id.
func (n *Node) lookup(key string) (string, bool) {
	if key == "node.unique.id" {
		return n.ID, true
	}
	v, ok := n.Attributes[key]
	return v, ok
}

// matcher is one compiled constraint.
type matcher struct {
	key  string
	desc string // how reasons name it, e.g. "meta.region = eu"
	test func(v string, found bool) bool
}

func (m matcher) match(n *Node) bool {
	v, ok := n.lookup(m.key)
	return m.test(v, ok)
}

// compileConstraint checks a constraint and builds its matcher; the error says what is wrong
// with the operator or value.
func compileConstraint(c Constraint) (matcher, error) {
	key := attributeKey(c.Attribute)
	m := matcher{key: key, desc: strings.TrimSpace(key + " " + c.Operator + " " + c.Value)}
	if key == "" {
		return m, fmt.Errorf("attribute is empty")
	}
	want := c.Value
	switch c.Operator {
	case "=", "==", "is":
		m.test = func(v string, ok bool) bool { return ok && v == want }
	case "!=", "not":
		m.test = func(v string, ok bool) bool { return !ok || v != want }
	case "is_set":
		m.test = func(_ string, ok bool) bool { return ok }
	case "is_not_set":
		m.test = func(_ string, ok bool) bool { return !ok }
	case "regexp":
		re, err := regexp.Compile(want)
		if err != nil {
			return m, fmt.Errorf("value %q is not a regular expression: %w", want, err)
		}
		m.test = memo(func(v string) bool { return re.MatchString(v) })
	case "set_contains", "set_contains_all":
		m.test = setTest(splitSet(want), true)
	case "set_contains_any":
		m.test = setTest(splitSet(want), false)
	case "version", "semver":
		cons, err := version.NewConstraint(want)
		if err != nil {
			return m, fmt.Errorf("value %q is not a version constraint such as \">= 1.2\": %w", want, err)
		}
		m.test = memo(func(v string) bool {
			ver, err := version.NewVersion(v)
			return err == nil && cons.Check(ver)
		})
	default:
		return m, fmt.Errorf("operator %q is not one of =, !=, regexp, set_contains, set_contains_any, version, is_set, is_not_set", c.Operator)
	}
	return m, nil
}

// setTest matches a comma-separated attribute holding all (or any) of need.
func setTest(need []string, all bool) func(string, bool) bool {
	return func(v string, ok bool) bool {
		if !ok {
			return false
		}
		have := setOf(v)
		for _, x := range need {
			if have[x] != all {
				return !all
			}
		}
		return all
	}
}

// memo caches an expensive test per attribute value: fleets repeat a few values on
// thousands of nodes. A matcher serves one goroutine.
func memo(test func(string) bool) func(string, bool) bool {
	seen := map[string]bool{}
	return func(v string, ok bool) bool {
		if !ok {
			return false
		}
		r, hit := seen[v]
		if !hit {
			r = test(v)
			seen[v] = r
		}
		return r
	}
}

func splitSet(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, x := range splitSet(s) {
		m[x] = true
	}
	return m
}

// Matches says whether node n satisfies c; a malformed constraint matches nothing (Validate
// reports it).
func (c Constraint) Matches(n *Node) bool {
	m, err := compileConstraint(c)
	return err == nil && m.match(n)
}
