package oscal

// Document is an OSCAL assessment-results document, reduced to the parts
// auditpack fills. Field names follow the OSCAL 1.1.3 JSON schema.
type Document struct {
	AssessmentResults AssessmentResults `json:"assessment-results"`
}

// AssessmentResults is the root object.
type AssessmentResults struct {
	UUID       string      `json:"uuid"`
	Metadata   Metadata    `json:"metadata"`
	ImportAP   ImportAP    `json:"import-ap"`
	Results    []Result    `json:"results"`
	BackMatter *BackMatter `json:"back-matter,omitempty"`
}

// Metadata describes the document.
type Metadata struct {
	Title        string `json:"title"`
	LastModified string `json:"last-modified"`
	Version      string `json:"version"`
	OSCALVersion string `json:"oscal-version"`
	Props        []Prop `json:"props,omitempty"`
	Remarks      string `json:"remarks,omitempty"`
}

// ImportAP points at the assessment plan.
type ImportAP struct {
	Href    string `json:"href"`
	Remarks string `json:"remarks,omitempty"`
}

// Prop is a name-value property.
type Prop struct {
	Name  string `json:"name"`
	NS    string `json:"ns,omitempty"`
	Value string `json:"value"`
}

// Link is a reference to a resource.
type Link struct {
	Href string `json:"href"`
	Rel  string `json:"rel,omitempty"`
}

// Result is one assessment.
type Result struct {
	UUID             string            `json:"uuid"`
	Title            string            `json:"title"`
	Description      string            `json:"description"`
	Start            string            `json:"start"`
	End              string            `json:"end,omitempty"`
	Props            []Prop            `json:"props,omitempty"`
	LocalDefinitions *LocalDefinitions `json:"local-definitions,omitempty"`
	ReviewedControls ReviewedControls  `json:"reviewed-controls"`
	Observations     []Observation     `json:"observations,omitempty"`
	Risks            []Risk            `json:"risks,omitempty"`
	Findings         []Finding         `json:"findings,omitempty"`
	Remarks          string            `json:"remarks,omitempty"`
}

// LocalDefinitions holds the model elements as components.
type LocalDefinitions struct {
	Components []Component `json:"components,omitempty"`
}

// Component is a model element.
type Component struct {
	UUID        string `json:"uuid"`
	Type        string `json:"type"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Props       []Prop `json:"props,omitempty"`
	Status      State  `json:"status"`
}

// State is a status with its state token.
type State struct {
	State string `json:"state"`
}

// ReviewedControls lists the controls assessed.
type ReviewedControls struct {
	ControlSelections []ControlSelection `json:"control-selections"`
	Remarks           string             `json:"remarks,omitempty"`
}

// ControlSelection selects controls of one framework.
type ControlSelection struct {
	Description     string          `json:"description,omitempty"`
	Props           []Prop          `json:"props,omitempty"`
	IncludeControls []SelectControl `json:"include-controls,omitempty"`
}

// SelectControl selects one control.
type SelectControl struct {
	ControlID string `json:"control-id"`
}

// Observation is one (rule, element) result.
type Observation struct {
	UUID             string     `json:"uuid"`
	Title            string     `json:"title"`
	Description      string     `json:"description"`
	Props            []Prop     `json:"props,omitempty"`
	Methods          []string   `json:"methods"`
	Subjects         []Subject  `json:"subjects,omitempty"`
	RelevantEvidence []Evidence `json:"relevant-evidence,omitempty"`
	Collected        string     `json:"collected"`
	Remarks          string     `json:"remarks,omitempty"`
}

// Subject is what an observation looked at.
type Subject struct {
	SubjectUUID string `json:"subject-uuid"`
	Type        string `json:"type"`
	Title       string `json:"title,omitempty"`
}

// Evidence is one evidence file an observation relied on.
type Evidence struct {
	Href        string `json:"href,omitempty"`
	Description string `json:"description"`
	Props       []Prop `json:"props,omitempty"`
	Links       []Link `json:"links,omitempty"`
	Remarks     string `json:"remarks,omitempty"`
}

// Risk is an open threat against an element in scope.
type Risk struct {
	UUID                string         `json:"uuid"`
	Title               string         `json:"title"`
	Description         string         `json:"description"`
	Statement           string         `json:"statement"`
	Props               []Prop         `json:"props,omitempty"`
	Status              string         `json:"status"`
	ThreatIDs           []ThreatID     `json:"threat-ids,omitempty"`
	RelatedObservations []RelatedObsrv `json:"related-observations,omitempty"`
}

// ThreatID names a threat in its system.
type ThreatID struct {
	System string `json:"system"`
	ID     string `json:"id"`
}

// RelatedObsrv points at an observation.
type RelatedObsrv struct {
	ObservationUUID string `json:"observation-uuid"`
}

// RelatedRisk points at a risk.
type RelatedRisk struct {
	RiskUUID string `json:"risk-uuid"`
}

// Finding is one control's verdict.
type Finding struct {
	UUID                string         `json:"uuid"`
	Title               string         `json:"title"`
	Description         string         `json:"description"`
	Props               []Prop         `json:"props,omitempty"`
	Target              Target         `json:"target"`
	RelatedObservations []RelatedObsrv `json:"related-observations,omitempty"`
	RelatedRisks        []RelatedRisk  `json:"related-risks,omitempty"`
}

// Target is the objective a finding judges.
type Target struct {
	Type     string       `json:"type"`
	TargetID string       `json:"target-id"`
	Props    []Prop       `json:"props,omitempty"`
	Status   TargetStatus `json:"status"`
}

// TargetStatus is satisfied or not-satisfied, with a reason.
type TargetStatus struct {
	State  string `json:"state"`
	Reason string `json:"reason,omitempty"`
}

// BackMatter holds the evidence files with their hashes.
type BackMatter struct {
	Resources []Resource `json:"resources"`
}

// Resource is one evidence file.
type Resource struct {
	UUID        string  `json:"uuid"`
	Title       string  `json:"title,omitempty"`
	Description string  `json:"description,omitempty"`
	Props       []Prop  `json:"props,omitempty"`
	RLinks      []RLink `json:"rlinks,omitempty"`
}

// RLink locates a resource, with its hashes.
type RLink struct {
	Href      string `json:"href"`
	MediaType string `json:"media-type,omitempty"`
	Hashes    []Hash `json:"hashes,omitempty"`
}

// Hash is a digest of a resource.
type Hash struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"value"`
}
