package facts

import "io"

// prowler reads Prowler OCSF JSON (-M json-ocsf). (Placeholder until its parser is written.)
var prowler = parser{id: "prowler-ocsf-json", name: "Prowler OCSF JSON (-M json-ocsf)",
	detect: func([]byte) bool { return false },
	parse:  func(io.Reader) (*Read, error) { return nil, errNotWritten }}
