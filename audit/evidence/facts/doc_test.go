package facts_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// The -update flag may be declared by another test file of this package;
// it is declared here only if not, so that the files never clash.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files of the facts tests and the tables of docs/evidence-facts.md")
	}
}

// docUpdating reports whether -update was given.
func docUpdating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

const factsDoc = "../../../docs/evidence-facts.md"

// The generated parts of docs/evidence-facts.md, each between its markers.
var generated = []struct {
	begin, end string
	table      func() string
}{
	{"<!-- vocabulary: begin -->", "<!-- vocabulary: end -->", vocabularyTable},
	{"<!-- formats: begin -->", "<!-- formats: end -->", formatsTable},
}

// vocabularyTable lists every fact of [facts.Vocabulary] with the formats
// that yield it, as the document shows them.
func vocabularyTable() string {
	var b strings.Builder
	b.WriteString("| fact | type | several targets combine as | meaning | formats that yield it |\n|---|---|---|---|---|\n")
	for _, d := range facts.Vocabulary {
		formats := facts.FormatsOf(d.Name)
		for i, f := range formats {
			formats[i] = "`" + f + "`"
		}
		yield := strings.Join(formats, ", ")
		if yield == "" {
			yield = "none: stated in the manifest only"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", d.Name, d.Type, combineWords[d.Combine], d.Meaning, yield)
	}
	return b.String()
}

// combineWords say how each way of combining reads in the table.
var combineWords = map[facts.Combine]string{
	facts.Union: "union", facts.Lowest: "lowest", facts.Highest: "highest", facts.AnyTrue: "true if any is",
	facts.AllTrue: "true only if all are", facts.Sum: "sum", facts.FileOnly: "whole file only",
}

// formatsTable lists the formats in detection order.
func formatsTable() string {
	var b strings.Builder
	b.WriteString("| format id | written by | facts it yields |\n|---|---|---|\n")
	for _, f := range facts.Formats() {
		names := make([]string, len(f.Yields))
		for i, y := range f.Yields {
			names[i] = "`" + y + "`"
		}
		yields := strings.Join(names, ", ")
		if yields == "" {
			yields = "none yet"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", f.ID, f.Name, yields)
	}
	return b.String()
}

// TestFactsDoc keeps docs/evidence-facts.md equal to the code: the table of
// facts is the vocabulary, with the formats each parser says it yields, and
// the table of formats is the list of parsers, in detection order. With
// -update it rewrites both tables.
func TestFactsDoc(t *testing.T) {
	doc, err := os.ReadFile(factsDoc)
	if err != nil {
		t.Fatal(err)
	}
	text, update := string(doc), docUpdating()
	for _, g := range generated {
		start, end := strings.Index(text, g.begin), strings.Index(text, g.end)
		if start < 0 || end < start {
			t.Fatalf("%s has no generated table between %q and %q", factsDoc, g.begin, g.end)
		}
		want := "\n" + g.table()
		if have := text[start+len(g.begin) : end]; have != want {
			if !update {
				t.Errorf("%s: the table between %q and %q is not the code's (run go test ./audit/evidence/facts -run FactsDoc -update):\n%s",
					factsDoc, g.begin, g.end, firstDifference(have, want))
				continue
			}
			text = text[:start+len(g.begin)] + want + text[end:]
		}
	}
	if update {
		if err := os.WriteFile(factsDoc, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// firstDifference shows the first line where the document and the code part.
func firstDifference(have, want string) string {
	h, w := strings.Split(have, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(h) || i < len(w); i++ {
		var a, b string
		if i < len(h) {
			a = h[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d of the table\n  doc:  %s\n  code: %s", i+1, a, b)
		}
	}
	return "(no line differs)"
}
