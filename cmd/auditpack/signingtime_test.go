package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/auditpack/auditpack/reports/packager"
)

// runCLIAt is runCLI with the clock at now: the only way to move the
// signing time, which no flag sets.
func runCLIAt(t *testing.T, now func() time.Time, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runHooked(context.Background(), append([]string{"auditpack"}, args...), &out, &errOut, now, testHooks(nil))
	return code, out.String(), errOut.String()
}

// clockAt is a clock stopped at t.
func clockAt(t time.Time) func() time.Time { return func() time.Time { return t } }

// buildExampleAt is buildExample with the clock at now.
func buildExampleAt(t *testing.T, now time.Time, project string, k testKeys, out string) {
	t.Helper()
	code, stdout, stderr := runCLIAt(t, clockAt(now), "build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", out,
		"--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15")
	if code != 0 {
		t.Fatalf("build exited %d:\n%s%s", code, stdout, stderr)
	}
}

// readCert reads the one certificate of a PEM file.
func readCert(t *testing.T, p string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(data)
	if b == nil {
		t.Fatalf("%s holds no PEM block", p)
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestKeygenCertificateStartsNow: keygen's certificate is valid from the
// time of the command line, not before, for --days.
func TestKeygenCertificateStartsNow(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "keys")
	code, stdout, stderr := runCLI(t, "keygen", "--out", keys, "--days", "90")
	if code != 0 {
		t.Fatalf("keygen: exit %d %s", code, stderr)
	}
	c := readCert(t, filepath.Join(keys, certFileName))
	if !c.NotBefore.Equal(fixedNow()) || !c.NotAfter.Equal(fixedNow().AddDate(0, 0, 90)) {
		t.Fatalf("valid %s to %s, want from %s for 90 days", c.NotBefore, c.NotAfter, fixedNow())
	}
	if !strings.Contains(stdout, "valid from 2026-11-22T10:00:00Z to 2027-02-20T10:00:00Z, 90 days") {
		t.Errorf("keygen does not say the validity:\n%s", stdout)
	}
}

// TestKeygenCertificateStartsTodayForOpenSSL runs keygen on the real
// clock and reads the start of the validity with openssl.
func TestKeygenCertificateStartsTodayForOpenSSL(t *testing.T) {
	openssl := requireTool(t, "openssl")
	keys := filepath.Join(t.TempDir(), "keys")
	before := time.Now().UTC().Truncate(time.Second)
	code, _, stderr := runCLIAt(t, time.Now, "keygen", "--out", keys)
	after := time.Now().UTC()
	if code != 0 {
		t.Fatalf("keygen: exit %d %s", code, stderr)
	}
	got, err := runTool(t, keys, openssl, "x509", "-in", certFileName, "-noout", "-startdate")
	if err != nil {
		t.Fatalf("openssl x509 -startdate: %v\n%s", err, got)
	}
	// notBefore=Dec  2 17:55:01 2026 GMT
	v, ok := strings.CutPrefix(strings.TrimSpace(got), "notBefore=")
	start, perr := time.Parse("Jan _2 15:04:05 2006 MST", v)
	if !ok || perr != nil {
		t.Fatalf("openssl printed %q (%v)", got, perr)
	}
	if start.Before(before) || start.After(after) {
		t.Fatalf("openssl says the certificate starts at %s; keygen ran from %s to %s", start, before, after)
	}
	t.Logf("openssl x509 -noout -startdate: %s (today: %s)", strings.TrimSpace(got), before.Format(time.DateOnly))
}

// TestPdfsigShowsTheRealSigningTime builds on the real clock with an as-of
// date in the past: pdfsig and openssl read the time of the build, and
// the manifest, VERIFY.txt and the cover agree with them.
func TestPdfsigShowsTheRealSigningTime(t *testing.T) {
	pdfsig := requireTool(t, "pdfsig")
	openssl := requireTool(t, "openssl")
	pdftotext := requireTool(t, "pdftotext")
	t.Setenv("TZ", "UTC") // pdfsig prints local time
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	out := filepath.Join(dir, "pkg")
	before := time.Now().UTC().Truncate(time.Second)
	code, stdout, stderr := runCLIAt(t, time.Now, "build", "-c", filepath.Join(writeProject(t, nil), "auditpack.yaml"), "--out", out,
		"--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15")
	after := time.Now().UTC()
	if code != 0 {
		t.Fatalf("build exited %d:\n%s%s", code, stdout, stderr)
	}
	m, err := packager.ParseManifest(readFile(t, filepath.Join(out, packager.ManifestName)))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := time.Parse(time.RFC3339, m.SigningTime)
	if err != nil || signed.Before(before) || signed.After(after) || m.AsOf != "2026-11-15" {
		t.Fatalf("manifest: signing_time %s (%v), as_of %s; the build ran from %s to %s", m.SigningTime, err, m.AsOf, before, after)
	}

	got, _ := runTool(t, out, pdfsig, "-no-ocsp", packager.ReportName)
	if want := "Signing Time: " + signed.Format("Jan 02 2006 15:04:05"); !strings.Contains(got, want) {
		t.Fatalf("pdfsig does not show %q:\n%s", want, got)
	}
	t.Logf("pdfsig: %s", regexp.MustCompile(`Signing Time: [^\n]*`).FindString(got))
	got, err = runTool(t, out, openssl, "cms", "-cmsout", "-print", "-inform", "DER", "-in", packager.SignatureName)
	if want := signed.Format("Jan _2 15:04:05 2006 GMT"); err != nil || !strings.Contains(got, want) {
		t.Fatalf("openssl cms -print does not show the signingTime %q: %v\n%s", want, err, got)
	}
	verify := string(readFile(t, filepath.Join(out, packager.VerifyName)))
	for _, want := range []string{"As of:         2026-11-15", "Signed at:     " + m.SigningTime} {
		if !strings.Contains(verify, want) {
			t.Errorf("VERIFY.txt lacks %q", want)
		}
	}
	got, err = runTool(t, out, pdftotext, "-layout", "-f", "1", "-l", "1", packager.ReportName, "-")
	for _, want := range []string{`Assessed as of +2026-11-15\n`, `Signed at +` + signed.Format("2006-01-02 15:04:05") + ` UTC`} {
		if err != nil || !regexp.MustCompile(want).MatchString(got) {
			t.Errorf("the cover lacks %q (%v):\n%s", want, err, got)
		}
	}
	code, stdout, _ = runCLI(t, "verify", out, "--ca", k.caPEM)
	if want := "signed at " + m.SigningTime + " (the signer's claim), within the signer certificate's validity"; code != 0 || !strings.Contains(stdout, want) {
		t.Fatalf("verify: exit %d, want %q:\n%s", code, want, stdout)
	}
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestRebuildAtAnotherSigningTime builds the same project with the same
// key and --as-of at two signing times. results.json, the workbook, the
// OSCAL results, the inputs and the evidence are byte for byte the same;
// the report differs before its signature only in the "Signed at" line of
// its cover, and a third build at the first time gives the first
// unsigned report again, byte for byte.
func TestRebuildAtAnotherSigningTime(t *testing.T) {
	pdftotext := requireTool(t, "pdftotext")
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	project := writeProject(t, nil)
	first, later := fixedNow(), time.Date(2026, 11, 24, 16, 45, 30, 0, time.UTC)
	a, b, c := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")
	buildExampleAt(t, first, project, k, a)
	buildExampleAt(t, later, project, k, b)
	buildExampleAt(t, first, project, k, c)
	fa, fb, fc := readTree(t, a), readTree(t, b), readTree(t, c)

	timed := map[string]bool{packager.ManifestName: true, packager.SumsName: true, packager.SignatureName: true,
		packager.ReportName: true, packager.VerifyName: true}
	for _, n := range []string{"results.json", "workbook.xlsx", "oscal/assessment-results.json"} {
		if len(fa[n]) == 0 {
			t.Fatalf("the package lacks %s", n)
		}
	}
	for n := range fa {
		if !timed[n] && !bytes.Equal(fa[n], fb[n]) {
			t.Errorf("%s differs between signing times", n)
		}
	}
	ma, errA := packager.ParseManifest(fa[packager.ManifestName])
	mb, errB := packager.ParseManifest(fb[packager.ManifestName])
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if ma.SigningTime != "2026-11-22T10:00:00Z" || mb.SigningTime != "2026-11-24T16:45:30Z" || ma.AsOf != mb.AsOf || ma.AsOf != "2026-11-15" {
		t.Fatalf("signing times %s, %s; as of %s, %s", ma.SigningTime, mb.SigningTime, ma.AsOf, mb.AsOf)
	}

	unsigned := func(files map[string][]byte, m *packager.Manifest) []byte {
		return files[packager.ReportName][:m.Report.UnsignedLength]
	}
	mc, _ := packager.ParseManifest(fc[packager.ManifestName])
	if !bytes.Equal(unsigned(fa, ma), unsigned(fc, mc)) || *ma.Report != *mc.Report {
		t.Fatal("two reports rendered for the same signing time differ before their signatures")
	}
	text := func(pdf []byte) []string {
		p := filepath.Join(t.TempDir(), "unsigned.pdf")
		mustWrite(t, p, pdf, 0o644)
		got, err := runTool(t, dir, pdftotext, "-layout", p, "-")
		if err != nil {
			t.Fatalf("pdftotext: %v\n%s", err, got)
		}
		return strings.Split(got, "\n")
	}
	ta, tb := text(unsigned(fa, ma)), text(unsigned(fb, mb))
	if len(ta) != len(tb) {
		t.Fatalf("the unsigned reports have %d and %d lines", len(ta), len(tb))
	}
	changed := 0
	for i := range ta {
		if ta[i] == tb[i] {
			continue
		}
		changed++
		if !strings.HasPrefix(ta[i], "Signed at ") || !strings.Contains(tb[i], "2026-11-24 16:45:30 UTC") {
			t.Errorf("report line %d differs beyond the signing time: %q / %q", i+1, ta[i], tb[i])
		}
	}
	if changed != 1 {
		t.Errorf("%d report lines differ; only the cover's signing time may", changed)
	}
	// VERIFY.txt states the signing time and the unsigned report's length
	// and hash.
	length := fmt.Sprintf(" %d bytes of report.pdf", mb.Report.UnsignedLength)
	va, vb := strings.Split(string(fa[packager.VerifyName]), "\n"), strings.Split(string(fb[packager.VerifyName]), "\n")
	if len(va) != len(vb) {
		t.Fatalf("VERIFY.txt has %d and %d lines", len(va), len(vb))
	}
	for i := range va {
		if va[i] != vb[i] && !strings.Contains(vb[i], mb.SigningTime) && !strings.Contains(vb[i], mb.Report.UnsignedSHA256) &&
			!strings.Contains(vb[i], length) {
			t.Errorf("VERIFY.txt line %d differs beyond the signing time: %q / %q", i+1, va[i], vb[i])
		}
	}
}

// TestBuildSignsOnlyWithinTheCertificateValidity makes a one-day keygen
// certificate: a build before it starts or after it ends is refused
// (exit 2, naming the times) and leaves nothing; a build within it signs
// at that time. The as-of date, a week before the certificate starts, does
// not matter: only the signing time must lie within the validity.
func TestBuildSignsOnlyWithinTheCertificateValidity(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "keys")
	if code, _, stderr := runCLI(t, "keygen", "--out", keys, "--days", "1"); code != 0 {
		t.Fatalf("keygen: exit %d %s", code, stderr)
	}
	k := testKeys{key: filepath.Join(keys, keyFileName), cert: filepath.Join(keys, certFileName)}
	project := writeProject(t, nil)
	for _, at := range []time.Time{fixedNow().Add(-time.Second), fixedNow().AddDate(0, 0, 1).Add(time.Second)} {
		out := filepath.Join(t.TempDir(), "pkg")
		code, _, stderr := runCLIAt(t, clockAt(at), "build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", out,
			"--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15")
		want := "signing time " + at.Format(time.RFC3339) + " is outside the validity"
		if code != exitInput || !strings.Contains(stderr, want) || !strings.Contains(stderr, "2026-11-22T10:00:00Z to 2026-11-23T10:00:00Z") {
			t.Fatalf("build at %s: exit %d, want %d with %q:\n%s", at, code, exitInput, want, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("a refused build left %s", out)
		}
	}
	out := filepath.Join(t.TempDir(), "pkg")
	buildExampleAt(t, fixedNow().Add(time.Hour), project, k, out)
	m, err := packager.ParseManifest(readFile(t, filepath.Join(out, packager.ManifestName)))
	if err != nil || m.SigningTime != "2026-11-22T11:00:00Z" {
		t.Fatalf("signed at %v (%v), want 2026-11-22T11:00:00Z", m, err)
	}
}

// TestBuildReadsTheClockOnce builds with a clock that moves on every
// reading: it is read once, and the package is signed at that reading.
func TestBuildReadsTheClockOnce(t *testing.T) {
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	readings := 0
	clock := func() time.Time {
		readings++
		return fixedNow().Add(time.Duration(readings) * time.Hour)
	}
	out := filepath.Join(dir, "pkg")
	code, stdout, stderr := runCLIAt(t, clock, "build", "-c", filepath.Join(writeProject(t, nil), "auditpack.yaml"), "--out", out,
		"--key", k.key, "--cert", k.cert)
	if code != 0 {
		t.Fatalf("build exited %d:\n%s%s", code, stdout, stderr)
	}
	m, err := packager.ParseManifest(readFile(t, filepath.Join(out, packager.ManifestName)))
	if err != nil {
		t.Fatal(err)
	}
	if readings != 1 || m.SigningTime != "2026-11-22T11:00:00Z" {
		t.Fatalf("the clock was read %d times; signed at %s, want once, at 2026-11-22T11:00:00Z", readings, m.SigningTime)
	}
}
