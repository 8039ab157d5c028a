package facts

import "io"

// testsslPretty reads testssl.sh JSON (--jsonfile-pretty). (Placeholder until its parser is written.)
var testsslPretty = parser{id: "testssl-json-pretty", name: "testssl.sh JSON (--jsonfile-pretty)",
	detect: func([]byte) bool { return false },
	parse:  func(io.Reader) (*Read, error) { return nil, errNotWritten }}

// testsslFlat reads testssl.sh JSON (--jsonfile). (Placeholder until its parser is written.)
var testsslFlat = parser{id: "testssl-json", name: "testssl.sh JSON (--jsonfile)",
	detect: func([]byte) bool { return false },
	parse:  func(io.Reader) (*Read, error) { return nil, errNotWritten }}
