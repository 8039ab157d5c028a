package signature

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"
)

var sumsContent = []byte("0f343b0931126a20f133d67c2b018a3b5a4f7e8f6e7c6d2a1b0c9d8e7f6a5b4c  report.pdf\n" +
	"9b74c9897bac770ffc029102a200c5de3c6f0a6d8e1b9c0d3f2a1e0b7c8d9e0f  workbook.xlsx\n")

func TestSignDetachedRoundTrip(t *testing.T) {
	for _, ts := range testSigners(t) {
		t.Run(ts.name, func(t *testing.T) {
			der, err := SignDetached(bytes.NewReader(sumsContent), ts.s, CMSOptions{SigningTime: TestSigningTime})
			if err != nil {
				t.Fatal(err)
			}
			got, err := VerifyDetached(der, bytes.NewReader(sumsContent), ts.ca.Pool(), CertFingerprint(ts.s.Leaf))
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if !got.Equal(ts.s.Leaf) {
				t.Fatalf("signer = %s, want %s", got.Subject, ts.s.Leaf.Subject)
			}
			st, ok, err := CMSSigningTime(der)
			if err != nil || !ok || !st.Equal(TestSigningTime) {
				t.Fatalf("signing time = %v, %v, %v", st, ok, err)
			}
		})
	}
}

func TestVerifyDetachedRefuses(t *testing.T) {
	ts := testSigners(t)[0]
	other := NewTestCA(t, AlgECDSAP256)
	der, err := SignDetached(bytes.NewReader(sumsContent), ts.s, CMSOptions{SigningTime: TestSigningTime})
	if err != nil {
		t.Fatal(err)
	}
	noTime, err := SignDetached(bytes.NewReader(sumsContent), ts.s, CMSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sigAt := len(der) - 20                             // inside the signature value, the last field
	attrsAt := bytes.Index(der, sha256Of(sumsContent)) // inside messageDigest
	pin := CertFingerprint(ts.s.Leaf)
	tests := []struct {
		name    string
		der     []byte
		content []byte
		roots   bool
		pin     []byte
		at      time.Time
		kind    error
	}{
		{"content changed", der, flip(sumsContent, 3), true, pin, time.Time{}, ErrDigestMismatch},
		{"content extended", der, append(bytes.Clone(sumsContent), '\n'), true, pin, time.Time{}, ErrDigestMismatch},
		{"signature value changed", flip(der, sigAt), sumsContent, true, pin, time.Time{}, ErrBadSignature},
		{"signed attribute changed", flip(der, attrsAt), sumsContent, true, pin, time.Time{}, ErrDigestMismatch},
		{"truncated", der[:len(der)-1], sumsContent, true, pin, time.Time{}, ErrMalformed},
		{"trailing data", append(bytes.Clone(der), 0), sumsContent, true, pin, time.Time{}, ErrMalformed},
		{"empty", nil, sumsContent, true, pin, time.Time{}, ErrMalformed},
		{"wrong pin", der, sumsContent, true, flip(pin, 0), time.Time{}, ErrPinMismatch},
		{"short pin", der, sumsContent, true, pin[:20], time.Time{}, ErrPinMismatch},
		{"untrusted root", der, sumsContent, false, pin, time.Time{}, ErrUntrusted},
		{"no roots and no pin", der, sumsContent, false, nil, time.Time{}, ErrUntrusted},
		{"no signing time", noTime, sumsContent, true, pin, time.Time{}, ErrUntrusted},
		{"after certificate expiry", der, sumsContent, true, pin, TestNotAfter.Add(time.Hour), ErrUntrusted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roots := other.Pool()
			if tt.roots {
				roots = ts.ca.Pool()
			}
			if tt.name == "no roots and no pin" {
				roots = nil
			}
			_, err := VerifyDetachedAt(tt.der, bytes.NewReader(tt.content), roots, tt.pin, tt.at)
			wantKind(t, err, tt.kind)
		})
	}
}

func TestVerifyDetachedPinOnly(t *testing.T) {
	ts := testSigners(t)[0]
	der, err := SignDetached(bytes.NewReader(sumsContent), ts.s, CMSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyDetachedAt(der, bytes.NewReader(sumsContent), nil, CertFingerprint(ts.s.Leaf), TestSigningTime); err != nil {
		t.Fatalf("pin-only verification: %v", err)
	}
}

func TestSignDetachedDeterministicRSA(t *testing.T) {
	ts := testSigners(t)[1]
	a, err := SignDetached(bytes.NewReader(sumsContent), ts.s, CMSOptions{SigningTime: TestSigningTime})
	if err != nil {
		t.Fatal(err)
	}
	b, err := SignDetached(bytes.NewReader(sumsContent), ts.s, CMSOptions{SigningTime: TestSigningTime})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two RSA signatures of the same content differ")
	}
}

func sha256Of(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}
