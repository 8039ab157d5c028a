// Package threatdragon imports OWASP Threat Dragon models (v1 JSON, with
// JointJS cells, and v2 JSON, with AntV X6 cells) into auditpack's common
// [model.Model]. It reads bytes handed to it and never opens files.
//
// # Elements
//
// Actors become external entities, processes processes, stores data stores
// and flows data flows. Text blocks are canvas notes and are skipped. An edge
// with a free end, or an end attached to something other than an actor,
// process or store, cannot be a flow: it is reported as a warning and its
// threats are imported without a target. Names are read from data.name (v2),
// attrs.text.text or attrs.label.text (nodes) and labels[0] (v1 flows), with
// line breaks collapsed to spaces.
//
// # Zones
//
// Every trust-boundary-box becomes a zone. A box's containedElements list
// (Threat Dragon 2.6+) says what it contains; a box without one contains the
// nodes whose centre lies inside its rectangle and the boxes that lie wholly
// inside it. Boxes nest; a component's zone is the smallest box holding it.
// Every trust-boundary-curve (also spelt trust-broundary-curve in real files)
// and v1 tm.Boundary becomes a zone tagged "line-boundary" with no members:
// a flow lists it in Flow.Boundaries when its trustBoundaryIds name it, or,
// without trustBoundaryIds, when the flow's polyline (source centre, vertices,
// target centre) intersects the curve's polyline (source, vertices, target).
// Boxes carry no trust level; the scope overlay assigns them.
//
// # Flags
//
// Threat Dragon's checkboxes cannot say "no": the editor writes false for
// every box nobody ticked (v2 on every element, v1 once a box has been
// toggled), so false means "unticked", which is also what a box nobody
// thought about looks like. A flag is therefore a stated fact only when it
// is true; false and absent both read as unknown, and the scope overlay
// can state the fact where the model does not.
//
//	cell     flag                    true                                   false or absent
//	flow     isEncrypted             Encrypted true                         unknown
//	flow     isPublicNetwork         PublicNetwork true                     unknown
//	store    isEncrypted             EncryptedAtRest true                   unknown
//	store    storesCredentials       StoresCredentials true                 unknown
//	store    isALog                  StoresLogs true                        unknown
//	actor    providesAuthentication  Authenticates true                     unknown
//	process  handlesCardPayment      tag "handles-card-payment"             no tag
//	process  isWebApplication        tag "web-application", Type "web-app"  no tag
//	any      outOfScope              OutOfScope                             in scope
//	flow     isBidirectional         Bidirectional                          one way, as drawn
//
// isBidirectional stays a plain boolean: an edge is drawn with a direction,
// so an unticked box leaves the drawn direction, which is what the diagram
// shows. isSigned and storesInventory have no model field and are kept in
// Props only when ticked.
//
// A flow's protocol is free text and is never read as encryption. When the
// protocol names an encrypted protocol (HTTPS, TLS, mTLS, SSH, SFTP, FTPS,
// HTTP/S, …) but isEncrypted is not ticked, Encrypted stays unknown and a
// warning at the flag's JSON pointer names the flow, for example
// "isEncrypted false is the editor's default; recorded as unknown although
// protocol "HTTPS" suggests encryption".
//
// Threat Dragon has no data assets. So that classification rules can see
// the two flags that imply sensitive data, the importer adds a data asset
// "td-stored-credentials" (classification credentials) stored by every store
// with storesCredentials, and "td-card-payment-data" (classification pan)
// processed by every process with handlesCardPayment. Flows get no data: the
// file does not say which flows carry it.
//
// # Threats and mitigations
//
// Threats are read from cell.data.threats (v2) or cell.threats (v1). Status,
// compared case-insensitively without spaces:
//
//	Open → open; Mitigated, Avoided, Eliminated → mitigated; Accepted → accepted;
//	Transferred → transferred; NotApplicable, Not Applicable, NA, N/A → not-applicable;
//	missing → open; anything else → open with a warning.
//
// Severity Critical, High, Medium, Low map to their lower-case names; TBA
// and a missing severity to unknown. Threat Dragon keeps only mitigation
// text on the threat, so each threat with text gets one synthesised
// mitigation "<threat id>-mitigation" on the same targets, titled with the
// first line of the text, whose status follows the threat's:
//
//	mitigated → implemented; open → recommended; accepted, transferred → unknown;
//	not-applicable → not-applicable.
//
// # Identifiers
//
// Cells keep their native ids. Diagrams have separate id spaces, so an id
// found in more than one diagram is prefixed "d<diagram position>:" in every
// diagram; a cell without an id is named "d<diagram position>:cell-<index>".
// Threats keep their id (v2 id or v1 threatId) when it is unique; otherwise,
// and in v1 files without ids, they are named "<element id>/threat-<n>".
// Any id still taken gets a "-2", "-3"… suffix. Every element's Ref is the
// JSON pointer of its cell or threat. Source.FormatVersion is the file's
// "version" (2.x), or "1" for v1 files, which state none; other versions
// are refused.
package threatdragon
