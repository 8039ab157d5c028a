package threagile

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/auditpack/auditpack/audit/model"
)

// Threagile values are written by the author, so "none" is a stated false
// and every other value Threagile defines a stated true; an absent key
// states nothing, and a value Threagile does not define (a typo) must not
// become a favourable fact.
func TestStatedValues(t *testing.T) {
	const doc = `threagile_version: 1.0.0
title: t
technical_assets:
  App:
    id: app
    type: process
    %s
    communication_links:
      Store:
        target: db
        protocol: %s
        %s
  DB:
    id: db
    type: datastore
`
	tests := []struct {
		name, asset, link string
		enc, auth         model.Tri
		warning           string
		protocol          string    // jdbc when empty
		encrypted         model.Tri // of the link; ignored for jdbc
	}{
		{"none is false", "encryption: none", "authentication: none", model.False, model.False, "", "", 0},
		{"a defined value is true", "encryption: transparent", "authentication: client-certificate", model.True, model.True, "", "", 0},
		{"any case", "encryption: Data-With-Symmetric-Shared-Key", "authentication: Token", model.True, model.True, "", "", 0},
		{"absent is unknown", "usage: business", "usage: business", model.Unknown, model.Unknown, "", "", 0},
		{"unknown encryption", "encryption: aes-please", "usage: business", model.Unknown, model.Unknown,
			`encryption "aes-please" is not one Threagile defines; encryption at rest left unknown`, "", 0},
		{"unknown authentication", "usage: business", "authentication: yes-please", model.Unknown, model.Unknown,
			`authentication "yes-please" is not one Threagile defines; authentication left unknown`, "", 0},
		{"defined encrypted protocol", "usage: business", "usage: business", model.Unknown, model.Unknown, "", "jdbc-encrypted", model.True},
		// Not in Threagile's list: the suffix alone proves nothing.
		{"undefined -encrypted protocol", "usage: business", "usage: business", model.Unknown, model.Unknown,
			`protocol "grpc-encrypted" is not one Threagile defines; encryption left unknown`, "grpc-encrypted", model.Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proto, want := tt.protocol, tt.encrypted
			if proto == "" {
				proto, want = "jdbc", model.False
			}
			fsys := fstest.MapFS{"m.yaml": file(fmt.Sprintf(doc, tt.asset, proto, tt.link))}
			m, err := Decode(fsys, "m.yaml", fsys["m.yaml"].Data)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Components[0].EncryptedAtRest; got != tt.enc {
				t.Errorf("encrypted at rest = %v, want %v", got, tt.enc)
			}
			if got := m.Flows[0].Encrypted; got != want {
				t.Errorf("encrypted = %v, want %v", got, want)
			}
			if got := m.Flows[0].Authenticated; got != tt.auth {
				t.Errorf("authenticated = %v, want %v", got, tt.auth)
			}
			var msgs []string
			for _, w := range m.Warnings {
				msgs = append(msgs, w.Message)
			}
			if got := strings.Join(msgs, "; "); got != tt.warning {
				t.Errorf("warnings = %q, want %q", got, tt.warning)
			}
		})
	}
}
