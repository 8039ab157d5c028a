package facts

import "io"

// grype reads Grype JSON (-o json). (Placeholder until its parser is written.)
var grype = parser{id: "grype-json", name: "Grype JSON (-o json)",
	detect: func([]byte) bool { return false },
	parse:  func(io.Reader) (*Read, error) { return nil, errNotWritten }}
