// Package config reads auditpack.yaml, the project configuration: who and
// what is audited, for which period and as of when, which frameworks, where
// the model, evidence and exceptions are, the scope overlay, and the signing
// key. Paths in the file are relative to the file; resolving them against
// the disk is the caller's business.
package config

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/overlay"
	"github.com/auditpack/auditpack/audit/vocab"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

// SchemaVersion is the value of the "schema" key.
const SchemaVersion = "auditpack/config/v1"

//go:embed config.schema.json
var schemaJSON []byte

var compiled = sync.OnceValue(func() *jsonschema.Schema {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(c.AddResource("https://auditpack.invalid/schemas/overlay/v1", bytes.NewReader(overlay.Schema())))
	must(c.AddResource("auditpack-config.schema.json", bytes.NewReader(schemaJSON)))
	s, err := c.Compile("auditpack-config.schema.json")
	must(err)
	return s
})

// Schema returns the configuration's JSON Schema.
func Schema() []byte { return slices.Clone(schemaJSON) }

// Config is a parsed auditpack.yaml.
type Config struct {
	Schema       string           `json:"schema"`
	Organisation string           `json:"organisation"`
	System       string           `json:"system"`
	AuditPeriod  *Period          `json:"audit_period,omitempty"`
	AsOf         string           `json:"as_of,omitempty"`
	Frameworks   []string         `json:"frameworks,omitempty"`
	Model        string           `json:"model"`
	Overlay      *overlay.Overlay `json:"overlay,omitempty"`
	Evidence     string           `json:"evidence,omitempty"`
	Exceptions   string           `json:"exceptions,omitempty"`
	Rules        []string         `json:"rules,omitempty"`
	Output       string           `json:"output,omitempty"`
	Requests     *Requests        `json:"requests,omitempty"`
	Signing      *Signing         `json:"signing,omitempty"`
	// PreparedBy and ReviewedBy are the report's sign-off: who prepared
	// the package and who reviewed it before it went to the auditor.
	PreparedBy *SignOff `json:"prepared_by,omitempty"`
	ReviewedBy *SignOff `json:"reviewed_by,omitempty"`
}

// SignOff is one person's sign-off of the report, with its date.
type SignOff struct {
	Name string `json:"name"`
	Date string `json:"date"`
}

// Period is the audit period, inclusive.
type Period struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Requests sets how evidence requests are dated: each is due DueDays
// days after the as-of date (default [DefaultDueDays]).
type Requests struct {
	DueDays int `json:"due_days,omitempty"`
}

// DefaultDueDays is how many days after the as-of date an evidence
// request is due when the configuration does not say.
const DefaultDueDays = audit.DefaultRequestDueDays

// DueDays is the configured number of days an evidence request is due
// after the as-of date.
func (c *Config) DueDays() int {
	if c.Requests == nil || c.Requests.DueDays == 0 {
		return DefaultDueDays
	}
	return c.Requests.DueDays
}

// Signing names the signing key and certificate files.
type Signing struct {
	Key         string `json:"key,omitempty"`
	Certificate string `json:"certificate,omitempty"`
	Chain       string `json:"chain,omitempty"`
	PKCS12      string `json:"pkcs12,omitempty"`
}

// Limits bound a configuration file (see [schemadoc.Limits]). The x100
// synthetic project's configuration holds about 400 values; the bound
// leaves room for an overlay describing every element of a model of that
// size (60,000 components and flows at eight values each), no more.
var Limits = schemadoc.Limits{Size: 16 << 20, Values: 500_000, Depth: 32, String: 64 << 10}

// DefaultFrameworks are evaluated when the configuration names none.
var DefaultFrameworks = []string{"pci-dss", "aicpa-tsc"}

// Parse decodes and validates a configuration: schema, dates, a period
// that ends after it starts, and the overlay's values against their
// vocabularies (see [vocab.Overlay]).
func Parse(name string, data []byte) (*Config, error) {
	c := &Config{}
	lines, err := schemadoc.DecodeLimited(name, data, Limits, compiled(), c)
	if err != nil {
		return nil, err
	}
	if c.AsOf != "" {
		if _, err := time.Parse(time.DateOnly, c.AsOf); err != nil {
			return nil, schemadoc.Errorf(name, lines, "/as_of", "not a valid date: %q", c.AsOf)
		}
	}
	if p := c.AuditPeriod; p != nil {
		s, err1 := time.Parse(time.DateOnly, p.Start)
		e, err2 := time.Parse(time.DateOnly, p.End)
		switch {
		case err1 != nil:
			return nil, schemadoc.Errorf(name, lines, "/audit_period/start", "not a valid date: %q", p.Start)
		case err2 != nil:
			return nil, schemadoc.Errorf(name, lines, "/audit_period/end", "not a valid date: %q", p.End)
		case e.Before(s):
			return nil, schemadoc.Errorf(name, lines, "/audit_period/end", "the period ends (%s) before it starts (%s)", p.End, p.Start)
		}
	}
	for _, so := range []struct {
		ptr string
		s   *SignOff
	}{{"/prepared_by", c.PreparedBy}, {"/reviewed_by", c.ReviewedBy}} {
		if so.s == nil {
			continue
		}
		if _, err := time.Parse(time.DateOnly, so.s.Date); err != nil {
			return nil, schemadoc.Errorf(name, lines, so.ptr+"/date", "not a valid date: %q", so.s.Date)
		}
	}
	if errs, _ := vocab.Overlay(c.Overlay, vocab.Tags{}); len(errs) > 0 {
		return nil, vocab.Error(name, lines, errs)
	}
	if len(c.Frameworks) == 0 {
		c.Frameworks = slices.Clone(DefaultFrameworks)
	}
	return c, nil
}

// PeriodTimes returns the audit period as times, zero when unset.
func (c *Config) PeriodTimes() (start, end time.Time) {
	if c.AuditPeriod == nil {
		return
	}
	start, _ = time.Parse(time.DateOnly, c.AuditPeriod.Start)
	end, _ = time.Parse(time.DateOnly, c.AuditPeriod.End)
	return
}

// Errorf is a configuration problem found after parsing (a bad override,
// say), reported like a parse error.
func Errorf(name, format string, args ...any) error {
	return &schemadoc.Error{File: name, Problems: []schemadoc.Problem{{Message: fmt.Sprintf(format, args...)}}}
}
