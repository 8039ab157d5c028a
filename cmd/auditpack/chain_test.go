package main

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadChainExitsTwo refuses a --chain file that is not a chain of
// certificates before anything is written, naming the file; a chain file
// was once never parsed, and a package was signed without its chain.
func TestBadChainExitsTwo(t *testing.T) {
	dir := t.TempDir()
	k := writeTestKeys(t, dir, nil)
	project := writeProject(t, nil)
	keyPEM, err := os.ReadFile(k.key)
	if err != nil {
		t.Fatal(err)
	}
	caPEM, err := os.ReadFile(k.caPEM)
	if err != nil {
		t.Fatal(err)
	}
	garbage := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("not DER at all")})
	chains := map[string][]byte{
		"text.pem":        []byte("intermediate certificates go here\n"),
		"yaml.pem":        []byte("chain:\n  - intermediate.pem\n"),
		"garbage.pem":     garbage,
		"empty.pem":       nil,
		"key.pem":         keyPEM,
		"ca-then-key.pem": append(append([]byte{}, caPEM...), keyPEM...),
		"ca-then-bad.pem": append(append([]byte{}, caPEM...), garbage...),
	}
	for name, data := range chains {
		chain := filepath.Join(dir, "chain-"+name)
		mustWrite(t, chain, data, 0o644)
		out := filepath.Join(dir, "out")
		code, _, stderr := runCLI(t, "build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", out, "-q",
			"--key", k.key, "--cert", k.cert, "--chain", chain)
		if code != exitInput || !strings.Contains(stderr, chain) {
			t.Errorf("--chain %s: exit %d, want %d naming the file:\n%s", name, code, exitInput, stderr)
		}
		if strings.Contains(stderr, "PRIVATE KEY") || strings.Contains(stderr, "intermediate") {
			t.Errorf("--chain %s: the error quotes the file:\n%s", name, stderr)
		}
		if _, err := os.Lstat(out); !os.IsNotExist(err) {
			t.Errorf("--chain %s: %s was written", name, out)
			os.RemoveAll(out)
		}
	}
	// A chain of certificates, with the text some tools write between
	// them, is accepted.
	chain := filepath.Join(dir, "chain-ok.pem")
	mustWrite(t, chain, append([]byte("subject=CN=Test CA\n"), caPEM...), 0o644)
	buildExample(t, project, k, filepath.Join(dir, "ok"), "--chain", chain, "-q")
}
