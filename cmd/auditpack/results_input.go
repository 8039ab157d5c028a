package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/archive"
	"github.com/auditpack/auditpack/audit/rootfs"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
	"github.com/auditpack/auditpack/reports/pack"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// resultsName is where a package keeps its results, at its root.
const resultsName = "results.json"

// resultsSchema validates every results.json read back, so that a damaged
// or foreign file is refused with the place it goes wrong rather than
// compared as if it were empty. It is compiled on first use: compiling it
// when the program starts cost every command, diff or not, tens of
// milliseconds.
var resultsSchema = sync.OnceValue(func() *jsonschema.Schema {
	return schemadoc.MustCompile("results.schema.json", audit.ResultsSchema())
})

// readResults loads the results of a package directory, a package zip or a
// results.json file. Errors name the file and exit 2.
func readResults(name string) (*audit.Results, error) {
	l, err := readResultsData(name)
	if err != nil {
		return nil, err
	}
	return l.results, nil
}

// loadedResults is results.json as read, for a package that must record
// which results it was compared with.
type loadedResults struct {
	// name is the file read: the results file, or the package directory or
	// zip with the file in it.
	name    string
	data    []byte
	results *audit.Results
}

// readResultsData is readResults that keeps results.json exactly as read.
func readResultsData(name string) (*loadedResults, error) {
	fi, err := os.Stat(name)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &inputError{fmt.Errorf("%s: %w", name, err)}
	}
	var data []byte
	display := name
	switch {
	case fi.IsDir():
		display = filepath.Join(name, resultsName)
		data, err = readFromDir(name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &inputError{fmt.Errorf("%s has no %s: not an audit package", name, resultsName)}
		}
	case !fi.Mode().IsRegular():
		return nil, &inputError{fmt.Errorf("%s: not a regular file, directory or zip", name)}
	case isZipFile(name):
		display = name + ":" + resultsName
		data, err = readFromZip(name)
	default:
		data, err = readBounded(name, fi.Size(), func() (io.ReadCloser, error) { return rootfs.Open(name, name) })
	}
	if err != nil {
		return nil, &inputError{fmt.Errorf("%s: %w", display, err)}
	}
	r, err := decodeResults(display, data)
	if err != nil {
		return nil, err
	}
	return &loadedResults{name: display, data: data, results: r}, nil
}

// resultsLimits bound a results.json read back (see [schemadoc.Limits]).
var resultsLimits = schemadoc.Limits{Size: schemadoc.MaxSize, Values: 4_000_000, Depth: 64, String: 1 << 20}

// decodeResults checks the schema version before anything else, so that a
// results file from another major format is named as such.
func decodeResults(name string, data []byte) (*audit.Results, error) {
	// Parsed once: the schema version is looked at first, so a foreign
	// file is named as such rather than by its schema errors.
	v, lines, err := schemadoc.ParseLimited(name, data, resultsLimits)
	if err != nil {
		return nil, err
	}
	if m, _ := v.(map[string]any); m == nil || m["schema_version"] != audit.SchemaVersion {
		return nil, &inputError{fmt.Errorf("%s: not auditpack results (schema_version must be %q)", name, audit.SchemaVersion)}
	}
	var r audit.Results
	if err := schemadoc.DecodeParsed(name, v, lines, resultsSchema(), &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// isZipFile reports whether the named file is a zip archive, by name or
// by its first bytes, using the same test as evidence bundles.
func isZipFile(name string) bool {
	f, err := rootfs.Open(name, name)
	if err != nil {
		return strings.EqualFold(filepath.Ext(name), ".zip")
	}
	defer f.Close()
	return isZip(f, name)
}

// readFromDir reads results.json through an os.Root, so a symbolic link
// cannot lead outside the package, and refuses anything but a regular file.
func readFromDir(dir string) ([]byte, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	fi, err := root.Lstat(resultsName)
	if err != nil {
		return nil, fmt.Errorf("not an audit package or results: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	return readBounded(resultsName, fi.Size(), func() (io.ReadCloser, error) { return rootfs.OpenIn(root, resultsName, dir) })
}

// readFromZip reads results.json from a package zip checked with the
// package rules (pack.OpenZip): the same view `auditpack verify` checks, so
// one archive cannot show a reviewer one file and the tool another.
func readFromZip(name string) ([]byte, error) {
	z, f, err := pack.OpenZipFile(name)
	var refusal archive.Refusal
	if errors.As(err, &refusal) {
		return nil, fmt.Errorf("not a safe package zip: %w", err)
	} else if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := fs.Stat(z, resultsName)
	if err != nil {
		return nil, fmt.Errorf("not an audit package: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file in the zip")
	}
	return readBounded(resultsName, fi.Size(), func() (io.ReadCloser, error) {
		f, err := z.Open(resultsName)
		return f, err
	})
}

// readBounded reads at most schemadoc.MaxSize bytes, trusting neither the
// declared size nor the stream.
func readBounded(name string, size int64, open func() (io.ReadCloser, error)) ([]byte, error) {
	if size > schemadoc.MaxSize {
		return nil, fmt.Errorf("larger than %d MiB", schemadoc.MaxSize>>20)
	}
	f, err := open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, schemadoc.MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > schemadoc.MaxSize {
		return nil, fmt.Errorf("larger than %d MiB", schemadoc.MaxSize>>20)
	}
	return data, nil
}
