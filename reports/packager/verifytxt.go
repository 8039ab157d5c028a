package packager

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/auditpack/auditpack/reports/procedure"
)

// FormatFingerprint writes a SHA-256 fingerprint the way
// `openssl x509 -noout -fingerprint -sha256` prints it (upper-case hex
// pairs joined by colons), so a reader can compare the two by eye.
func FormatFingerprint(fp []byte) string { return procedure.FormatFingerprint(fp) }

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
	for _, l := range procedure.Intro {
		w("%s", l)
	}
	report := (*procedure.Report)(nil)
	if m.Report != nil {
		report = &procedure.Report{Known: true, UnsignedLength: m.Report.UnsignedLength, UnsignedSHA256: m.Report.UnsignedSHA256}
	}
	signer := procedure.Signer{SelfSigned: m.Signer.SelfSigned, Fingerprint: fp, Hex: m.Signer.CertificateSHA256}
	for n, st := range procedure.Steps(signer, report) {
		w("")
		w("%d. %s", n+1, st.Title)
		for _, bl := range st.Blocks {
			w("")
			for i, l := range bl.Command {
				if i == 0 {
					cmd(w, "%s", l)
				} else {
					w("   %s", l)
				}
			}
			for _, l := range bl.Text {
				w("   %s", l)
			}
		}
	}
	return []byte(b.String())
}
