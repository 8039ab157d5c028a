package procedure

import (
	"strings"
	"testing"
)

func commands(steps []Step) string {
	var b strings.Builder
	for _, st := range steps {
		for _, bl := range st.Blocks {
			for _, l := range bl.Command {
				b.WriteString(l + "\n")
			}
		}
	}
	return b.String()
}

// A self-signed signer is checked without a CA, by its fingerprint only;
// a CA-issued one against the reader's CA and its fingerprint.
func TestSignatureStepFollowsTheSigner(t *testing.T) {
	self := commands(Steps(Signer{SelfSigned: true, Fingerprint: "AA:BB", Hex: "aabb"}, nil))
	ca := commands(Steps(Signer{Fingerprint: "AA:BB", Hex: "aabb"}, nil))
	if !strings.Contains(self, "-noverify -signer") || strings.Contains(self, "-CAfile") {
		t.Errorf("self-signed: %s", self)
	}
	if !strings.Contains(ca, "-CAfile their-ca.pem -purpose any -signer") || strings.Contains(ca, "-noverify") {
		t.Errorf("CA-issued: %s", ca)
	}
	for _, c := range []string{self, ca} {
		if !strings.Contains(c, "'sha256 Fingerprint=AA:BB'") {
			t.Errorf("the fingerprint is not checked: %s", c)
		}
	}
}

// Every command but the last line of each ends in a backslash, so it
// can be pasted whole; a paragraph line fits VERIFY.txt's 80 columns.
func TestCommandsContinueAndTextFits(t *testing.T) {
	for _, report := range []*Report{nil, {}, {Known: true, UnsignedLength: 12, UnsignedSHA256: strings.Repeat("a", 64)}} {
		steps := Steps(Signer{SelfSigned: true, Fingerprint: "AA", Hex: "aa"}, report)
		if len(steps) != 4 {
			t.Fatalf("%d steps, want 4", len(steps))
		}
		for _, st := range steps {
			for _, bl := range st.Blocks {
				for i, l := range bl.Command {
					if last := i == len(bl.Command)-1; strings.HasSuffix(l, `\`) == last {
						t.Errorf("%q: line %d %q continues wrongly", st.Title, i, l)
					}
				}
				for _, l := range bl.Text {
					if len(l) > 80 && !strings.Contains(l, "auditpack verify") && !strings.Contains(l, "aaaa") {
						t.Errorf("%q: line longer than 80 characters: %q", st.Title, l)
					}
				}
			}
		}
	}
}

// The report step checks the unsigned prefix by its figures once they are
// known (VERIFY.txt), and says where to find them before (the report).
func TestReportStep(t *testing.T) {
	known := commands(Steps(Signer{}, &Report{Known: true, UnsignedLength: 1234, UnsignedSHA256: "ab12"}))
	if !strings.Contains(known, `head -c 1234 report.pdf`) || !strings.Contains(known, "= ab12 ]") {
		t.Errorf("known figures: %s", known)
	}
	unknown := commands(Steps(Signer{}, &Report{}))
	if !strings.Contains(unknown, "head -c LENGTH report.pdf") {
		t.Errorf("figures not known yet: %s", unknown)
	}
	none := Steps(Signer{}, nil)
	if strings.Contains(commands(none), "pdfsig") || !strings.Contains(none[2].Title, "no PDF report") {
		t.Errorf("no report: %+v", none[2])
	}
}
