package main

// commandExamples are the examples `auditpack COMMAND --help` ends with,
// for the commands a new user meets first. Every line is a command that
// runs as shown, given the files it names.
func commandExamples(path string) string {
	switch path {
	case "demo":
		return `   auditpack demo                                  # the example's signed package in ./auditpack-demo
   auditpack demo --out /tmp/demo --zip --force    # also /tmp/demo.zip, replacing an earlier run
   auditpack verify auditpack-demo --accept-unanchored`
	case "init":
		return `   auditpack init --model threatmodel.otm.json     # writes ./auditpack.yaml to edit
   auditpack init --model model.tm7 --out audit/auditpack.yaml`
	case "build":
		return `   auditpack build -c auditpack.yaml --key signing.key --cert signing.crt
   auditpack build -c auditpack.yaml --key signing.key --cert signing.crt --out packages/2026-q4 --zip
   auditpack build -c auditpack.yaml --key signing.key --cert signing.crt --previous packages/2026-q3`
	case "check":
		return `   auditpack check -c auditpack.yaml                           # summary; exit 1 on not-satisfied
   auditpack check -c auditpack.yaml --format sarif > auditpack.sarif
   auditpack check -c auditpack.yaml --fail-on not-satisfied,needs-evidence`
	case "verify":
		return `   auditpack verify packages/2026-q4 --ca company-ca.pem
   auditpack verify packages/2026-q4.zip --signer-fingerprint "$(cat signer.fingerprint)"
   auditpack verify auditpack-demo --accept-unanchored           # integrity only: says UNTRUSTED`
	}
	return ""
}
