package schemadoc

import "bytes"

// StrayBOM reports a byte order mark that stands anywhere before the first
// significant byte except at the very start: a second mark, or one after
// white space. Parsers strip one leading mark; a stray one would make a
// JSON document look like something else and be read by another parser
// (YAML) under other rules, so it is refused instead.
func StrayBOM(data []byte) *Problem {
	data = bytes.TrimPrefix(data, bom)
	for line := 1; len(data) > 0; {
		switch {
		case bytes.HasPrefix(data, bom):
			return &Problem{Line: line, Message: "a byte order mark stands after the start of the file (saved twice with one?)"}
		case data[0] == '\n':
			line++
		case data[0] != ' ' && data[0] != '\t' && data[0] != '\r':
			return nil
		}
		data = data[1:]
	}
	return nil
}

var bom = []byte("\xef\xbb\xbf")
