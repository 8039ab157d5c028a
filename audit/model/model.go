package model

// Element kinds. Components have one of the first three; the others name the
// remaining element types so that rules and results can refer to any element.
const (
	KindProcess        = "process"
	KindDatastore      = "datastore"
	KindExternalEntity = "external-entity"
	KindDataflow       = "dataflow"
	KindZone           = "zone"
	KindSystem         = "system"
)

// Zone trust levels, most trusted first.
const (
	TrustTrusted     = "trusted"
	TrustSemiTrusted = "semi-trusted"
	TrustUntrusted   = "untrusted"
	TrustPublic      = "public"
)

// Model is one threat model in auditpack's common form. Every slice is kept in
// the order of the source; [New] sorts nothing and the JSON form is stable.
type Model struct {
	ID          string       `json:"id,omitempty"`
	Title       string       `json:"title"`
	Description string       `json:"description,omitempty"`
	Owner       string       `json:"owner,omitempty"`
	Source      Source       `json:"source,omitzero"`
	Zones       []Zone       `json:"zones,omitempty"`
	Components  []Component  `json:"components,omitempty"`
	Flows       []Flow       `json:"flows,omitempty"`
	DataAssets  []DataAsset  `json:"data_assets,omitempty"`
	Threats     []Threat     `json:"threats,omitempty"`
	Mitigations []Mitigation `json:"mitigations,omitempty"`
	// Warnings records what an importer could not map, with its location,
	// so that nothing is dropped silently.
	Warnings []Warning `json:"warnings,omitempty"`
}

// Source says where a model came from. The hash is of the bytes as read.
type Source struct {
	Format        string `json:"format,omitempty"`
	FormatVersion string `json:"format_version,omitempty"`
	File          string `json:"file,omitempty"`
	SHA256        string `json:"sha256,omitempty"`
}

// Zone is a trust zone. Zones nest through Parent; a zone without a trust
// level inherits its parent's.
type Zone struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Parent      string   `json:"parent,omitempty"`
	Trust       string   `json:"trust,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	Description string   `json:"description,omitempty"`
	// Ref is where the zone was read from (JSON pointer, YAML path or XPath).
	Ref string `json:"ref,omitempty"`
}

// Component is a process, data store or external entity.
type Component struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	Type        string   `json:"type,omitempty"`
	Zone        string   `json:"zone,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	Description string   `json:"description,omitempty"`
	// Stores and Processes name data assets held or handled by the component.
	Stores    []string `json:"stores,omitempty"`
	Processes []string `json:"processes,omitempty"`

	EncryptedAtRest   Tri `json:"encrypted_at_rest,omitzero"`
	StoresCredentials Tri `json:"stores_credentials,omitzero"`
	StoresLogs        Tri `json:"stores_logs,omitzero"`
	InternetFacing    Tri `json:"internet_facing,omitzero"`
	Authenticates     Tri `json:"authenticates,omitzero"`

	OutOfScope       bool   `json:"out_of_scope,omitempty"`
	OutOfScopeReason string `json:"out_of_scope_reason,omitempty"`
	// Hosts and Resources name the component outside the model: host
	// names, addresses and host:port, cloud resource ids and image names,
	// as a scan reports what it covered. The scope overlay sets them.
	Hosts     []string `json:"hosts,omitempty"`
	Resources []string `json:"resources,omitempty"`
	// Props keeps native properties an importer could not normalise.
	Props map[string]string `json:"props,omitempty"`
	Ref   string            `json:"ref,omitempty"`
}

