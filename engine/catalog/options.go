package catalog

import (
	"encoding/json"
	"errors"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Option is one generic option (name 'value') of a catalog object, in
// declaration order.
type Option struct {
	Name  string
	Value string
}

// OptionAction is the action of one item of OPTIONS (...) in ALTER.
type OptionAction int

// The OPTIONS actions; CREATE statements use OptionAdd.
const (
	OptionAdd OptionAction = iota
	OptionSet
	OptionDrop
)

// OptionChange is one item of an OPTIONS (...) clause.
type OptionChange struct {
	Action OptionAction
	Name   string
	Value  string // empty for OptionDrop
}

// Adds turns name/value pairs into OptionAdd changes (for CREATE).
func Adds(opts ...Option) []OptionChange {
	out := make([]OptionChange, len(opts))
	for i, o := range opts {
		out[i] = OptionChange{Action: OptionAdd, Name: o.Name, Value: o.Value}
	}
	return out
}

// storedOption is an option at rest: Sealed values are encrypted.
type storedOption struct {
	N string `json:"n"`
	V string `json:"v"`
	S bool   `json:"s,omitempty"`
}

// optSet is the plain (decrypted) option list of one object while a
// statement works on it.
type optSet []Option

func (s optSet) index(name string) int {
	for i, o := range s {
		if o.Name == name {
			return i
		}
	}
	return -1
}

func (s optSet) get(name string) (string, bool) {
	if i := s.index(name); i >= 0 {
		return s[i].Value, true
	}
	return "", false
}

func (s optSet) asMap() map[string]string {
	m := make(map[string]string, len(s))
	for _, o := range s {
		m[o.Name] = o.Value
	}
	return m
}

// apply applies changes to a copy of s, as PostgreSQL's transformGenericOptions.
func (s optSet) apply(changes []OptionChange) (optSet, error) {
	out := append(optSet{}, s...)
	for _, ch := range changes {
		i := out.index(ch.Name)
		switch ch.Action {
		case OptionAdd:
			if i >= 0 {
				return nil, sqlerr.New(sqlerr.DuplicateObject, "option %q provided more than once", ch.Name)
			}
			out = append(out, Option{Name: ch.Name, Value: ch.Value})
		case OptionSet:
			if i < 0 {
				return nil, sqlerr.New(sqlerr.UndefinedObject, "option %q not found", ch.Name)
			}
			out[i].Value = ch.Value
		case OptionDrop:
			if i < 0 {
				return nil, sqlerr.New(sqlerr.UndefinedObject, "option %q not found", ch.Name)
			}
			out = append(out[:i:i], out[i+1:]...)
		}
	}
	return out, nil
}

// validate checks s against a wrapper spec (nil: any option is accepted,
// as PostgreSQL does for a wrapper without validator).
func (s optSet) validate(spec *connectors.Spec, obj connectors.Object) error {
	if spec == nil {
		return nil
	}
	err := spec.Validate(obj, s.asMap())
	var oe *connectors.OptionError
	if !errors.As(err, &oe) {
		if err != nil {
			return sqlerr.Wrap(err, sqlerr.FDWError, "invalid options")
		}
		return nil
	}
	switch {
	case oe.Missing:
		return sqlerr.New("HV002", "%s", oe.Error())
	case oe.Conflict:
		return sqlerr.New(sqlerr.SyntaxError, "conflicting or redundant options: %s", oe.Error())
	case oe.Err != nil:
		if isSecret(spec, obj, oe.Name) {
			// Never echo what the validator said about a secret's value.
			return sqlerr.New(sqlerr.InvalidParameterValue, "invalid value for %s option %q", obj, oe.Name)
		}
		return sqlerr.New(sqlerr.InvalidParameterValue, "%s", oe.Error())
	default:
		e := sqlerr.New(sqlerr.FDWInvalidOptionName, "%s", oe.Error())
		if len(oe.Valid) == 0 {
			return e.WithHint("There are no valid options in this context.")
		}
		return e
	}
}

// isSecret reports whether name is a secret option (or a reference form of
// one) for obj.
func isSecret(spec *connectors.Spec, obj connectors.Object, name string) bool {
	if spec == nil {
		return false
	}
	opt, _, ok := spec.Lookup(obj, name)
	return ok && opt.Secret
}

// mustSeal reports whether the value of name is itself a secret (not a
// reference), to be encrypted at rest.
func mustSeal(spec *connectors.Spec, obj connectors.Object, name string) bool {
	if spec == nil {
		return false
	}
	opt, ref, ok := spec.Lookup(obj, name)
	return ok && opt.Secret && ref == ""
}

// encode seals the secrets of s and returns its stored JSON.
func (c *Catalog) encode(s optSet, spec *connectors.Spec, obj connectors.Object) (string, error) {
	st := make([]storedOption, len(s))
	for i, o := range s {
		st[i] = storedOption{N: o.Name, V: o.Value}
		if mustSeal(spec, obj, o.Name) {
			v, err := c.seal(o.Name, o.Value)
			if err != nil {
				return "", err
			}
			st[i] = storedOption{N: o.Name, V: v, S: true}
		}
	}
	b, err := json.Marshal(st)
	if err != nil {
		return "", sqlerr.Wrap(err, sqlerr.InternalError, "encode options")
	}
	return string(b), nil
}

// decode reads stored JSON and decrypts its sealed values.
func (c *Catalog) decode(js string) (optSet, error) {
	var st []storedOption
	if err := json.Unmarshal([]byte(js), &st); err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.InternalError, "catalog options are corrupt")
	}
	out := make(optSet, len(st))
	for i, o := range st {
		out[i] = Option{Name: o.N, Value: o.V}
		if o.S {
			v, err := c.unseal(o.N, o.V)
			if err != nil {
				return nil, err
			}
			out[i].Value = v
		}
	}
	return out, nil
}

// masked returns s with secret values replaced by Mask.
func (s optSet) masked(spec *connectors.Spec, obj connectors.Object) []Option {
	out := make([]Option, len(s))
	for i, o := range s {
		out[i] = o
		if isSecret(spec, obj, o.Name) {
			out[i].Value = Mask
		}
	}
	return out
}

// resolved returns s as a map with secret references replaced by the
// secrets they name (password_env 'VAR' becomes password '<value of VAR>').
func (s optSet) resolved(spec *connectors.Spec, obj connectors.Object, server string) (map[string]string, error) {
	m := make(map[string]string, len(s))
	for _, o := range s {
		if spec != nil {
			if opt, ref, ok := spec.Lookup(obj, o.Name); ok && opt.Secret && ref != "" {
				v, err := resolveRef(server, o.Name, ref, o.Value)
				if err != nil {
					return nil, err
				}
				m[opt.Name] = v
				continue
			}
		}
		m[o.Name] = o.Value
	}
	return m, nil
}
