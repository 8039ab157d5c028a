package facts

import "io"

// nmap reads Nmap XML (-oX). (Placeholder until its parser is written.)
var nmap = parser{id: "nmap-xml", name: "Nmap XML (-oX)",
	detect: func([]byte) bool { return false },
	parse:  func(io.Reader) (*Read, error) { return nil, errNotWritten }}
