package resultsfile

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
)

// The statement of applicability, the test procedures and the sign-off
// are written and read back as they were; results written before they
// existed still read, without them.
func TestApplicabilityRoundTrip(t *testing.T) {
	_, res := demo(t, "demo.json")
	res.Project.PreparedBy = &audit.SignOff{Name: "A. Mensah, compliance lead", Date: "2026-11-14"}
	res.Project.ReviewedBy = &audit.SignOff{Name: "R. Iyer, CISO", Date: "2026-11-15"}
	c := &res.Controls[0]
	if c.Applicability == nil || len(res.Rules[0].Procedure) == 0 || len(res.Rules[0].AuditorSteps) == 0 {
		t.Fatalf("the demo results lack applicability or procedures: %+v %+v", c.Applicability, res.Rules[0])
	}
	c.Applicability.Status = audit.ApplicableNo
	c.Applicability.Declared = &audit.Declaration{Justification: "not a service provider", Approver: "CISO", Source: "auditpack.yaml: at /overlay/applicability/0"}
	data, err := Encode(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"prepared_by":{"name":"A. Mensah, compliance lead","date":"2026-11-14"}`, `"declared":{"justification":"not a service provider"`, `"procedure":["`} {
		if !bytes.Contains(data, []byte(w)) {
			t.Errorf("results.json lacks %s", w)
		}
	}
	rd, err := Decode("results.json", bytes.NewReader(data), MaxSize, true)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rd.Results.Project, res.Project) || !reflect.DeepEqual(rd.Results.Controls[0].Applicability, c.Applicability) ||
		!reflect.DeepEqual(rd.Results.Rules, res.Rules) {
		t.Errorf("read back differs:\n%+v\n%+v", rd.Results.Controls[0].Applicability, c.Applicability)
	}

	withoutLaterFields(res)
	old, err := Encode(res)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(old), `"applicability"`) || strings.Contains(string(old), `"procedure"`) {
		t.Fatal("results without the fields still write them")
	}
	rd, err = Decode("results.json", bytes.NewReader(old), MaxSize, true)
	if err != nil {
		t.Fatalf("results written before applicability existed: %v", err)
	}
	if rd.Results.Controls[0].Applicability != nil || rd.Results.Project.PreparedBy != nil || rd.Results.Rules[0].Procedure != nil {
		t.Error("fields absent from the file read back as present")
	}
}

// A statement of applicability the schema does not allow is refused.
func TestApplicabilityIsChecked(t *testing.T) {
	_, res := demo(t, "demo.json")
	res.Controls[0].Applicability.Status = "maybe"
	data, err := Encode(res)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Decode("results.json", bytes.NewReader(data), MaxSize, true)
	if err == nil || !strings.Contains(err.Error(), "/controls/0/applicability/status") {
		t.Errorf("an unknown applicability status: %v", err)
	}
}
