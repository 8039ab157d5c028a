package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// testFactsHeader starts an evidence file of a format only the tests know:
// the rest of the file is a facts.Read as JSON. It lets command-line tests
// and vectors give an item exactly the facts a file reads, beside the real
// formats, which are read as ever.
const testFactsHeader = "#auditpack-test-facts\n"

// testReadFacts reads the test format, and every other file as
// auditpack does; runCLI passes it to every command line it runs.
func testReadFacts(r io.Reader) (*facts.Read, error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(len(testFactsHeader))
	if string(head) != testFactsHeader {
		return facts.ReadAll(br)
	}
	br.Discard(len(testFactsHeader))
	data, err := io.ReadAll(br)
	if err != nil {
		return nil, err
	}
	read := &facts.Read{}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(read); err != nil {
		fe := &facts.Error{Format: "test-facts", Offset: dec.InputOffset() + int64(len(testFactsHeader)), At: "/", Err: err}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			fe.Offset = se.Offset + int64(len(testFactsHeader))
		}
		fe.Line = 2 + bytes.Count(data[:min(int(fe.Offset)-len(testFactsHeader), len(data))], []byte("\n"))
		return nil, fe
	}
	read.Format = "test-facts"
	return read, nil
}
