package facts

import "io"

// trivy reads Trivy JSON (-f json). (Placeholder until its parser is written.)
var trivy = parser{id: "trivy-json", name: "Trivy JSON (-f json)",
	detect: func([]byte) bool { return false },
	parse:  func(io.Reader) (*Read, error) { return nil, errNotWritten }}
