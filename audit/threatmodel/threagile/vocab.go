package threagile

import (
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

// Threagile's protocol list, split by whether the protocol encrypts the
// channel. Local protocols say nothing about a network and stay unknown.
var (
	encryptedProtocols = set("https", "wss", "ssh", "ssh-tunnel", "ftps", "sftp", "scp", "ldaps",
		"jdbc-encrypted", "odbc-encrypted", "sql-access-protocol-encrypted", "nosql-access-protocol-encrypted",
		"binary-encrypted", "text-encrypted", "smtp-encrypted", "pop3-encrypted", "imap-encrypted",
		"smb-encrypted", "iiop-encrypted", "jrmp-encrypted", "reverse-proxy-web-protocol-encrypted")
	plainProtocols = set("http", "ws", "mqtt", "jdbc", "odbc", "sql-access-protocol", "nosql-access-protocol",
		"binary", "text", "smtp", "pop3", "imap", "ftp", "ldap", "jms", "nfs", "smb", "nrpe", "xmpp",
		"iiop", "jrmp", "reverse-proxy-web-protocol")
	localProtocols = set("in-process-library-call", "inter-process-communication", "local-file-access",
		"container-spawning", "in-memory", "unknown-protocol")
)

// Threagile's encryption (at rest) and link authentication values. Only
// these are stated facts; any other spelling is not one Threagile accepts,
// and reading it as "some encryption" or "some authentication" would turn
// a typo into a favourable fact.
var (
	encryptions = set("none", "transparent", "data-with-symmetric-shared-key",
		"data-with-asymmetric-shared-key", "data-with-end-user-individual-key")
	authentications = set("none", "credentials", "session-id", "token", "client-certificate",
		"two-factor", "externalized")
)

// stated maps an enumerated value to a fact: "none" is false, any other
// value of vocab true, empty unknown. known is false for a value outside
// vocab, which also reads as unknown.
func stated(v string, vocab map[string]bool) (t model.Tri, known bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	switch {
	case v == "":
		return model.Unknown, true
	case !vocab[v]:
		return model.Unknown, false
	}
	return model.TriOf(v != "none"), true
}

func set(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, s := range items {
		m[s] = true
	}
	return m
}

// protocolEncrypted maps a link protocol to Flow.Encrypted; known reports
// whether the protocol is one Threagile defines.
func protocolEncrypted(p string) (t model.Tri, known bool) {
	p = strings.ToLower(strings.TrimSpace(p))
	switch {
	case encryptedProtocols[p]:
		return model.True, true
	case plainProtocols[p]:
		return model.False, true
	case localProtocols[p], p == "":
		return model.Unknown, true
	}
	return model.Unknown, false
}

var technologyTypes = map[string]string{
	"web-server": "web-app", "web-application": "web-app",
	"web-service-rest": "web-service", "web-service-soap": "web-service",
	"database": "database", "identity-store-database": "database",
	"file-server": "file-storage", "local-file-system": "file-storage",
	"ldap-server": "directory", "identity-store-ldap": "directory",
	"browser": "browser",
	"desktop": "client", "client-system": "client", "mobile-app": "client", "devops-client": "client",
}

// componentType normalises a Threagile technology to Component.Type.
func componentType(tech string) string {
	tech = strings.ToLower(strings.TrimSpace(tech))
	if t, ok := technologyTypes[tech]; ok {
		return t
	}
	return tech
}

var confidentialityClass = map[string]string{
	"public": "public", "internal": "internal",
	"restricted": "confidential", "confidential": "confidential", "strictly-confidential": "confidential",
}

var tagClass = map[string]string{
	"pci": "pan", "pci-dss": "pan", "cardholder": "pan", "cardholder-data": "pan", "credit-card": "pan", "pan": "pan",
	"sad": "sad",
	"pii": "pii", "gdpr": "pii", "personal-data": "pii",
	"phi": "phi", "hipaa": "phi",
	"credentials": "credentials", "secrets": "credentials", "passwords": "credentials",
	"financial": "financial",
}

var trackingStatus = map[string]string{
	"unchecked":      model.ThreatOpen,
	"in-discussion":  model.ThreatOpen,
	"in-progress":    model.ThreatInProgress,
	"mitigated":      model.ThreatMitigated,
	"accepted":       model.ThreatAccepted,
	"false-positive": model.ThreatFalsePositive,
}

var severities = map[string]string{
	"critical": "critical", "high": "high", "elevated": "high", "medium": "medium", "low": "low",
}

func severity(s string) string {
	if v, ok := severities[strings.ToLower(strings.TrimSpace(s))]; ok {
		return v
	}
	return "unknown"
}

var strideNames = map[string]string{
	"spoofing": "Spoofing", "tampering": "Tampering", "repudiation": "Repudiation",
	"information-disclosure": "Information Disclosure", "denial-of-service": "Denial of Service",
	"elevation-of-privilege": "Elevation of Privilege",
}

// mitigationStatus derives a synthesised mitigation's status from its
// threat's normalised status.
func mitigationStatus(threat string) string {
	switch threat {
	case model.ThreatMitigated:
		return model.MitigationImplemented
	case model.ThreatInProgress, model.ThreatPartial:
		return model.MitigationInProgress
	case model.ThreatAccepted:
		return model.MitigationRejected
	case model.ThreatFalsePositive, model.ThreatNotApplicable:
		return model.MitigationNotApplicable
	case model.ThreatOpen:
		return model.MitigationRecommended
	}
	return model.MitigationUnknown
}

// linkID builds Threagile's id for a communication link: the source
// asset's id, ">", and the title as a slug.
func linkID(source, title string) string {
	return source + ">" + importer.Slug(title)
}

// plainText removes HTML tags such as the <b> Threagile puts in risk titles.
func plainText(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return importer.Clean(b.String())
}