// Flow is a data flow from Source to Target. A bidirectional flow carries
// data both ways and is treated as crossing its boundaries in both directions.
type Flow struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Source        string   `json:"source"`
	Target        string   `json:"target"`
	Bidirectional bool     `json:"bidirectional,omitempty"`
	Protocol      string   `json:"protocol,omitempty"`
	Data          []string `json:"data,omitempty"`
	Tags          []string `json:"tags,omitempty"`
	Description   string   `json:"description,omitempty"`

	Encrypted     Tri `json:"encrypted,omitzero"`
	Authenticated Tri `json:"authenticated,omitzero"`
	PublicNetwork Tri `json:"public_network,omitzero"`
	// Interactive marks human access (a person logs in over this flow);
	// Admin marks administrative access.
	Interactive Tri `json:"interactive,omitzero"`
	Admin       Tri `json:"admin,omitzero"`

	// Boundaries lists line boundaries (drawn as curves or lines rather than
	// boxes) that the flow crosses, by zone id.
	Boundaries []string `json:"boundaries,omitempty"`

	OutOfScope       bool   `json:"out_of_scope,omitempty"`
	OutOfScopeReason string `json:"out_of_scope_reason,omitempty"`
	// Hosts and Resources name the flow's endpoint outside the model, as
	// for a component; a flow without them is known by its destination's.
	Hosts     []string          `json:"hosts,omitempty"`
	Resources []string          `json:"resources,omitempty"`
	Props     map[string]string `json:"props,omitempty"`
	Ref       string            `json:"ref,omitempty"`
}

// DataAsset is a kind of data. Classifications are normalised labels such as
// pan, sad, pii, phi, credentials, confidential, internal, public.
type DataAsset struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	Classifications []string `json:"classifications,omitempty"`
	Description     string   `json:"description,omitempty"`
	Ref             string   `json:"ref,omitempty"`
}

// Threat statuses after normalisation.
const (
	ThreatOpen          = "open"
	ThreatInProgress    = "in-progress"
	ThreatMitigated     = "mitigated"
	ThreatPartial       = "partially-mitigated"
	ThreatAccepted      = "accepted"
	ThreatTransferred   = "transferred"
	ThreatNotApplicable = "not-applicable"
	ThreatFalsePositive = "false-positive"
)

// Threat is an identified threat against one or more elements.
type Threat struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Category    string `json:"category,omitempty"`
	Severity    string `json:"severity,omitempty"`
	Status      string `json:"status"`
	// Owner is who answers for the threat's treatment, when the export
	// says.
	Owner       string   `json:"owner,omitempty"`
	Targets     []string `json:"targets,omitempty"`
	Mitigations []string `json:"mitigations,omitempty"`
	RawStatus   string   `json:"raw_status,omitempty"`
	Ref         string   `json:"ref,omitempty"`
}

// Mitigation statuses after normalisation. Only implemented and inherited
// mitigations can satisfy a rule.
const (
	MitigationImplemented   = "implemented"
	MitigationInherited     = "inherited"
	MitigationInProgress    = "in-progress"
	MitigationPlanned       = "planned"
	MitigationRecommended   = "recommended"
	MitigationRejected      = "rejected"
	MitigationNotApplicable = "not-applicable"
	MitigationUnknown       = "unknown"
)

// Mitigation is a control recorded in the model. Provides says which
// capabilities it delivers (from the export, or added by the scope overlay);
// Targets are the element ids it sits on (components, flows or zones).
type Mitigation struct {
	ID          string      `json:"id"`
	Title       string      `json:"title"`
	Description string      `json:"description,omitempty"`
	Status      string      `json:"status"`
	Provides    []Provision `json:"provides,omitempty"`
	Targets     []string    `json:"targets,omitempty"`
	Threats     []string    `json:"threats,omitempty"`
	Evidence    []string    `json:"evidence,omitempty"`
	RawStatus   string      `json:"raw_status,omitempty"`
	Ref         string      `json:"ref,omitempty"`
}

// Provision is one capability a mitigation provides, with its parameters
// (for example min_tls_version "1.2" for encrypt-in-transit).
type Provision struct {
	Capability string         `json:"capability"`
	Params     map[string]any `json:"params,omitempty"`
}

// Warning is something an importer or the overlay could not map.
type Warning struct {
	Ref     string `json:"ref,omitempty"`
	Message string `json:"message"`
}

// Implemented reports whether the mitigation's status lets it satisfy a rule.
func (m Mitigation) Implemented() bool {
	return m.Status == MitigationImplemented || m.Status == MitigationInherited
}
