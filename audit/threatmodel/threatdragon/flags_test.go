package threatdragon

import (
	"fmt"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

// Threat Dragon writes false for every checkbox nobody ticked, so false
// must read as unknown and only true as a stated fact.
func TestCheckboxesDefaultToUnknown(t *testing.T) {
	tests := []struct {
		name  string
		shape string // the cell under test, with %s for its data flags
		flags string
		field func(m *model.Model) model.Tri
		want  model.Tri
	}{
		{"flow isEncrypted false", "flow", `"isEncrypted":false`, flowField(func(f model.Flow) model.Tri { return f.Encrypted }), model.Unknown},
		{"flow isEncrypted true", "flow", `"isEncrypted":true`, flowField(func(f model.Flow) model.Tri { return f.Encrypted }), model.True},
		{"flow isEncrypted absent", "flow", `"name":"x"`, flowField(func(f model.Flow) model.Tri { return f.Encrypted }), model.Unknown},
		{"flow isPublicNetwork false", "flow", `"isPublicNetwork":false`, flowField(func(f model.Flow) model.Tri { return f.PublicNetwork }), model.Unknown},
		{"flow isPublicNetwork true", "flow", `"isPublicNetwork":true`, flowField(func(f model.Flow) model.Tri { return f.PublicNetwork }), model.True},
		{"store isEncrypted false", "store", `"isEncrypted":false`, storeField(func(c model.Component) model.Tri { return c.EncryptedAtRest }), model.Unknown},
		{"store isEncrypted true", "store", `"isEncrypted":true`, storeField(func(c model.Component) model.Tri { return c.EncryptedAtRest }), model.True},
		{"store storesCredentials false", "store", `"storesCredentials":false`, storeField(func(c model.Component) model.Tri { return c.StoresCredentials }), model.Unknown},
		{"store storesCredentials true", "store", `"storesCredentials":true`, storeField(func(c model.Component) model.Tri { return c.StoresCredentials }), model.True},
		{"store isALog false", "store", `"isALog":false`, storeField(func(c model.Component) model.Tri { return c.StoresLogs }), model.Unknown},
		{"store isALog true", "store", `"isALog":true`, storeField(func(c model.Component) model.Tri { return c.StoresLogs }), model.True},
		{"actor providesAuthentication false", "actor", `"providesAuthentication":false`, actorField(func(c model.Component) model.Tri { return c.Authenticates }), model.Unknown},
		{"actor providesAuthentication true", "actor", `"providesAuthentication":true`, actorField(func(c model.Component) model.Tri { return c.Authenticates }), model.True},
		// v1 keeps flags on the cell itself.
		{"v1 flow isEncrypted false", "v1", `"isEncrypted":false`, flowField(func(f model.Flow) model.Tri { return f.Encrypted }), model.Unknown},
		{"v1 flow isEncrypted true", "v1", `"isEncrypted":true`, flowField(func(f model.Flow) model.Tri { return f.Encrypted }), model.True},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := decodeString(t, flagModel(tt.shape, tt.flags))
			if got := tt.field(m); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// flagModel builds a model with an actor, a store and a flow between them;
// flags go on the cell named by shape.
func flagModel(shape, flags string) string {
	on := func(s string) string {
		if s == shape {
			return "," + flags
		}
		return ""
	}
	if shape == "v1" {
		return fmt.Sprintf(`{"summary":{"title":"v1"},"detail":{"diagrams":[{"diagramJson":{"cells":[
 {"type":"tm.Actor","id":"a","position":{"x":0,"y":0},"size":{"width":10,"height":10}},
 {"type":"tm.Store","id":"s","position":{"x":100,"y":0},"size":{"width":10,"height":10}},
 {"type":"tm.Flow","id":"f","source":{"id":"a"},"target":{"id":"s"},"protocol":"HTTP"%s}]}}]}}`, ","+flags)
	}
	return fmt.Sprintf(`{"version":"2.3.0","summary":{"title":"v2"},"detail":{"diagrams":[{"cells":[
 {"shape":"actor","id":"a","position":{"x":0,"y":0},"size":{"width":10,"height":10},"data":{"type":"tm.Actor","name":"A"%s}},
 {"shape":"store","id":"s","position":{"x":100,"y":0},"size":{"width":10,"height":10},"data":{"type":"tm.Store","name":"S"%s}},
 {"shape":"flow","id":"f","source":{"cell":"a"},"target":{"cell":"s"},"data":{"type":"tm.Flow","protocol":"HTTP"%s}}]}]}}`,
		on("actor"), on("store"), on("flow"))
}

func flowField(get func(model.Flow) model.Tri) func(*model.Model) model.Tri {
	return func(m *model.Model) model.Tri { return get(m.Flows[0]) }
}

func storeField(get func(model.Component) model.Tri) func(*model.Model) model.Tri {
	return func(m *model.Model) model.Tri { return get(m.Components[1]) }
}

func actorField(get func(model.Component) model.Tri) func(*model.Model) model.Tri {
	return func(m *model.Model) model.Tri { return get(m.Components[0]) }
}

// The real demo model generic-cms.json draws an HTTPS flow whose isEncrypted
// box was left unticked: encryption stays unknown, with a warning at the
// flag that names the flow, rather than false (or true from the label).
func TestHTTPSFlowWithUntickedBoxIsUnknown(t *testing.T) {
	m := load(t, "generic-cms.json")
	f := importer.TestFind(t, m.Flows, flowID, "52ba5641-5a40-48c6-a92a-7b6973b9ea33")
	if f.Protocol != "HTTPS" || f.Encrypted != model.Unknown || f.PublicNetwork != model.Unknown {
		t.Errorf("HTTPS flow = %+v", f)
	}
	w := importer.TestFind(t, m.Warnings, func(w model.Warning) string { return w.Ref }, "/detail/diagrams/0/cells/7/data/isEncrypted")
	if !strings.Contains(w.Message, "isEncrypted false is the editor's default; recorded as unknown") || !strings.Contains(w.Message, f.ID) {
		t.Errorf("warning = %+v", w)
	}
	// The unencrypted-looking HTTP flow next to it is unknown too, and
	// without a warning: its label suggests nothing.
	http := importer.TestFind(t, m.Flows, flowID, m.Flows[1].ID)
	if http.Protocol != "HTTP" || http.Encrypted != model.Unknown {
		t.Errorf("HTTP flow = %+v", http)
	}
	for _, w := range m.Warnings {
		if strings.Contains(w.Message, http.ID) {
			t.Errorf("unexpected warning for the HTTP flow: %+v", w)
		}
	}
	// A ticked box on an HTTP/S flow is a stated fact and is not warned about.
	demo := load(t, "demo-threat-model.v2.0.json")
	web := importer.TestFind(t, demo.Flows, func(f model.Flow) string { return f.Name }, "Web Request")
	if web.Encrypted != model.True || len(demo.Warnings) != 0 {
		t.Errorf("web request = %+v, warnings %+v", web, demo.Warnings)
	}
}

func TestAbsentBoxOnTLSFlowIsWarned(t *testing.T) {
	in := strings.Replace(flagModel("flow", `"name":"x"`), `"protocol":"HTTP"`, `"protocol":"SFTP"`, 1)
	m := decodeString(t, in)
	if m.Flows[0].Encrypted != model.Unknown || len(m.Warnings) != 1 ||
		m.Warnings[0].Ref != "/detail/diagrams/0/cells/2/isEncrypted" || !strings.Contains(m.Warnings[0].Message, "is not ticked") {
		t.Errorf("flow %+v, warnings %+v", m.Flows[0], m.Warnings)
	}
}
