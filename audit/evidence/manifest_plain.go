package evidence

import (
	"errors"
	"regexp"

	"github.com/auditpack/auditpack/mappings"
	"github.com/auditpack/auditpack/mappings/schemadoc"
)

// decodePlain decodes a manifest written as plain JSON straight into a
// Manifest, checking manifest.schema.json's rules in code as it goes. It
// answers true only for a manifest that the schema accepts, and then gives
// exactly the Manifest that the general path (generic values, schema
// validation, then encoding/json) gives. Anything else, from YAML to a
// wrong type, an unknown key or a value the checks here do not take,
// answers false, and the general path decides and explains.
//
// A generated manifest of thirteen thousand items spent about a second and
// a half of CPU in the general path, before the first file was hashed;
// this path takes a few tens of milliseconds. FuzzPlainManifest keeps both
// paths in step.
func decodePlain(data []byte) (*Manifest, bool) {
	if schemadoc.ScanJSON("", data, ManifestLimits) != nil {
		return nil, false // the general path refuses it, with the line
	}
	r, ok := schemadoc.NewJSONReader(data)
	if !ok {
		return nil, false
	}
	m := &Manifest{}
	var got keys
	err := r.Object(func(key string) error {
		var err error
		switch key {
		case "schema":
			if err = got.once(0); err == nil {
				m.Schema, err = r.String()
				if err == nil && m.Schema != SchemaVersion {
					err = errRefer
				}
			}
		case "bundle":
			if err = got.once(1); err == nil {
				m.Bundle, err = r.String()
			}
		case "items":
			if err = got.once(2); err == nil {
				m.Items = []Item{}
				err = r.Array(func() error {
					m.Items = append(m.Items, Item{})
					return plainItem(r, &m.Items[len(m.Items)-1])
				})
			}
		default:
			err = errRefer
		}
		return err
	})
	if err != nil || !got.has(0, 2) || r.Finish() != nil {
		return nil, false
	}
	return m, true
}

// errRefer sends a manifest to the general path.
var errRefer = errors.New("refer the manifest to the general decoder")

// keys records which of an object's known keys were read, to refuse one
// given twice (the general path reports it) and to find missing ones.
type keys uint16

func (k *keys) once(bit uint) error {
	if *k&(1<<bit) != 0 {
		return errRefer
	}
	*k |= 1 << bit
	return nil
}

func (k keys) has(bits ...uint) bool {
	for _, b := range bits {
		if k&(1<<b) == 0 {
			return false
		}
	}
	return true
}

func plainItem(r *schemadoc.JSONReader, it *Item) error {
	var got keys
	str := func(bit uint, dst *string, ok func(string) bool) error {
		if err := got.once(bit); err != nil {
			return err
		}
		s, err := r.String()
		if err == nil && ok != nil && !ok(s) {
			err = errRefer
		}
		*dst = s
		return err
	}
	err := r.Object(func(key string) error {
		switch key {
		case "id":
			return str(0, &it.ID, validID)
		case "title":
			return str(1, &it.Title, nonEmpty)
		case "kind":
			return str(2, &it.Kind, mappings.KnownKind)
		case "description":
			return str(3, &it.Description, nil)
		case "collector":
			return str(4, &it.Collector, nil)
		case "owner":
			return str(5, &it.Owner, nil)
		case "collected_at":
			return str(6, &it.CollectedAt, validDate)
		case "valid_until":
			return str(7, &it.ValidUntil, validDate)
		case "effective_from":
			return str(12, &it.EffectiveFrom, validDate)
		case "effective_until":
			return str(13, &it.EffectiveUntil, validDate)
		case "valid_days":
			if err := got.once(8); err != nil {
				return err
			}
			n, err := r.Int()
			if err != nil || n < 1 || int64(int(n)) != n {
				return errRefer
			}
			it.ValidDays = int(n)
			return nil
		case "files":
			if err := got.once(9); err != nil {
				return err
			}
			it.Files = []File{}
			return r.Array(func() error {
				it.Files = append(it.Files, File{})
				return plainFile(r, &it.Files[len(it.Files)-1])
			})
		case "supports":
			if err := got.once(10); err != nil {
				return err
			}
			it.Supports = []Support{}
			return r.Array(func() error {
				it.Supports = append(it.Supports, Support{})
				return plainSupport(r, &it.Supports[len(it.Supports)-1])
			})
		case "facts":
			if err := got.once(11); err != nil {
				return err
			}
			if r.Next() != '{' {
				return errRefer
			}
			v, err := r.Value()
			if err != nil {
				return err
			}
			it.Facts = v.(map[string]any)
			return nil
		}
		return errRefer
	})
	if err != nil || !got.has(0, 1, 2, 6, 9, 10) || len(it.Files) == 0 || len(it.Supports) == 0 {
		return errRefer
	}
	return nil
}

func plainFile(r *schemadoc.JSONReader, f *File) error {
	var got keys
	err := r.Object(func(key string) error {
		var err error
		switch key {
		case "path":
			if err = got.once(0); err == nil {
				if f.Path, err = r.String(); err == nil && f.Path == "" {
					err = errRefer
				}
			}
		case "sha256":
			if err = got.once(1); err == nil {
				if f.SHA256, err = r.String(); err == nil && !validSHA256(f.SHA256) {
					err = errRefer
				}
			}
		default:
			err = errRefer
		}
		return err
	})
	if err != nil || !got.has(0, 1) {
		return errRefer
	}
	return nil
}

func plainSupport(r *schemadoc.JSONReader, s *Support) error {
	var got keys
	err := r.Object(func(key string) error {
		var dst *string
		var bit uint
		switch key {
		case "mitigation":
			dst, bit = &s.Mitigation, 0
		case "element":
			dst, bit = &s.Element, 1
		case "capability":
			dst, bit = &s.Capability, 2
		case "control":
			dst, bit = &s.Control, 3
		case "rule":
			dst, bit = &s.Rule, 4
		case "exception":
			dst, bit = &s.Exception, 5
		default:
			return errRefer
		}
		if err := got.once(bit); err != nil {
			return err
		}
		v, err := r.String()
		if err != nil || v == "" || (bit == 3 && !controlRE.MatchString(v)) {
			return errRefer
		}
		*dst = v
		return nil
	})
	if err != nil || got == 0 {
		return errRefer
	}
	return nil
}

// The schema's patterns, checked here as the schema states them. The
// validator compiles patterns with Go's regexp too, so matches agree.
var (
	controlRE = regexp.MustCompile(`^[a-z0-9-]+@[A-Za-z0-9.+-]+:[^\s]+$`)
	dateRE    = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2}))?$`)
)

func nonEmpty(s string) bool { return s != "" }

// validID is the schema's ^[A-Za-z0-9][A-Za-z0-9._-]*$.
func validID(s string) bool {
	if s == "" || !alnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !alnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func alnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// validDate is the schema's date pattern; a plain YYYY-MM-DD, by far the
// most common, is checked without the regular expression.
func validDate(s string) bool {
	if len(s) == 10 {
		for i := range 10 {
			if c := s[i]; (i == 4 || i == 7) != (c == '-') || c != '-' && (c < '0' || c > '9') {
				return false
			}
		}
		return true
	}
	return dateRE.MatchString(s)
}

// validSHA256 is the schema's ^[0-9a-f]{64}$.
func validSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := range 64 {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
