package parse

import (
	"strings"

	"github.com/medleysql/medley/sql/sqlerr"
)

// This file parses SET, RESET, SHOW and EXPLAIN.

// settingName reads a setting name: name[.name], or TIME ZONE.
func (p *parser) settingName() (string, error) {
	if p.accept("time", "zone") {
		return "timezone", nil
	}
	t := p.peek()
	if t.kind != tWord && t.kind != tQIdent {
		return "", p.fail("a setting name")
	}
	p.i++
	name := t.text
	for p.peek().isOp(".") && (p.peekN(1).kind == tWord || p.peekN(1).kind == tQIdent) {
		name += "." + p.peekN(1).text
		p.i += 2
	}
	return name, nil
}

func (p *parser) set() (Statement, error) {
	p.advance() // SET
	n := &Set{Node: p.node()}
	if p.accept("local") {
		n.Local = true
	} else {
		p.accept("session")
	}
	timeZone := p.peek().is("time") && p.peekN(1).is("zone")
	var err error
	if n.Name, err = p.settingName(); err != nil {
		return nil, err
	}
	if !timeZone && !p.accept("to") && !p.acceptOp("=") {
		return nil, p.fail("TO or =")
	}
	if p.accept("default") || timeZone && p.accept("local") {
		n.Default = true
		return n, p.end()
	}
	for {
		v, err := p.settingValue()
		if err != nil {
			return nil, err
		}
		n.Values = append(n.Values, v)
		if !p.acceptOp(",") {
			return n, p.end()
		}
	}
}

// settingValue reads a string, a signed number or a word.
func (p *parser) settingValue() (string, error) {
	sign := ""
	if p.peek().isOp("-") || p.peek().isOp("+") {
		sign = p.advance().text
	}
	t := p.peek()
	switch {
	case t.kind == tNumber:
	case sign != "":
		return "", p.fail("a number")
	case t.kind == tString || t.kind == tWord || t.kind == tQIdent:
	default:
		return "", p.fail("a setting value")
	}
	p.i++
	return sign + t.text, nil
}

func (p *parser) reset() (Statement, error) {
	p.advance() // RESET
	n := &Reset{Node: p.node()}
	if p.accept("all") {
		n.All = true
		return n, p.end()
	}
	var err error
	if n.Name, err = p.settingName(); err != nil {
		return nil, err
	}
	return n, p.end()
}

func (p *parser) show() (Statement, error) {
	p.advance() // SHOW
	n := &Show{Node: p.node()}
	if p.accept("all") {
		n.All = true
		return n, p.end()
	}
	var err error
	if n.Name, err = p.settingName(); err != nil {
		return nil, err
	}
	return n, p.end()
}

func (p *parser) explain() (Statement, error) {
	p.advance() // EXPLAIN
	n := &Explain{Node: p.node(), Format: ExplainText}
	if p.peek().isOp("(") && p.peekN(1).kind == tWord && !p.peekN(1).is("select") &&
		!p.peekN(1).is("with") && !p.peekN(1).is("values") {
		p.i++
		if err := p.explainOptions(n); err != nil {
			return nil, err
		}
	} else {
		n.Analyze = p.accept("analyze") || p.accept("analyse")
		n.Verbose = p.accept("verbose")
	}
	t := p.peek()
	if !(t.is("select") || t.is("with") || t.is("values") || t.is("insert") || t.is("update") ||
		t.is("delete") || t.isOp("(") || t.is("table")) {
		return nil, p.fail("a query (SELECT, WITH, VALUES, INSERT, UPDATE, DELETE)")
	}
	q, err := parseQuery(p.src[t.pos:], p.base+t.pos)
	if err != nil {
		return nil, err
	}
	n.Query = q
	return n, nil
}

// explainOptions reads option [value] [, ...] ) after EXPLAIN (.
func (p *parser) explainOptions(n *Explain) error {
	for {
		t := p.peek()
		if t.kind != tWord {
			return p.fail("an EXPLAIN option")
		}
		p.i++
		switch t.text {
		case "format":
			f := p.peek()
			if f.kind != tWord {
				return p.fail("TEXT, JSON or SUBSTRAIT")
			}
			switch f.text {
			case ExplainText, ExplainJSON, ExplainSubstrait:
				n.Format = f.text
			default:
				return sqlerr.At(sqlerr.FeatureNotSupported, p.pos(f), "EXPLAIN format %s is not supported; use TEXT, JSON or SUBSTRAIT", strings.ToUpper(f.text))
			}
			p.i++
		case "analyze", "analyse", "verbose", "costs", "buffers", "timing", "summary", "settings", "wal":
			v, err := p.explainBool()
			if err != nil {
				return err
			}
			switch t.text {
			case "analyze", "analyse":
				n.Analyze = v
			case "verbose":
				n.Verbose = v
			}
		default:
			return sqlerr.At(sqlerr.SyntaxError, p.pos(t), "unrecognized EXPLAIN option %q", t.text)
		}
		if p.acceptOp(")") {
			return nil
		}
		if err := p.expectOp(","); err != nil {
			return err
		}
	}
}

// explainBool reads an optional boolean option value (default true).
func (p *parser) explainBool() (bool, error) {
	t := p.peek()
	switch {
	case t.is("true") || t.is("on") || t.kind == tNumber && t.text == "1":
		p.i++
		return true, nil
	case t.is("false") || t.is("off") || t.kind == tNumber && t.text == "0":
		p.i++
		return false, nil
	case t.isOp(",") || t.isOp(")"):
		return true, nil
	}
	return false, p.fail("a boolean (TRUE, FALSE, ON, OFF)")
}
