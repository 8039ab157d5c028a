package importer

import (
	"encoding/json"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
)

func TestFlag(t *testing.T) {
	for _, tt := range []struct {
		in   any
		want model.Tri
	}{
		{true, model.True}, {false, model.False}, {" TRUE ", model.True}, {"False", model.False},
		{"yes", model.Unknown}, {nil, model.Unknown}, {json.Number("1"), model.Unknown},
	} {
		if got := Flag(tt.in); got != tt.want {
			t.Errorf("Flag(%#v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCheckbox(t *testing.T) {
	for _, tt := range []struct {
		in   any
		want model.Tri
	}{
		// An unticked box is the editor's default: it says nothing.
		{false, model.Unknown}, {"false", model.Unknown}, {nil, model.Unknown},
		{true, model.True}, {" True", model.True}, {"yes", model.Unknown},
	} {
		if got := Checkbox(tt.in); got != tt.want {
			t.Errorf("Checkbox(%#v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestSuggestsTLS(t *testing.T) {
	for in, want := range map[string]bool{
		"HTTPS": true, "HTTP/S": true, "TLS 1.3": true, "mTLS": true, "SSH": true, "sftp": true,
		"TCP+SSL": true, "gRPC over TLS": true, "IPsec": true,
		"HTTP": false, "": false, "UPnP": false, "SMTP": false, "Websocket": false, "httpsd": false,
	} {
		if got := SuggestsTLS(in); got != want {
			t.Errorf("SuggestsTLS(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestNumber(t *testing.T) {
	for _, tt := range []struct {
		in   any
		want float64
		ok   bool
	}{
		{json.Number("12.5"), 12.5, true}, {" -3 ", -3, true}, {"1e400", 0, false}, {"NaN", 0, false},
		{"Inf", 0, false}, {"", 0, false}, {true, 0, false}, {nil, 0, false},
		// A number is taken as written: only strings are trimmed.
		{json.Number(" 1"), 0, false},
	} {
		if got, ok := Number(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("Number(%#v) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestClean(t *testing.T) {
	if got := Clean("  Web\nServer \t 2 "); got != "Web Server 2" {
		t.Errorf("Clean = %q", got)
	}
}

func TestIDs(t *testing.T) {
	var ids IDs
	var got []string
	for _, id := range []string{"a", "a", "a-2", "a", "b"} {
		got = append(got, ids.Claim(id))
	}
	want := []string{"a", "a-2", "a-2-2", "a-3", "b"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Claim sequence = %v, want %v", got, want)
		}
	}
	if !ids.Used("a-3") || ids.Used("a-4") {
		t.Error("Used disagrees with Claim")
	}
	if ids.Take("b") || !ids.Take("c") || ids.Claim("c") != "c-2" {
		t.Error("Take and Claim share one set of ids")
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Customer Traffic":                   "customer-traffic",
		"  --Git Repo (Code) Read Access!! ": "git-repo-code-read-access",
		"Über_Link 2":                        "ber-link-2",
		"Azure SQL DB":                       "azure-sql-db",
		"":                                   "",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}
