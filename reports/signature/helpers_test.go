package signature

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// requireTool returns the path of an external verifier. Locally a missing
// tool skips the test with the reason; in CI (CI=true) it fails, so that the
// independent checks can never be silently lost.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required in CI but not on PATH (apt-get install -y poppler-utils qpdf openssl): %v", name, err)
	}
	t.Skipf("%s not on PATH, independent verification skipped (install poppler-utils qpdf openssl)", name)
	return ""
}

// run executes a tool and returns its combined output and exit error.
func run(t *testing.T, dir, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// signers holds one signer per algorithm, shared by the tests because RSA
// key generation is slow; every signer chains to its own root.
type testSigner struct {
	name string
	ca   *TestCA
	s    *Signer
}

var (
	signersOnce sync.Once
	signersAll  []testSigner
)

func testSigners(t testing.TB) []testSigner {
	t.Helper()
	signersOnce.Do(func() {
		ec := NewTestCA(t, AlgECDSAP256)
		rsa := NewTestCA(t, AlgRSA2048)
		inter := ec.Intermediate(t, AlgECDSAP256, "auditpack test intermediate CA")
		signersAll = []testSigner{
			{"ecdsa-p256", ec, ec.Issue(t, AlgECDSAP256, "signer ec")},
			{"rsa-2048", rsa, rsa.Issue(t, AlgRSA2048, "signer rsa")},
			{"rsa-leaf-ec-intermediate", inter, inter.Issue(t, AlgRSA2048, "signer chained")},
		}
	})
	if signersAll == nil {
		t.Fatal("test signers could not be created")
	}
	return signersAll
}

// wantKind fails unless err is a *VerifyError of the given kind.
func wantKind(t *testing.T, err, kind error) {
	t.Helper()
	var ve *VerifyError
	if !errors.Is(err, kind) || !errors.As(err, &ve) {
		t.Fatalf("error = %v, want kind %v", err, kind)
	}
}

// flip returns a copy of b with one bit changed at i.
func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x01
	return c
}
