// Package procedure is the one description of how a third party checks an
// audit package with standard tools only (openssl, sha256sum, find,
// pdfsig): the steps VERIFY.txt lists and the report's appendix prints.
// Both read it from here, so the two cannot give different commands for
// the same package.
package procedure

import (
	"bytes"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"strings"
)

// Signer is what the procedure needs to know of the package's signer.
type Signer struct {
	// SelfSigned: no CA vouches for the certificate, so the signature is
	// checked without a CA and only the fingerprint tells who signed.
	SelfSigned bool
	// Fingerprint is the SHA-256 of the signer certificate, written as
	// `openssl x509 -fingerprint -sha256` prints it (FormatFingerprint);
	// Hex is the same in lower-case hex, as auditpack verify takes it.
	Fingerprint, Hex string
}

// SignerOf describes a signing certificate from its SHA-256 fingerprint.
func SignerOf(c *x509.Certificate, fingerprint []byte) Signer {
	return Signer{SelfSigned: SelfSigned(c), Fingerprint: FormatFingerprint(fingerprint), Hex: hex.EncodeToString(fingerprint)}
}

// SelfSigned reports whether a certificate is its own issuer and signed by
// its own key.
func SelfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject) && c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

// FormatFingerprint writes a SHA-256 fingerprint the way
// `openssl x509 -noout -fingerprint -sha256` prints it (upper-case hex
// pairs joined by colons), so a reader can compare the two by eye.
func FormatFingerprint(fp []byte) string {
	parts := make([]string, len(fp))
	for i, c := range fp {
		parts[i] = fmt.Sprintf("%02X", c)
	}
	return strings.Join(parts, ":")
}

// Report is the signed PDF as the procedure checks it. The report itself
// is rendered before its own length and hash are known: it passes a Report
// with Known false, and the step names where the figures are instead.
type Report struct {
	Known          bool
	UnsignedLength int64
	UnsignedSHA256 string
}

// Step is one numbered step: its title, then paragraphs and commands in
// order.
type Step struct {
	Title  string
	Blocks []Block
}

// Block is a paragraph, as lines of at most 80 characters (VERIFY.txt
// keeps the breaks, the report flows them), or a command, as its lines:
// every line but the last ends in a backslash.
type Block struct {
	Text    []string
	Command []string
}

// Intro is what a reader must know before the steps: where to run them,
// and how a failure shows.
var Intro = []string{
	"Run every command below (the lines starting with $) with bash, inside the",
	"package directory; unzip a .zip first (unzip -q PACKAGE.zip -d PACKAGE),",
	"and keep your own files, such as their-ca.pem, outside that directory.",
	"Each exits non-zero when its check fails, except where you must read the",
	"output; a command of several steps runs in a subshell with pipefail, so",
	"that a step that fails (find unable to read a folder, mktemp) fails it too.",
}

func text(lines ...string) Block { return Block{Text: lines} }
func command(lines ...string) Block {
	return Block{Command: lines}
}

// Steps is the procedure for a package signed by s; report is nil for a
// package without a PDF report.
func Steps(s Signer, report *Report) []Step {
	third := Step{Title: `This package has no PDF report (manifest.json: "report": null).`}
	if report != nil {
		third = reportStep(report)
	}
	third.Blocks = append(third.Blocks, text(
		"These steps check the files. A .zip can also hide content from some",
		"extractors in its own structure (local headers that disagree with its",
		"directory, bytes between its entries); auditpack verify checks that too."))
	return []Step{signatureStep(s), filesStep(), third, auditpackStep(s)}
}

// auditpackStep is the same checks and more, for a reader who has
// auditpack: it is shown, not run, by the procedure's own tests.
func auditpackStep(s Signer) Step {
	cmd := "auditpack verify PACKAGE --ca their-ca.pem --signer-fingerprint " + s.Hex
	if s.SelfSigned {
		cmd = "auditpack verify PACKAGE --signer-fingerprint " + s.Hex
	}
	return Step{Title: "With auditpack, all of the above and more in one step", Blocks: []Block{text(cmd)}}
}

