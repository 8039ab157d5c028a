package facts

import "io"

// sslyze reads sslyze JSON (--json_out). (Placeholder until its parser is written.)
var sslyze = parser{id: "sslyze-json", name: "sslyze JSON (--json_out)",
	detect: func([]byte) bool { return false },
	parse:  func(io.Reader) (*Read, error) { return nil, errNotWritten }}
