package mappings_test

import (
	"flag"
	"fmt"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/frameworks"
	"github.com/auditpack/auditpack/mappings"
)

var update = flag.Bool("update", false, "rewrite the generated table of shipped rules in docs/rules.md, keeping each rule's why")

const (
	rulesDoc   = "../docs/rules.md"
	tableBegin = "<!-- shipped rules: begin -->"
	tableEnd   = "<!-- shipped rules: end -->"
)

// shortNames name the frameworks in the table's headings; a catalog not
// listed here is named by its title.
var shortNames = map[string]string{
	"pci-dss":             "PCI DSS v4.0.1",
	"aicpa-tsc":           "SOC 2 (Trust Services Criteria 2017, points of focus 2022)",
	"iso-iec-27001":       "ISO/IEC 27001:2022 Annex A",
	"nist-sp800-53":       "NIST SP 800-53 Rev. 5",
	"nist-csf":            "NIST CSF 2.0",
	"hipaa-security-rule": "HIPAA Security Rule",
}

// frameworkOrder is the order of the table's sections: the two frameworks
// most audits ask for first.
var frameworkOrder = []string{"pci-dss", "aicpa-tsc", "iso-iec-27001", "nist-sp800-53", "nist-csf", "hipaa-security-rule"}

// TestRulesDoc keeps the table of shipped rules in docs/rules.md equal to
// the rule files: every shipped rule is listed once, no other rule is, each
// row's requirements and relationships are the rule's, each rule has its why,
// and the coverage counts are those the rules give. With -update it rewrites
// the table from the rule files, keeping the why of each rule still shipped.
func TestRulesDoc(t *testing.T) {
	doc, err := os.ReadFile(rulesDoc)
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	start, end := strings.Index(text, tableBegin), strings.Index(text, tableEnd)
	if start < 0 || end < start {
		t.Fatalf("%s has no generated table between %q and %q", rulesDoc, tableBegin, tableEnd)
	}
	have := text[start+len(tableBegin) : end]
	whys := documentedWhys(have)

	sets, err := mappings.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	reg, err := frameworks.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	want, missing := rulesTable(t, sets, reg, whys)

	if *update {
		out := text[:start+len(tableBegin)] + want + text[end:]
		if err := os.WriteFile(rulesDoc, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		if len(missing) > 0 {
			t.Errorf("rewrote %s; write the why of %s", rulesDoc, strings.Join(missing, ", "))
		}
		return
	}

	shipped := map[string]bool{}
	for _, rs := range sets {
		for _, r := range rs.Rules {
			shipped[r.ID] = true
			if _, ok := whys[r.ID]; !ok {
				t.Errorf("%s does not list shipped rule %s (%s)", rulesDoc, r.ID, rs.File)
			}
		}
	}
	for id := range whys {
		if !shipped[id] {
			t.Errorf("%s lists rule %s, which is not shipped", rulesDoc, id)
		}
	}
	for _, id := range missing {
		if _, listed := whys[id]; listed {
			t.Errorf("%s: rule %s has no why", rulesDoc, id)
		}
	}
	if have != want {
		haveRows, wantRows := strings.Split(have, "\n"), strings.Split(want, "\n")
		for _, w := range wantRows {
			if !slices.Contains(haveRows, w) {
				t.Errorf("%s: expected line not found:\n%s", rulesDoc, w)
			}
		}
		for _, h := range haveRows {
			if !slices.Contains(wantRows, h) {
				t.Errorf("%s: line differs from the rule files:\n%s", rulesDoc, h)
			}
		}
		t.Errorf("the table of shipped rules in %s differs from the rule files; run go test ./mappings/ -run TestRulesDoc -update and review the result", rulesDoc)
	}
}

// documentedWhys returns the why of each rule row in the table.
func documentedWhys(table string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(table, "\n") {
		id, _, why, ok := parseRow(line)
		if ok {
			out[id] = why
		}
	}
	return out
}

// parseRow splits a row "| `id` | links | why |".
func parseRow(line string) (id, links, why string, ok bool) {
	if !strings.HasPrefix(line, "| `") || !strings.HasSuffix(line, " |") {
		return "", "", "", false
	}
	cells := strings.SplitN(strings.TrimSuffix(strings.TrimPrefix(line, "| "), " |"), " | ", 3)
	if len(cells) != 3 {
		return "", "", "", false
	}
	return strings.Trim(cells[0], "`"), cells[1], strings.TrimSpace(cells[2]), true
}

type docRule struct {
	rule mappings.Rule
	file string
	key  string // first control id, for ordering
}

// rulesTable renders the generated part of the document: the coverage
// counts per framework and one table of rules per framework. It returns the
// ids of rules with no why.
func rulesTable(t *testing.T, sets []*mappings.RuleSet, reg *frameworks.Registry, whys map[string]string) (string, []string) {
	t.Helper()
	catalogOf := func(ref string) *frameworks.Catalog {
		c, _, err := reg.Resolve(ref)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	sections := map[string][]docRule{}
	files := map[string][]string{}
	catalogs := map[string]*frameworks.Catalog{}
	strong := map[string]bool{} // control ref → reached by subset-of, equal or superset-of
	linked := map[string]bool{} // control ref → reached by any link
	for _, rs := range sets {
		for _, r := range rs.Rules {
			if len(r.Satisfies) == 0 {
				t.Fatalf("%s: rule %s satisfies no control", rs.File, r.ID)
			}
			c := catalogOf(r.Satisfies[0].Control)
			catalogs[c.ID] = c
			_, _, id, _ := frameworks.ParseRef(r.Satisfies[0].Control)
			sections[c.ID] = append(sections[c.ID], docRule{rule: r, file: rs.File, key: id})
			if !slices.Contains(files[c.ID], rs.File) {
				files[c.ID] = append(files[c.ID], rs.File)
			}
			for _, s := range r.Satisfies {
				lc := catalogOf(s.Control)
				catalogs[lc.ID] = lc
				linked[s.Control] = true
				if s.Relationship != "intersects-with" {
					strong[s.Control] = true
				}
			}
		}
	}
	order := slices.Clone(frameworkOrder)
	var extra []string
	for id := range catalogs {
		if !slices.Contains(order, id) {
			extra = append(extra, id)
		}
	}
	slices.Sort(extra)
	order = append(order, extra...)

	var b strings.Builder
	b.WriteString("\n\n")
	for _, fw := range []string{"pci-dss", "aicpa-tsc"} {
		c := catalogs[fw]
		if c == nil {
			continue
		}
		reached, total := 0, 0
		var supported []string
		for _, n := range c.Controls() {
			total++
			ref := c.ControlRef(n.ID)
			switch {
			case strong[ref]:
				reached++
			case linked[ref]:
				supported = append(supported, "`"+n.ID+"`")
			}
		}
		noun := map[string]string{"pci-dss": "requirements", "aicpa-tsc": "criteria"}[fw]
		fmt.Fprintf(&b, "%s: the shipped rules check the technical part of **%d** of its %d assessable %s "+
			"(at least one subset-of, equal or superset-of link), and only support **%d** more (intersects-with links only: %s).\n\n",
			name(c), reached, total, noun, len(supported), strings.Join(supported, ", "))
	}
	b.WriteString("#### Coverage of the shipped rules\n\n")
	b.WriteString("| framework | assessable controls | technical part reached (subset-of, equal or superset-of) | only supported (intersects-with only) | no shipped rule |\n")
	b.WriteString("|---|---:|---:|---:|---:|\n")
	for _, fw := range order {
		c := catalogs[fw]
		if c == nil {
			continue
		}
		total, reached, supported := 0, 0, 0
		for _, n := range c.Controls() {
			total++
			ref := c.ControlRef(n.ID)
			switch {
			case strong[ref]:
				reached++
			case linked[ref]:
				supported++
			}
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d |\n", name(c), total, reached, supported, total-reached-supported)
	}
	var missing []string
	for _, fw := range order {
		rules := sections[fw]
		if len(rules) == 0 {
			continue
		}
		slices.SortFunc(rules, func(a, b docRule) int {
			if c := frameworks.CompareIDs(a.key, b.key); c != 0 {
				return c
			}
			return strings.Compare(a.rule.ID, b.rule.ID)
		})
		var where []string
		for _, f := range files[fw] {
			where = append(where, "`mappings/"+path.Clean(f)+"`")
		}
		fmt.Fprintf(&b, "\n#### %s (%d rules, %s)\n\n", name(catalogs[fw]), len(rules), strings.Join(where, ", "))
		b.WriteString("| rule | requirements (relationship) | why |\n|---|---|---|\n")
		for _, dr := range rules {
			var links []string
			for _, s := range dr.rule.Satisfies {
				fwID, _, id, _ := frameworks.ParseRef(s.Control)
				if catalogOf(s.Control).ID != fw || fwID == "" {
					id = s.Control
				}
				links = append(links, fmt.Sprintf("`%s` %s", id, s.Relationship))
			}
			why := whys[dr.rule.ID]
			if why == "" {
				missing = append(missing, dr.rule.ID)
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", dr.rule.ID, strings.Join(links, ", "), why)
		}
	}
	b.WriteString("\n")
	return b.String(), missing
}

func name(c *frameworks.Catalog) string {
	if n, ok := shortNames[c.ID]; ok {
		return n
	}
	return c.Title
}
