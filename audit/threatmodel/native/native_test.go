package native

import (
	"errors"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/example"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
	"io/fs"
)

func demoModel(t testing.TB) []byte {
	data, err := fs.ReadFile(example.FS(), example.Dir+"/model.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestDecodeDemo(t *testing.T) {
	data := demoModel(t)
	if !Detect(data) {
		t.Fatal("the demo model must be detected as native")
	}
	m, err := Decode(nil, "model.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Components) != 14 || len(m.Flows) != 17 || len(m.Zones) != 5 {
		t.Fatalf("counts: %d components, %d flows, %d zones", len(m.Components), len(m.Flows), len(m.Zones))
	}
	if f := m.Flows[0]; f.Encrypted != model.True || f.Interactive != model.False || f.Ref != "/flows/0" {
		t.Errorf("flow 0: %+v", f)
	}
	// The statement download leaves interactive unknown on purpose.
	if f := m.Flows[9]; f.ID != "f-app-statements" || f.Interactive != model.Unknown {
		t.Errorf("flow 9: %+v", f)
	}
}

func TestRoundTrip(t *testing.T) {
	m, err := Decode(nil, "model.yaml", demoModel(t))
	if err != nil {
		t.Fatal(err)
	}
	enc, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := Decode(nil, "model.json", enc)
	if err != nil {
		t.Fatalf("encoded model does not decode: %v", err)
	}
	enc2, _ := Encode(m2)
	if string(enc) != string(enc2) {
		t.Fatal("encode → decode → encode is not stable")
	}
}

func TestErrorsLocateTheProblem(t *testing.T) {
	base := string(demoModel(t))
	tests := []struct{ edit, want string }{
		{strings.Replace(base, "trust: semi-trusted", "trust: half-trusted", 1), "model.yaml:10: at /zones/1/trust"},
		{strings.Replace(base, "source: payment-service, target: ledger", "source: payment-service, target: ledgr", 1), `model.yaml:43: at /flows/5: flow "f-pay-ledger": endpoint "ledgr" is not a component`},
		{strings.Replace(base, "encrypted: true, authenticated: true, public_network: true, interactive: false", "encrypted: maybe, authenticated: true, public_network: true, interactive: false", 1), "/flows/0/encrypted"},
	}
	for _, tt := range tests {
		_, err := Decode(nil, "model.yaml", []byte(tt.edit))
		var e *schemadoc.Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("want %q, got %v", tt.want, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(demoModel(f))
	f.Add([]byte(`{"schema": "auditpack/model/v1", "title": "t", "zones": [{"id": "a", "name": "a", "parent": "a"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(nil, "f", data)
		if err != nil {
			return
		}
		if _, err := model.New(m); err != nil {
			t.Fatalf("a decoded model must pass model.New: %v", err)
		}
		if _, err := Encode(m); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDetectAcceptsEscapedSlashes(t *testing.T) {
	if !Detect([]byte(`{"schema": "auditpack\/model\/v1", "title": "t"}`)) {
		t.Fatal("JSON may escape the schema's slashes")
	}
	if Detect([]byte(`{"schema": "other/model/v1", "title": "t"}`)) {
		t.Fatal("another schema is not native")
	}
}

// TestDetectReadsTheLeadingSchema covers detection without a full parse:
// what auditpack writes is claimed from its first key, so a damaged file
// gets the native decoder's located message.
func TestDetectReadsTheLeadingSchema(t *testing.T) {
	for _, c := range []struct {
		data string
		want bool
	}{
		{`{"schema": "auditpack/model/v1", "title": "t"}`, true},
		{`{"schema": "auditpack/model/v2", "title": "auditpack/model/v1"}`, false},
		{`{"schema": 1, "title": "auditpack/model/v1"}`, false},
		{`{"title": "t", "schema": "auditpack/model/v1"}`, true}, // full parse
		{"schema: auditpack/model/v1\ntitle: t\n", true},         // YAML
		{`{"title": "t", "schema": "auditpack/model/v1"`, false}, // full parse fails
		{`{"schema": "auditpack/model/v1", "title": }`, true},    // claimed, then refused by Decode
	} {
		if got := Detect([]byte(c.data)); got != c.want {
			t.Errorf("Detect(%s) = %v, want %v", c.data, got, c.want)
		}
	}
	_, err := Decode(nil, "m.json", []byte("{\"schema\": \"auditpack/model/v1\",\n\"title\": }"))
	if err == nil || !strings.Contains(err.Error(), "m.json:2:") {
		t.Errorf("damaged native model: %v", err)
	}
}

// TestVocabularyErrorsLocateTheValue: a classification or a capability
// parameter outside its vocabulary is refused with its line and pointer,
// every one of them, rather than silently matching no rule.
func TestVocabularyErrorsLocateTheValue(t *testing.T) {
	doc := `schema: auditpack/model/v1
title: t
data_assets:
  - {id: card, name: Card data, classifications: [pan, card]}
mitigations:
  - id: m
    title: TLS
    status: implemented
    provides:
      - {capability: encrypt-in-transit, params: {mutual_auth: "yes"}}
      - {capability: encrypt-in-transport}
`
	_, err := Decode(nil, "model.yaml", []byte(doc))
	var e *schemadoc.Error
	if !errors.As(err, &e) {
		t.Fatalf("want a located error, got %v", err)
	}
	for _, want := range []string{
		`model.yaml:4: at /data_assets/0/classifications/1: unknown classification "card"`,
		`model.yaml:10: at /mitigations/0/provides/0/params/mutual_auth: parameter "mutual_auth" of encrypt-in-transit must be a boolean, not the string "yes"`,
		`model.yaml:11: at /mitigations/0/provides/1/capability: unknown capability "encrypt-in-transport"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}
