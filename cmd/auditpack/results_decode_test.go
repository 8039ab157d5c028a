package main

import (
	"bytes"
	"io"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/resultsfile"
)

// unmarshalResults decodes a whole results.json, as written, into res.
func unmarshalResults(data []byte, res *audit.Results) error {
	rd, err := resultsfile.Decode("results.json", bytes.NewReader(data), resultsfile.MaxSize, true)
	if err != nil {
		return err
	}
	*res = *rd.Results
	return nil
}

// decodeResultsStream reads results.json slimmed, as diff and build
// --previous do.
func decodeResultsStream(name string, r io.Reader, limit int64) (*audit.Results, string, int64, error) {
	rd, err := resultsfile.Decode(name, r, limit, false)
	if err != nil {
		return nil, "", 0, err
	}
	return rd.Results, rd.SHA256, rd.Size, nil
}
