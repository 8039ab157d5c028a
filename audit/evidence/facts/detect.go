package facts

import (
	"bytes"
	"encoding/json"
	"io"
)

// jsonShape is what the head of a JSON document shows: whether it is an
// object or an array, and the keys of the object (or of the array's first
// element), as far as the head reaches. Detection looks at keys, never at
// a file's name.
type jsonShape struct {
	Array bool
	Keys  []string
	// Strings maps each key whose value is a string to that value.
	Strings map[string]string
	// Nested maps each key whose value is an object to that object's keys
	// (one level down, as far as the head reaches).
	Nested map[string][]string
}

// shapeOf reads the head of a JSON document, tolerating its end being cut
// off. ok is false when the head does not start as a JSON object or array.
func shapeOf(head []byte) (s jsonShape, ok bool) {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(head))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return s, false
	}
	d, isDelim := tok.(json.Delim)
	if !isDelim || (d != '{' && d != '[') {
		return s, false
	}
	if d == '[' {
		s.Array = true
		if tok, err = dec.Token(); err != nil {
			return s, true
		}
		if d, isDelim = tok.(json.Delim); !isDelim || d != '{' {
			return s, true
		}
	}
	s.Strings, s.Nested = map[string]string{}, map[string][]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return s, true
		}
		key, _ := tok.(string)
		s.Keys = append(s.Keys, key)
		tok, err = dec.Token()
		if err != nil {
			return s, true
		}
		switch v := tok.(type) {
		case string:
			s.Strings[key] = v
		case json.Delim:
			if v == '{' {
				var keys []string
				for dec.More() {
					k, err := dec.Token()
					if err != nil {
						s.Nested[key] = keys
						return s, true
					}
					if ks, ok := k.(string); ok {
						keys = append(keys, ks)
					}
					if err := skipValue(dec); err != nil {
						s.Nested[key] = keys
						return s, true
					}
				}
				s.Nested[key] = keys
				if _, err := dec.Token(); err != nil {
					return s, true
				}
			} else if err := skipRest(dec); err != nil {
				return s, true
			}
		}
	}
	return s, true
}

// Has reports whether the object has every key.
func (s jsonShape) Has(keys ...string) bool {
	for _, k := range keys {
		found := false
		for _, h := range s.Keys {
			if h == k {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// skipValue skips the next value of dec, whatever its size.
func skipValue(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); ok && (d == '{' || d == '[') {
		return skipRest(dec)
	}
	return nil
}

// skipRest skips to the end of the object or array just opened.
func skipRest(dec *json.Decoder) error {
	depth := 1
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
		}
	}
	return nil
}
