package tmt

import (
	"fmt"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

// list writes a ListDisplayAttribute (or, with static, a
// StaticListDisplayAttribute) with the given options and selection.
func list(static bool, name string, selected int, opts ...string) string {
	typ := "ListDisplayAttribute"
	if static {
		typ = "StaticListDisplayAttribute"
	}
	var b strings.Builder
	for _, o := range opts {
		fmt.Fprintf(&b, "<a:string>%s</a:string>", o)
	}
	return fmt.Sprintf(`<a:anyType i:type="b:%s"><b:DisplayName>%s</b:DisplayName><b:Name>%s</b:Name>`+
		`<b:Value i:type="a:ArrayOfstring">%s</b:Value><b:SelectedIndex>%d</b:SelectedIndex></a:anyType>`,
		typ, name, name, b.String(), selected)
}

func boolean(name, value string) string {
	return fmt.Sprintf(`<a:anyType i:type="b:BooleanDisplayAttribute"><b:DisplayName>%s</b:DisplayName>`+
		`<b:Name>%s</b:Name><b:Value i:type="c:boolean">%s</b:Value></a:anyType>`, name, name, value)
}

// tm7 is a one-diagram model: process p1 → store s1 over flow f1, with the
// given properties on the store and the flow.
func tm7(store, flow string) []byte {
	entry := func(stencil, generic, guid, props, extra string) string {
		return fmt.Sprintf(`<a:KeyValueOfguidanyType><a:Key>%s</a:Key><a:Value i:type="%s">`+
			`<GenericTypeId>%s</GenericTypeId><Guid>%s</Guid><Properties>%s</Properties>%s<TypeId>%s</TypeId>`+
			`</a:Value></a:KeyValueOfguidanyType>`, guid, stencil, generic, guid, props, extra, generic)
	}
	return []byte(`<ThreatModel xmlns="http://schemas.datacontract.org/2004/07/ThreatModeling.Model"` +
		` xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays"` +
		` xmlns:b="http://schemas.datacontract.org/2004/07/ThreatModeling.KnowledgeBase">` +
		`<DrawingSurfaceList><DrawingSurfaceModel><Header>D</Header><Borders>` +
		entry("StencilEllipse", "GE.P", "p1", "", "") +
		entry("StencilParallelLines", "GE.DS", "s1", store, "") +
		`</Borders><Lines>` +
		entry("Connector", "GE.DF", "f1", flow, "<SourceGuid>p1</SourceGuid><TargetGuid>s1</TargetGuid>") +
		`</Lines></DrawingSurfaceModel></DrawingSurfaceList><Version>4.3</Version></ThreatModel>`)
}

// A value the template filled in for a new element (the first option of a
// list, an unticked boolean) is not a stated fact and reads as unknown;
// any other selection, and a stencil's static attribute, is stated.
func TestTemplateDefaultsAreUnknown(t *testing.T) {
	noYes := []string{"No", "Yes"}
	tests := []struct {
		name        string
		store, flow string
		enc, conf   model.Tri // EncryptedAtRest of s1, Encrypted of f1
		creds, auth model.Tri // StoresCredentials of s1, Authenticated of f1
	}{
		{"first option No is the default", list(false, "Encrypted", 0, noYes...), list(false, "providesConfidentiality", 0, noYes...),
			model.Unknown, model.Unknown, model.Unknown, model.Unknown},
		{"Yes chosen is stated", list(false, "Encrypted", 1, noYes...), list(false, "providesConfidentiality", 1, noYes...),
			model.True, model.True, model.Unknown, model.Unknown},
		{"No chosen after Not Selected is stated", list(false, "storesCredentials", 1, "Not Selected", "No", "Yes"),
			list(false, "authenticatesSource", 1, "Not Selected", "No", "Yes"),
			model.Unknown, model.Unknown, model.False, model.False},
		{"a default Yes is not stated either", list(false, "Encrypted", 0, "Yes", "No"), list(false, "authenticatesSource", 0, "Yes", "No"),
			model.Unknown, model.Unknown, model.Unknown, model.Unknown},
		{"static stencil attribute is stated", "", list(true, "providesConfidentiality", 0, "Yes"),
			model.Unknown, model.True, model.Unknown, model.Unknown},
		{"static No is stated", "", list(true, "providesConfidentiality", 0, "No"),
			model.Unknown, model.False, model.Unknown, model.Unknown},
		{"unticked boolean is the default", boolean("Encrypted", "false"), boolean("providesConfidentiality", "false"),
			model.Unknown, model.Unknown, model.Unknown, model.Unknown},
		{"ticked boolean is stated", boolean("Encrypted", "true"), boolean("providesConfidentiality", "true"),
			model.True, model.True, model.Unknown, model.Unknown},
		{"no selection at all", strings.Replace(list(false, "Encrypted", 1, noYes...), "<b:SelectedIndex>1</b:SelectedIndex>", "", 1), "",
			model.Unknown, model.Unknown, model.Unknown, model.Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Decode(nil, "x.tm7", tm7(tt.store, tt.flow))
			if err != nil {
				t.Fatal(err)
			}
			s := importer.TestFind(t, m.Components, func(c model.Component) string { return c.ID }, "s1")
			if len(m.Flows) != 1 {
				t.Fatalf("flows = %+v", m.Flows)
			}
			f := m.Flows[0]
			if s.EncryptedAtRest != tt.enc || f.Encrypted != tt.conf || s.StoresCredentials != tt.creds || f.Authenticated != tt.auth {
				t.Errorf("store encrypted %v credentials %v, flow encrypted %v authenticated %v; want %v %v %v %v",
					s.EncryptedAtRest, s.StoresCredentials, f.Encrypted, f.Authenticated, tt.enc, tt.creds, tt.conf, tt.auth)
			}
		})
	}
}

