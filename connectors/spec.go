package connectors

import (
	"fmt"
	"sort"
	"strings"
)

// Object is the kind of catalog object an option belongs to.
type Object int

const (
	ObjWrapper     Object = iota // CREATE FOREIGN DATA WRAPPER ... OPTIONS
	ObjServer                    // CREATE SERVER ... OPTIONS
	ObjUserMapping               // CREATE USER MAPPING ... OPTIONS
	ObjTable                     // CREATE FOREIGN TABLE ... OPTIONS
	ObjColumn                    // a foreign table column's OPTIONS
)

func (o Object) String() string {
	switch o {
	case ObjWrapper:
		return "foreign-data wrapper"
	case ObjServer:
		return "foreign server"
	case ObjUserMapping:
		return "user mapping"
	case ObjTable:
		return "foreign table"
	case ObjColumn:
		return "foreign table column"
	}
	return "object"
}

// Option describes one option a wrapper accepts.
type Option struct {
	Name     string
	Object   Object
	Required bool
	// Secret options (passwords, tokens, keys) are encrypted at rest, masked
	// for everyone but the mapping's user and superusers, and never logged.
	// A secret option NAME may also be given as NAME_env 'VAR' or
	// NAME_file '/path', resolved when connecting.
	Secret  bool
	Default string
	Doc     string
	// Check validates a value; nil accepts any string.
	Check func(value string) error
}

// Capabilities declares what a source can evaluate, so pushdown decisions
// come from data. Function names are Substrait extension function names
// (e.g. "equal", "lt", "like", "add"), without signatures.
type Capabilities struct {
	Functions  []string
	Projection bool // can return a subset of columns
	Limit      bool
	Sort       bool // can return rows in a requested order (with Limit: top-N)
	Joins      bool // RelExecutor accepts JoinRels
	Aggregates bool // RelExecutor accepts AggregateRels
	Writes     bool // tables implement Inserter (and maybe Updater/Deleter)
}

// HasFunction reports whether name is in Functions.
func (c Capabilities) HasFunction(name string) bool {
	for _, f := range c.Functions {
		if f == name {
			return true
		}
	}
	return false
}

// Spec is a wrapper's description.
type Spec struct {
	Doc          string // one paragraph for the docs
	Options      []Option
	Capabilities Capabilities
	// NoUserMapping marks a wrapper that takes no credentials (files,
	// memory): no user mapping is needed, and the engine keeps one Conn per
	// server shared by all users.
	NoUserMapping bool
}

// OptionsFor returns the options of one object kind.
func (s Spec) OptionsFor(o Object) []Option {
	var out []Option
	for _, opt := range s.Options {
		if opt.Object == o {
			out = append(out, opt)
		}
	}
	return out
}

// Lookup returns the spec of an option name for an object kind. The
// reference forms NAME_env and NAME_file of a secret option NAME are found
// too; ref is then "env" or "file".
func (s Spec) Lookup(o Object, name string) (opt Option, ref string, ok bool) {
	for _, opt := range s.Options {
		if opt.Object != o {
			continue
		}
		if opt.Name == name {
			return opt, "", true
		}
		if opt.Secret {
			if name == opt.Name+"_env" {
				return opt, "env", true
			}
			if name == opt.Name+"_file" {
				return opt, "file", true
			}
		}
	}
	return Option{}, "", false
}

// Validate checks a complete option set for one object kind: every name
// known, every value accepted, every required option present (a secret's
// reference forms count as present). The error names the valid options.
func (s Spec) Validate(o Object, opts map[string]string) error {
	names := make([]string, 0, len(opts))
	for k := range opts {
		names = append(names, k)
	}
	sort.Strings(names)
	seen := map[string]bool{}
	for _, k := range names {
		opt, _, ok := s.Lookup(o, k)
		if !ok {
			return &OptionError{Object: o, Name: k, Valid: s.validNames(o)}
		}
		if seen[opt.Name] {
			return &OptionError{Object: o, Name: k, Conflict: true}
		}
		seen[opt.Name] = true
		if opt.Check != nil && opt.Name == k {
			if err := opt.Check(opts[k]); err != nil {
				return &OptionError{Object: o, Name: k, Err: err}
			}
		}
	}
	for _, opt := range s.OptionsFor(o) {
		if opt.Required && !seen[opt.Name] {
			return &OptionError{Object: o, Name: opt.Name, Missing: true}
		}
	}
	return nil
}

func (s Spec) validNames(o Object) []string {
	var names []string
	for _, opt := range s.OptionsFor(o) {
		names = append(names, opt.Name)
		if opt.Secret {
			names = append(names, opt.Name+"_env", opt.Name+"_file")
		}
	}
	return names
}

// OptionError is a failed option validation. The catalog turns it into a
// SQLSTATE error (HV00D invalid option name, HV00J/42704 missing, 22023 value).
type OptionError struct {
	Object   Object
	Name     string
	Valid    []string // for an unknown option
	Missing  bool     // a required option is absent
	Conflict bool     // a secret given twice (value and reference)
	Err      error    // the value was rejected
}

func (e *OptionError) Error() string {
	switch {
	case e.Missing:
		return fmt.Sprintf("%s option %q is required", e.Object, e.Name)
	case e.Conflict:
		return fmt.Sprintf("%s option %q conflicts with another form of the same option", e.Object, e.Name)
	case e.Err != nil:
		return fmt.Sprintf("invalid value for %s option %q: %v", e.Object, e.Name, e.Err)
	case len(e.Valid) == 0:
		return fmt.Sprintf("invalid option %q: %s takes no options", e.Name, e.Object)
	default:
		return fmt.Sprintf("invalid option %q for %s; valid options are: %s", e.Name, e.Object, strings.Join(e.Valid, ", "))
	}
}

func (e *OptionError) Unwrap() error { return e.Err }

// Markdown renders the option documentation of a spec.
func (s Spec) Markdown(name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n%s\n\n| object | option | required | secret | default | meaning |\n|---|---|---|---|---|---|\n", name, s.Doc)
	for _, opt := range s.Options {
		fmt.Fprintf(&b, "| %s | `%s` | %v | %v | %s | %s |\n", opt.Object, opt.Name, opt.Required, opt.Secret, opt.Default, opt.Doc)
	}
	return b.String()
}
