package pdf

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestCoverShowsAssessmentDateAndSigningTime renders the demo report: the
// cover gives the as-of date and, apart from it, the signing time; with
// no signing time there is no such line.
func TestCoverShowsAssessmentDateAndSigningTime(t *testing.T) {
	r := loadDemo(t)
	cover := strings.Split(pdftotext(t, render(t, r, demoOptions)), "\f")[0]
	for _, want := range []string{"Assessed as of                2026-11-15", "Signed at                     2026-11-22 10:00:00 UTC (the signer's claim)"} {
		if !strings.Contains(cover, want) {
			t.Errorf("the cover lacks %q:\n%s", want, cover)
		}
	}
	o := demoOptions
	o.SigningTime = time.Time{}
	if cover := strings.Split(pdftotext(t, render(t, r, o)), "\f")[0]; strings.Contains(cover, "Signed at") {
		t.Errorf("a cover without a signing time shows one:\n%s", cover)
	}
}

// TestSigningTimeIsTheOnlyOutsideDate renders the report at two signing
// times: the same time gives the same bytes, another time other bytes,
// whose text differs only in the "Signed at" line.
func TestSigningTimeIsTheOnlyOutsideDate(t *testing.T) {
	r := loadDemo(t)
	a, b := render(t, r, demoOptions), render(t, r, demoOptions)
	if !bytes.Equal(a, b) {
		t.Fatal("two renders with the same signing time differ")
	}
	o := demoOptions
	o.SigningTime = o.SigningTime.Add(49*time.Hour + 5*time.Second)
	c := render(t, r, o)
	if bytes.Equal(a, c) {
		t.Fatal("the signing time does not reach the report")
	}
	at, ct := strings.Split(pdftotext(t, a), "\n"), strings.Split(pdftotext(t, c), "\n")
	if len(at) != len(ct) {
		t.Fatalf("%d lines against %d", len(at), len(ct))
	}
	for i := range at {
		if at[i] != ct[i] && !strings.HasPrefix(at[i], "Signed at ") {
			t.Errorf("line %d differs: %q / %q", i+1, at[i], ct[i])
		}
	}
}
