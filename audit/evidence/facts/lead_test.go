package facts

import (
	"errors"
	"strings"
	"testing"
)

// TestPaddedFileKeepsItsPositions: padding skipped before detection must
// not move the place an error names: a bad port after a 100 000-line
// comment is on the file's own line.
func TestPaddedFileKeepsItsPositions(t *testing.T) {
	doc := `<?xml version="1.0"?>` + "\n<!--" + strings.Repeat("x\n", 100_000) + "-->\n<?xml-stylesheet href=\"x\"?>\n<!DOCTYPE nmaprun>\n" +
		`<nmaprun scanner="nmap" version="7.94">` + "\n" + `<host><status state="up"/><address addr="10.0.0.1" addrtype="ipv4"/><ports>` + "\n" +
		`<port protocol="tcp" portid="x"><state state="open"/></port></ports></host></nmaprun>`
	_, err := ReadAll(strings.NewReader(doc))
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("err %v, want a *facts.Error", err)
	}
	if want := strings.Count(doc[:strings.Index(doc, `portid="x"`)], "\n") + 1; fe.Line != want {
		t.Errorf("error at line %d, want %d: %v", fe.Line, want, err)
	}
}

// TestByteOrderMarkAndSpaceBeforeJSON: a BOM and white space before a
// Trivy report leave it a Trivy report.
func TestByteOrderMarkAndSpaceBeforeJSON(t *testing.T) {
	doc := "\xef\xbb\xbf" + strings.Repeat("\r\n\t ", 40_000) + `{"SchemaVersion":2,"ArtifactName":"img","ArtifactType":"container_image","Results":[]}`
	r, err := ReadAll(strings.NewReader(doc))
	if err != nil || r == nil || r.Format != trivyID {
		t.Fatalf("read %v, err %v; want %s", r, err, trivyID)
	}
}

// TestHugeNumberIsRefused: a JSON number millions of digits long is one
// value the decoder would hold whole, as a string is.
func TestHugeNumberIsRefused(t *testing.T) {
	doc := `{"SchemaVersion":2,"ArtifactName":"img","ArtifactType":"container_image","Metadata":{"x":1` +
		strings.Repeat("0", maxValue+10) + `},"Results":[]}`
	_, err := Parse(trivyID, strings.NewReader(doc))
	var fe *Error
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "longer than") {
		t.Fatalf("err %v, want a *facts.Error refusing the value", err)
	}
}

// TestLeadingLongValueDoesNotHideTheKeys: a first key whose value fills
// the 64 KiB head leaves the format's keys beyond it; the file is still
// recognised.
func TestLeadingLongValueDoesNotHideTheKeys(t *testing.T) {
	doc := `{"note":"` + strings.Repeat("A", 100_000) + `","SchemaVersion":2,"ArtifactName":"img","ArtifactType":"container_image","Results":[]}`
	r, err := ReadAll(strings.NewReader(doc))
	if err != nil || r == nil || r.Format != trivyID {
		t.Fatalf("read %v, err %v; want %s", r, err, trivyID)
	}
}
