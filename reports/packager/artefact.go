package packager

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
)

// Artefact is a rendered file of the package other than the PDF report,
// written by streaming: results.json or the OSCAL document of a large
// model is hundreds of megabytes, more than is worth holding whole, and
// small ones take the same path so that every artefact is hashed the one
// way. Write renders the file to w.
type Artefact struct {
	Path  string
	Write func(w io.Writer) error
}

// Streamed is an artefact already written into the package, with the hash
// and size of the bytes written.
type Streamed struct {
	Path   string
	SHA256 string // lower-case hex
	Size   int64
}

// Stream renders a to w, hashing the bytes as they pass, and returns what
// [Build] lists for it. The caller opens w, in the package being built.
func (a Artefact) Stream(w io.Writer) (Streamed, error) {
	h := sha256.New()
	c := &counter{w: io.MultiWriter(w, h)}
	if err := a.Write(c); err != nil {
		return Streamed{}, err
	}
	return Streamed{Path: a.Path, SHA256: hex.EncodeToString(h.Sum(nil)), Size: c.n}, nil
}

// counter counts the bytes written through it.
type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
