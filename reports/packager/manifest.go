package packager

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// SchemaVersion is the value of manifest.json's schema_version. A verifier
// refuses any other, since it cannot know what a newer manifest promises.
const SchemaVersion = "auditpack/package/v1"

//go:embed manifest.schema.json
var schemaJSON []byte

// Schema returns the published JSON Schema of manifest.json.
func Schema() []byte { return slices.Clone(schemaJSON) }

// Manifest is manifest.json: what the package is, what produced it, from
// which inputs, who signed it, and every file with its SHA-256 and size.
// It lists every file except itself, SHA256SUMS and SHA256SUMS.p7s;
// SHA256SUMS in turn lists the manifest, so the one signature covers all.
type Manifest struct {
	SchemaVersion string `json:"schema_version"`
	Tool          Tool   `json:"tool"`
	// Demo marks a package signed with a throwaway key: its signature proves
	// integrity since the demo ran, not authorship.
	Demo        bool        `json:"demo"`
	Project     Project     `json:"project"`
	AsOf        string      `json:"as_of"`        // YYYY-MM-DD
	SigningTime string      `json:"signing_time"` // RFC 3339, UTC; the signer's claim
	Frameworks  []Versioned `json:"frameworks"`
	RuleSets    []Versioned `json:"rule_sets"`
	Signer      SignerInfo  `json:"signer"`
	// Report describes the signed PDF, or is null when the package has none.
	Report   *ReportInfo  `json:"report"`
	Evidence EvidenceInfo `json:"evidence"`
	Inputs   []InputEntry `json:"inputs"`
	Files    []FileEntry  `json:"files"`
}

// Tool names the program and version that built the package.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Project is who and what the package is about.
type Project struct {
	Organisation string `json:"organisation"`
	System       string `json:"system"`
}

// Versioned identifies a framework catalog or a rule set.
type Versioned struct {
	ID      string `json:"id"`
	Version string `json:"version"`
}

// SignerInfo identifies the certificate that signed SHA256SUMS and the
// report. CertificateSHA256 is the pin `auditpack verify
// --signer-fingerprint` and `openssl x509 -fingerprint -sha256` compare.
type SignerInfo struct {
	CertificateSHA256 string `json:"certificate_sha256"`
	Subject           string `json:"subject"`
	Issuer            string `json:"issuer"`
	SelfSigned        bool   `json:"self_signed"`
}

// ReportInfo describes report.pdf: the SHA-256 and length of the report as
// rendered, before the signature was appended, so that a rebuild from the
// same inputs can prove the report came from them.
type ReportInfo struct {
	Path           string `json:"path"`
	Signature      string `json:"signature"` // always "pades-b-b"
	UnsignedSHA256 string `json:"unsigned_sha256"`
	UnsignedLength int64  `json:"unsigned_length"`
}

// EvidenceInfo says whether the evidence files are in the package, under
// evidence/, or only referenced by hash in results.json.
type EvidenceInfo struct {
	Embedded bool `json:"embedded"`
	Files    int  `json:"files"`
}

// InputEntry is one input file as read: its role, the name the user gave,
// and where the exact bytes are in the package.
type InputEntry struct {
	Role   string `json:"role"`
	Source string `json:"source"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// FileEntry is one file of the package.
type FileEntry struct {
	Path      string `json:"path"`
	SHA256    string `json:"sha256"`
	Size      int64  `json:"size"`
	MediaType string `json:"media_type"`
}

// reportSignature is the only value of ReportInfo.Signature.
const reportSignature = "pades-b-b"

// Encode returns the canonical encoding of m: two-space indented JSON, no
// HTML escaping, one final newline. [ParseManifest] accepts nothing else.
func (m *Manifest) Encode() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	return b.Bytes(), nil
}

// ParseManifest decodes manifest.json and accepts only what [Build] writes:
// the known schema version, no unknown or missing fields, the canonical
// encoding, valid and sorted file names, lower-case SHA-256 digests, and
// inputs and a report that point at listed files.
func ParseManifest(data []byte) (*Manifest, error) {
	if len(data) > maxSumsSize {
		return nil, fmt.Errorf("larger than %d bytes", maxSumsSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	m := &Manifest{}
	if err := dec.Decode(m); err != nil {
		return nil, fmt.Errorf("not a package manifest: %w", err)
	}
	if m.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("schema_version %q is not %q", m.SchemaVersion, SchemaVersion)
	}
	canon, err := m.Encode()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(canon, data) {
		return nil, fmt.Errorf("not in canonical form (missing fields, extra data, or re-encoded by another tool)")
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	return m, nil
}

// check enforces what the JSON types cannot.
func (m *Manifest) check() error {
	if _, err := time.Parse(time.DateOnly, m.AsOf); err != nil {
		return fmt.Errorf("as_of %q is not a date", m.AsOf)
	}
	if t, err := time.Parse(time.RFC3339, m.SigningTime); err != nil || t.Location() != time.UTC {
		return fmt.Errorf("signing_time %q is not an RFC 3339 UTC time", m.SigningTime)
	}
	if !isLowerHex(m.Signer.CertificateSHA256) || len(m.Signer.CertificateSHA256) != 64 {
		return fmt.Errorf("signer.certificate_sha256 is not 64 lower-case hex digits")
	}
	if m.Frameworks == nil || m.RuleSets == nil || m.Inputs == nil || m.Files == nil {
		return fmt.Errorf("frameworks, rule_sets, inputs and files must be arrays, not null")
	}
	listed := map[string]FileEntry{}
	for i, f := range m.Files {
		if err := CheckName(f.Path); err != nil {
			return fmt.Errorf("files[%d]: %w", i, err)
		}
		if f.Path == ManifestName || f.Path == SumsName || f.Path == SignatureName {
			return fmt.Errorf("files[%d]: %s is never listed in the manifest", i, f.Path)
		}
		if i > 0 && m.Files[i-1].Path >= f.Path {
			return fmt.Errorf("files[%d]: %q is out of order or listed twice", i, f.Path)
		}
		if len(f.SHA256) != 64 || !isLowerHex(f.SHA256) || f.Size < 0 {
			return fmt.Errorf("files[%d]: %q has a malformed sha256 or size", i, f.Path)
		}
		listed[f.Path] = f
	}
	for i, in := range m.Inputs {
		f, ok := listed[in.Path]
		if !ok || f.SHA256 != in.SHA256 || f.Size != in.Size {
			return fmt.Errorf("inputs[%d]: %q does not match a listed file", i, in.Path)
		}
	}
	if r := m.Report; r != nil {
		if r.Path != ReportName || r.Signature != reportSignature {
			return fmt.Errorf("report must be %s with signature %s", ReportName, reportSignature)
		}
		if _, ok := listed[r.Path]; !ok {
			return fmt.Errorf("report %s is not among the files", r.Path)
		}
		if len(r.UnsignedSHA256) != 64 || !isLowerHex(r.UnsignedSHA256) || r.UnsignedLength <= 0 {
			return fmt.Errorf("report has a malformed unsigned_sha256 or unsigned_length")
		}
	} else if _, ok := listed[ReportName]; ok {
		return fmt.Errorf("%s is listed but report is null", ReportName)
	}
	return nil
}
