package signature

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestSigningTimeOutsideValidityIsNamed signs at a claimed time before the
// signer certificate's validity: both verifiers refuse it, under a pin and
// under a CA, and say which time lies outside which validity.
func TestSigningTimeOutsideValidityIsNamed(t *testing.T) {
	ts := testSigners(t)[0]
	early := TestNotBefore.Add(-time.Hour)
	der, err := SignDetached(bytes.NewReader(sumsContent), ts.s, CMSOptions{SigningTime: early})
	if err != nil {
		t.Fatal(err)
	}
	opts := testPDFOptions()
	opts.SigningTime = early
	signed, err := SignPDF(makeReport(t, true), ts.s, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"signing time 2019-12-31T23:00:00Z is outside the validity", ts.s.Leaf.Subject.String(),
		"2020-01-01T00:00:00Z to 2100-01-01T00:00:00Z"}
	pin := CertFingerprint(ts.s.Leaf)
	for _, tt := range []struct {
		name  string
		check func() error
	}{
		{"CMS pinned", func() error { _, err := VerifyDetached(der, bytes.NewReader(sumsContent), nil, pin); return err }},
		{"CMS under CA", func() error {
			_, err := VerifyDetached(der, bytes.NewReader(sumsContent), ts.ca.Pool(), nil)
			return err
		}},
		{"PDF pinned", func() error { _, err := VerifyPDF(signed, nil, pin); return err }},
		{"PDF under CA", func() error { _, err := VerifyPDF(signed, ts.ca.Pool(), nil); return err }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check()
			wantKind(t, err, ErrUntrusted)
			for _, w := range want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	// At a time within the validity both verify.
	if _, err := VerifyDetachedAt(der, bytes.NewReader(sumsContent), nil, pin, TestSigningTime); err != nil {
		t.Fatalf("at a time within the validity: %v", err)
	}
}
