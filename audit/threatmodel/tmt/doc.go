// Package tmt imports Microsoft Threat Modeling Tool .tm7 files into
// auditpack's common model ([model.Model]).
//
// A .tm7 file is a WCF DataContract XML dump: one or more diagrams (drawing
// surfaces) with shapes and lines, the generated threat instances, and the
// whole template (knowledge base) the model was drawn with. The package
// reads only the bytes it is given: it opens no file, reads no clock and
// never reaches the network.
//
// # Safety
//
// A document with a DOCTYPE, ENTITY, ELEMENT or ATTLIST declaration is
// refused before parsing, so entity bombs never expand; the parser also
// refuses any directive it meets. Input is bounded by [MaxFileSize],
// [MaxDepth] and [MaxElements]. A ZIP archive renamed .tm7 is refused with
// "is a ZIP archive, not a .tm7 XML file".
//
// # Elements
//
// Each element's kind comes from its generic type id: GE.P → process,
// GE.EI → external-entity, GE.DS → datastore, GE.TB.B → box boundary (a
// zone), GE.DF → data flow, GE.TB.L → line boundary (a zone without
// members that flows cross), GE.A annotations are skipped. Custom templates
// use GUIDs as generic ids; their shape is read from the template's generic
// element Representation, and failing that from the stencil class
// (StencilEllipse, StencilRectangle, StencilParallelLines, BorderBoundary,
// Connector, LineBoundary). Ids are the element GUIDs; the name is the
// "Name" property. Component.Type normalises the template's type name
// (browser, web-app, web-service, database, cache, vault, file-storage,
// otherwise the name as a slug; generic stencils give none), and every
// unmapped property is kept in Props by display name with type_id,
// type_name and diagram.
//
// # Stated facts and template defaults
//
// Properties are tri-state, and a property is a stated fact only when the
// user chose its value. The template (the knowledge base embedded in every
// file) lists each configurable list attribute's options with its default
// first, and the tool selects that first option on every new element; a
// boolean attribute starts unticked. Such a value cannot be told apart
// from "never changed", so it reads as unknown whichever way it points:
//
//	property kind                        value                       reads as
//	ListDisplayAttribute                 SelectedIndex 0 (default)   unknown
//	ListDisplayAttribute                 any other option            stated (below)
//	BooleanDisplayAttribute              false (unticked default)    unknown
//	BooleanDisplayAttribute              true                        true
//	StaticListDisplayAttribute           the stencil's fixed value   stated (below)
//	StringDisplayAttribute               the text the user typed     stated (below)
//	absent                                                           unknown
//
// So the SDL template's Encrypted, Stores Credentials, Stores Log Data,
// Provides Confidentiality and Implements or Uses an Authentication
// Mechanism, whose lists start with "No", are unknown until the user picks
// "Yes" (true); Source Authenticated and Authenticates Itself start with
// "Not Selected" or "Not Applicable", so a "No" picked there is a stated
// false. Static attributes ("Predefined Static Attributes") belong to the
// stencil the user chose and cannot be edited, so they are stated: an HTTPS
// flow provides confidentiality, an HTTP flow does not. Stated values map
// "Yes", "True" and "multiple" → true, "No", "False" and "none" → false,
// anything else ("Not Selected", "Select", "Not Applicable") → unknown.
// The raw value of every property, default or not, stays in Props.
//
// Data stores: Encrypted → EncryptedAtRest, Stores Credentials (or Cached
// Credentials) → StoresCredentials, Stores Log Data → StoresLogs.
// Authenticates Itself (interactors) and Implements or Uses an
// Authentication Mechanism (processes) → Authenticates. Flows: Provides
// Confidentiality → Encrypted, Source Authenticated (or a custom "has
// authentication") → Authenticated; the protocol comes from the flow
// stencil (HTTPS, HTTP, IPsec, SMB, …) and is never read as encryption by
// itself. An interactor of Type Human is tagged "human" and its outgoing
// flows are Interactive. "Out Of Scope" and its reason map to OutOfScope
// and OutOfScopeReason.
//
// # Geometry
//
// Zones are derived from the drawing. A component belongs to the smallest
// box boundary of its diagram that contains its centre; a box's parent is
// the smallest other box that wholly contains it (equal rectangles nest in
// document order). A flow crosses a line boundary when their polylines
// intersect; both are curves in the tool, approximated here by the two
// segments source → handle → target. A flow crossing a line boundary whose
// name or type mentions "Internet" has PublicNetwork true. The tool states
// no trust levels, so zones have none.
//
// # Threats
//
// Each threat instance becomes a threat with id "threat-<Id>" (the number
// the tool shows). Title, category, description and justification
// (StateInformation) are read from the instance's properties, whose GUID
// keys are resolved to labels through the template; unmapped properties are
// listed in the description by label. Targets are the interaction's flow,
// source and target. States: AutoGenerated, NotStarted and
// NeedsInvestigation → open, Mitigated → mitigated, NotApplicable →
// not-applicable. Priority (or a custom "Severity" field) gives the
// severity: Critical/Highest → critical, High → high, Medium → medium,
// Low/Lowest → low.
//
// A threat with mitigation text (PossibleMitigations, or a template field
// labelled with "mitigation", e.g. "Mitigation(s)") gets one synthesised
// mitigation "<threat-id>-mitigation" whose title and description are the
// text and whose status follows the threat: open → recommended, mitigated →
// implemented, not-applicable → not-applicable.
//
// Refs are XPath-like, e.g.
// /ThreatModel/DrawingSurfaceList/DrawingSurfaceModel[1]/Borders/KeyValueOfguidanyType[3].
package tmt
