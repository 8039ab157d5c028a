// Package threagile imports Threagile model-as-code YAML into auditpack's
// common model ([model.Model]).
//
// Threagile computes its risks at run time; the model file only holds the
// architecture, the manually identified risks and the tracking status of
// computed risks. This package maps what the file states and never runs
// Threagile's rules. It opens files only through the [fs.FS] it is given,
// never reads the clock and never reaches the network.
//
// # Includes
//
// `includes:` entries are resolved relative to the including file, read
// through the fs.FS, and must stay inside the directory of the root model.
// Includes may nest; a file included a second time is read once; a file that
// includes itself (directly or through others) is an error. Sections keyed by
// title (data_assets, technical_assets, …) are merged; the same title defined
// twice with different content is an error. Anchors, aliases and `<<:` merge
// keys are resolved by the YAML decoder (YAML 1.2 semantics).
//
// # Identifiers
//
// Component ids are Threagile's technical asset ids. Flow ids are Threagile's
// own link ids, "<source-asset-id>>" followed by the link title lower-cased
// with every run of characters other than a–z and 0–9 replaced by "-" and
// leading/trailing "-" removed (e.g. "customer-client>customer-traffic"), so
// risk_tracking entries and users can refer to them. Zones, data assets and
// threats keep their Threagile ids unless an earlier element already took the
// id; then they get the prefix "zone:", "data:" or "risk:" (elements are
// registered in the order components, flows, zones, data assets, threats).
// Synthesised mitigations use "<threat-id>-mitigation".
//
// # Mapping tables
//
// Technical asset type gives Component.Kind (external-entity, process,
// datastore). technology (or the first of technologies) gives Component.Type:
// web-server and web-application → web-app; web-service-rest and
// web-service-soap → web-service; database and identity-store-database →
// database; file-server and local-file-system → file-storage; ldap-server and
// identity-store-ldap → directory; browser → browser; desktop, client-system,
// mobile-app and devops-client → client; any other technology is kept as is.
// Shared runtimes become the component tag "shared-runtime:<id>".
//
// # Stated facts
//
// A Threagile model is written by its author, key by key, and Threagile
// itself fills nothing in that the file would show, so every value present
// in the YAML is a stated fact, including "none" and false (the stub
// model's values too: whoever kept them kept them). An absent key states
// nothing and leaves the fact unknown; the importer never substitutes
// Threagile's run-time default for it. A value Threagile does not define
// is not a statement either: it is left unknown with a warning rather than
// read as "some encryption".
//
// The ratings are stricter: a confidentiality, integrity, availability,
// usage or quantity outside Threagile's values, or a title, version,
// author name or overview that is a list or a mapping, refuses the model,
// naming the file and line but not the value, since the confidentiality
// becomes a data classification and the others are shown to the auditor.
//
//	YAML key and value                     model field             if absent
//	encryption: none                       EncryptedAtRest false   unknown
//	encryption: transparent, data-with-…   EncryptedAtRest true    unknown
//	internet: true or false                InternetFacing          unknown
//	authentication: none                   Authenticated false     unknown
//	authentication: credentials, session-id, token, client-certificate, two-factor,
//	                externalized           Authenticated true      unknown
//	used_as_client_by_human: true/false    Interactive (its links) unknown
//	out_of_scope: true                     OutOfScope              in scope
//	protocol                               Encrypted (below)       unknown
//
// Link protocol gives Flow.Encrypted: true for https, wss, ssh, ssh-tunnel,
// ftps, sftp, scp, ldaps and the "*-encrypted" protocols Threagile defines
// (jdbc-encrypted, binary-encrypted, …); false for http, ws,
// mqtt, jdbc, odbc, sql-access-protocol, nosql-access-protocol, binary, text,
// smtp, pop3, imap, ftp, ldap, jms, nfs, smb, nrpe, xmpp, iiop, jrmp and
// reverse-proxy-web-protocol; unknown for local protocols (in-process calls,
// inter-process communication, local file access, container spawning) and
// unknown-protocol; a protocol Threagile does not define stays unknown with
// a warning. PublicNetwork is true when either end has internet: true,
// otherwise unknown (internet: false on both ends does not prove a private
// network). Interactive follows used_as_client_by_human of the source
// asset. A link with data_assets_received is Bidirectional (data also
// flows from target to source). usage devops, vpn, ip_filtered and readonly
// become the flow tags "devops", "vpn", "ip-filtered" and "readonly".
//
// Data asset confidentiality gives a classification: public → public,
// internal → internal, restricted, confidential and strictly-confidential →
// confidential. Tags add: pci, pci-dss, cardholder, cardholder-data,
// credit-card, pan → pan; sad → sad; pii, gdpr, personal-data → pii; phi,
// hipaa → phi; credentials, secrets, passwords → credentials; financial →
// financial. The raw CIA ratings, usage and quantity are kept in the
// description.
//
// Trust boundaries become zones (trust_boundaries_nested gives Parent; a
// component's zone is the innermost boundary listing it). network-* boundaries
// are trusted, or semi-trusted when an asset directly inside has
// internet: true; execution-environment boundaries state no trust and inherit
// their parent's. Internet-facing assets outside every boundary are put in a
// synthesised zone "internet" with trust public.
//
// Risk statuses: unchecked and in-discussion → open, in-progress →
// in-progress, mitigated → mitigated, accepted → accepted, false-positive →
// false-positive. A risk without a tracking entry is open (raw "unchecked").
// Severities: critical → critical, high and elevated → high, medium → medium,
// low → low. Synthesised mitigation statuses follow their threat: open →
// recommended, in-progress → in-progress, mitigated → implemented, accepted →
// rejected, false-positive → not-applicable.
//
// Risk categories are read from individual_risk_categories (keyed by title)
// and from the newer custom_risk_categories (a list whose items carry their
// title). Each identified risk (<category>.risks_identified) is a
// threat whose id is Threagile's synthetic risk id
// (category@asset@link@boundary@runtime@data, empty parts left out); its
// status comes from the exact risk_tracking entry, else from the first
// wildcard entry that matches it segment by segment. Its category's mitigation
// text becomes a mitigation. Every risk_tracking entry not used as an exact
// match is a threat of its own (a status record for a computed risk); its
// targets are resolved from the id segments that name an asset, link or
// boundary, with a warning when none does. A tracking entry with status
// mitigated or in-progress also gets a mitigation carrying its justification,
// ticket, date and checker.
//
// Ref values read "<file>:<line>:<yaml path>", for example
// "main.yaml:274:technical_assets.Customer Web Client".
package threagile