// In the tool's own sample, the generic flows still show the template's
// "Provides Confidentiality: No" and the store its "Encrypted: No": both
// are unknown now, while "Source Authenticated: No", which the author chose
// over the default "Not Selected", stays false, and the HTTPS stencil's
// static "Provides Confidentiality: Yes" stays true. The raw value is kept
// in Props, so nothing is lost.
func TestSampleDefaults(t *testing.T) {
	m := decodeSample(t, "threat-dragon/Sample_Threat_Model.tm7")
	var generic, https int
	for _, f := range m.Flows {
		switch f.Props["type_id"] {
		case "GE.DF":
			generic++
			if f.Encrypted != model.Unknown || f.Authenticated != model.False || f.Props["Provides Confidentiality"] != "No" {
				t.Errorf("generic flow %q: encrypted %v authenticated %v props %v", f.Name, f.Encrypted, f.Authenticated, f.Props)
			}
		case "SE.DF.TMCore.HTTPS":
			https++
			if f.Encrypted != model.True || f.Protocol != "https" {
				t.Errorf("HTTPS flow %q: encrypted %v protocol %q", f.Name, f.Encrypted, f.Protocol)
			}
		}
	}
	if generic != 4 || https != 2 {
		t.Errorf("%d generic and %d HTTPS flows, want 4 and 2", generic, https)
	}
	for _, c := range m.Components {
		if c.Kind == model.KindDatastore && (c.EncryptedAtRest != model.Unknown || c.StoresCredentials != model.Unknown || c.Props["Encrypted"] != "No") {
			t.Errorf("store %q: encrypted %v credentials %v props %v", c.Name, c.EncryptedAtRest, c.StoresCredentials, c.Props)
		}
		if c.Kind == model.KindExternalEntity && c.Authenticates != model.False {
			t.Errorf("interactor %q: authenticates %v, want false (No chosen over Not Applicable)", c.Name, c.Authenticates)
		}
	}
}