func signatureStep(s Signer) Step {
	st := Step{Title: "The signature over the list of files, and who signed it"}
	check := "-noverify"
	if s.SelfSigned {
		st.Blocks = append(st.Blocks, text(
			"The certificate is self-signed, so no CA vouches for it: the signer's",
			"fingerprint is all that tells who signed."))
	} else {
		st.Blocks = append(st.Blocks, text(
			"With the CA certificate you trust (their-ca.pem), not one from this",
			"package. -CAfile only proves that some certificate of that CA signed,",
			"so the signer's fingerprint is checked too."))
		check = "-CAfile their-ca.pem -purpose any"
	}
	st.Blocks = append(st.Blocks,
		text("The command fails unless the signer's fingerprint is the one in it; if",
			"the signer gave you one another way, put it in its place. The signer's",
			"certificate goes to a private temporary file (mktemp), removed after."),
		command(`(set -o pipefail; f=$(mktemp) || exit; trap 'rm -f "$f"' EXIT; \`,
			`      openssl cms -verify -binary -inform DER -in SHA256SUMS.p7s -content SHA256SUMS \`,
			fmt.Sprintf(`        %s -signer "$f" -out /dev/null \`, check),
			`      && openssl x509 -in "$f" -noout -subject -fingerprint -sha256 | tee /dev/stderr \`,
			`      | grep -ix \`,
			fmt.Sprintf(`        'sha256 Fingerprint=%s' >/dev/null)`, s.Fingerprint)),
		text(`Expect "CMS Verification successful", the signer's subject and fingerprint.`))
	return st
}

func filesStep() Step {
	return Step{Title: "Every file against the list, and nothing else in the package", Blocks: []Block{
		text("Every line must end in OK (on macOS: shasum -a 256 -c --strict SHA256SUMS):"),
		command("sha256sum -c --strict SHA256SUMS"),
		text("The regular files present must be exactly those listed, plus SHA256SUMS",
			"and SHA256SUMS.p7s at the top (a second SHA256SUMS in a folder is extra):"),
		command(`(set -o pipefail; find . -type f | sed 's|^\./||' | LC_ALL=C sort \`,
			`      | diff - <({ cut -c67- SHA256SUMS; echo SHA256SUMS; echo SHA256SUMS.p7s; } | LC_ALL=C sort)) \`,
			`      && echo 'no extra or missing files'`),
		text("And there must be nothing but files and the folders that hold them: no",
			"symbolic link, device, pipe or socket, and no empty folder:"),
		command(`(set -o pipefail; find . ! -type f ! -type d -o -type d -empty | diff /dev/null -) \`,
			`      && echo 'no links, special files or empty folders'`),
	}}
}

func reportStep(r *Report) Step {
	st := Step{Title: "The signature inside report.pdf (PAdES)", Blocks: []Block{
		command("pdfsig -no-ocsp report.pdf"),
	}}
	lead := []string{
		"It must show exactly one signature, with",
		`"Signature Validation: Signature is Valid." and "Total document signed".`,
		"pdfsig exits 0 even when a signature is broken, so read its output. The",
	}
	if !r.Known {
		st.Blocks = append(st.Blocks,
			text(append(lead,
				"report as rendered, before signing, is a prefix of report.pdf whose",
				"length and SHA-256 VERIFY.txt and manifest.json (report.unsigned_length,",
				"report.unsigned_sha256) give; VERIFY.txt checks it with a command of",
				"this form:")...),
			command(`[ "$(head -c LENGTH report.pdf | sha256sum | cut -c1-64)" = SHA256 ] && echo 'unsigned report intact'`))
		return st
	}
	st.Blocks = append(st.Blocks,
		text(append(lead,
			"report as rendered, before signing, is the first",
			fmt.Sprintf("%d bytes of report.pdf, with SHA-256", r.UnsignedLength),
			r.UnsignedSHA256+":")...),
		command(fmt.Sprintf(`[ "$(head -c %d report.pdf | sha256sum | cut -c1-64)" = %s ] && echo 'unsigned report intact'`,
			r.UnsignedLength, r.UnsignedSHA256)))
	return st
}
