package packager

import (
	"encoding/hex"
	"fmt"
	"strings"
)

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

// cmd writes one command of the procedure. Commands, and only commands,
// start with "$ "; a command continues on the following lines while a line
// ends in a backslash. The tests run exactly these lines.
func cmd(w func(string, ...any), format string, args ...any) {
	w("   $ "+format, args...)
}

// verifyText writes VERIFY.txt: the exact commands with which a third party
// checks the package without auditpack. It depends only on the manifest,
// so it is as reproducible as the rest.
func verifyText(m *Manifest) []byte {
	fpBytes, _ := hex.DecodeString(m.Signer.CertificateSHA256)
	fp := FormatFingerprint(fpBytes)
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("How to verify this audit package without auditpack")
	w("====================================================")
	w("")
	if m.Demo {
		w("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")
		w("!!  DEMO PACKAGE - NOT EVIDENCE                                         !!")
		w("!!  It was signed with a THROWAWAY DEMO KEY, generated for one run of   !!")
		w("!!  `auditpack demo` and then discarded. The signature shows only that  !!")
		w("!!  the files did not change since that run; it says nothing about who  !!")
		w("!!  made them. Do not accept it as audit evidence.                      !!")
		w("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")
		w("")
	}
	w("Organisation:  %s", m.Project.Organisation)
	w("System:        %s", m.Project.System)
	w("As of:         %s (the date the controls are assessed at)", m.AsOf)
	w("Signed at:     %s (the signer's own claim; no time-stamping authority)", m.SigningTime)
	w("Signer:        %s", m.Signer.Subject)
	w("Issuer:        %s", m.Signer.Issuer)
	w("Signer certificate SHA-256 fingerprint:")
	w("    %s", fp)
	w("")
	w("Anyone able to change this package can change this file too. Compare the")
	w("fingerprint above with one you received from the signer another way (your")
	w("vendor records, a call), or check the signature against a CA you trust.")
	w("Run every command below (the lines starting with $) with bash, inside the")
	w("package directory; unzip a .zip first (unzip -q PACKAGE.zip -d PACKAGE),")
	w("and keep your own files, such as their-ca.pem, outside that directory.")
	w("Each exits non-zero when its check fails, except where you must read the")
	w("output; a command of several steps runs in a subshell with pipefail, so")
	w("that a step that fails (find unable to read a folder, mktemp) fails it too.")
	w("")
	w("1. The signature over the list of files, and who signed it")
	w("")
	signature := "-noverify"
	if m.Signer.SelfSigned {
		w("   The certificate is self-signed, so no CA vouches for it: the signer's")
		w("   fingerprint is all that tells who signed.")
	} else {
		w("   With the CA certificate you trust (their-ca.pem), not one from this")
		w("   package. -CAfile only proves that some certificate of that CA signed,")
		w("   so the signer's fingerprint is checked too.")
		signature = "-CAfile their-ca.pem -purpose any"
	}
	w("")
	w("   The command fails unless the signer's fingerprint is the one above; if")
	w("   the signer gave you one another way, put it in its place. The signer's")
	w("   certificate goes to a private temporary file (mktemp), removed after.")
	w("")
	cmd(w, "(set -o pipefail; f=$(mktemp) || exit; trap 'rm -f \"$f\"' EXIT; \\")
	w("         openssl cms -verify -binary -inform DER -in SHA256SUMS.p7s -content SHA256SUMS \\")
	w("           %s -signer \"$f\" -out /dev/null \\", signature)
	w("         && openssl x509 -in \"$f\" -noout -subject -fingerprint -sha256 | tee /dev/stderr \\")
	w("         | grep -ix 'sha256 Fingerprint=%s' >/dev/null)", fp)
	w("")
	w("   Expect \"CMS Verification successful\", the signer's subject and fingerprint.")
	w("")
	w("2. Every file against the list, and nothing else in the package")
	w("")
	w("   Every line must end in OK (on macOS: shasum -a 256 -c --strict SHA256SUMS):")
	w("")
	cmd(w, "sha256sum -c --strict SHA256SUMS")
	w("")
	w("   The regular files present must be exactly those listed, plus SHA256SUMS")
	w("   and SHA256SUMS.p7s at the top (a second SHA256SUMS in a folder is extra):")
	w("")
	cmd(w, "(set -o pipefail; find . -type f | sed 's|^\\./||' | LC_ALL=C sort \\")
	w("         | diff - <({ cut -c67- SHA256SUMS; echo SHA256SUMS; echo SHA256SUMS.p7s; } | LC_ALL=C sort)) \\")
	w("         && echo 'no extra or missing files'")
	w("")
	w("   And there must be nothing but files and the folders that hold them: no")
	w("   symbolic link, device, pipe or socket, and no empty folder:")
	w("")
	cmd(w, "(set -o pipefail; find . ! -type f ! -type d -o -type d -empty | diff /dev/null -) \\")
	w("         && echo 'no links, special files or empty folders'")
	w("")
	if m.Report != nil {
		w("3. The signature inside report.pdf (PAdES)")
		w("")
		cmd(w, "pdfsig -no-ocsp report.pdf")
		w("")
		w("   It must show exactly one signature with \"Signature Validation: Signature is Valid.\"")
		w("   and \"Total document signed\". pdfsig exits 0 even when a signature is broken,")
		w("   so read its output. The report as rendered, before signing, is the first")
		w("   %d bytes of report.pdf, with SHA-256", m.Report.UnsignedLength)
		w("   %s:", m.Report.UnsignedSHA256)
		w("")
		cmd(w, "[ \"$(head -c %d report.pdf | sha256sum | cut -c1-64)\" = %s ] && echo 'unsigned report intact'",
			m.Report.UnsignedLength, m.Report.UnsignedSHA256)
		w("")
	} else {
		w("3. This package has no PDF report (manifest.json: \"report\": null).")
		w("")
	}
	w("   These steps check the files. A .zip can also hide content from some")
	w("   extractors in its own structure (local headers that disagree with its")
	w("   directory, bytes between its entries); auditpack verify checks that too.")
	w("")
	w("4. With auditpack, all of the above and more in one step")
	w("")
	if m.Signer.SelfSigned {
		w("   auditpack verify PACKAGE --signer-fingerprint %s", m.Signer.CertificateSHA256)
	} else {
		w("   auditpack verify PACKAGE --ca their-ca.pem --signer-fingerprint %s", m.Signer.CertificateSHA256)
	}
	return []byte(b.String())
}
