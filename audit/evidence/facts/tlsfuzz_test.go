package facts

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestTLSDetect: each TLS format recognises its own real files by content,
// and no file of any other format is taken for one of them: the committed
// corpus of every format, and the shared samples where the machine has
// them.
func TestTLSDetect(t *testing.T) {
	mine := map[string]string{ // folder → format id
		"testssl-json-flat":   "testssl-json",
		"testssl-json":        "testssl-json",
		"testssl-json-pretty": "testssl-json-pretty",
		"sslyze-json":         "sslyze-json",
	}
	roots := []string{filepath.Join("..", "..", "..", "testdata", "evidence")}
	if _, err := os.Stat("/work/shared/samples/evidence"); err == nil {
		roots = append(roots, "/work/shared/samples/evidence")
	}
	seen := 0
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			folder, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
			name := d.Name()
			if folder == "licenses" || strings.Contains(rel, "/edge/") || strings.HasSuffix(name, ".golden") ||
				strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".txt") || name == "SHA256SUMS" {
				return nil
			}
			seen++
			head := tlsHead(t, path)
			got := ""
			for _, p := range []parser{testsslPretty, testsslFlat, sslyze} {
				if p.detect(head) {
					got = p.id
					break
				}
			}
			if want := mine[folder]; got != want {
				t.Errorf("%s detected as %q, want %q", path, got, want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if seen < 10 {
		t.Errorf("only %d files looked at", seen)
	}
	// The committed corpus, detected through the package's own entry.
	for _, format := range []string{"testssl-json", "testssl-json-pretty", "sslyze-json"} {
		files, _ := filepath.Glob(filepath.Join(tlsCorpus(format), "*.json"))
		if len(files) < 2 {
			t.Errorf("%s: %d real files in the corpus, want at least 2", format, len(files))
		}
		for _, f := range files {
			if got := Detect(tlsHead(t, f)); got != format {
				t.Errorf("%s detected as %q, want %q", f, got, format)
			}
		}
	}
}

func tlsHead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b[:min(len(b), HeadSize)]
}

func FuzzParseTestsslFlat(f *testing.F)   { fuzzTLS(f, "testssl-json") }
func FuzzParseTestsslPretty(f *testing.F) { fuzzTLS(f, "testssl-json-pretty") }
func FuzzParseSslyze(f *testing.F)        { fuzzTLS(f, "sslyze-json") }

// fuzzTLS seeds with the corpus (large files cut short) and checks that
// parsing never panics, fails only with an *Error, and yields only facts
// of the vocabulary with the Go type their definition says.
func fuzzTLS(f *testing.F, format string) {
	for _, pattern := range []string{"*.json", "edge/*.json"} {
		files, _ := filepath.Glob(filepath.Join(tlsCorpus(format), pattern))
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b[:min(len(b), 16<<10)])
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse(format, bytes.NewReader(data))
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) || fe.Format != format {
				t.Fatalf("error %v (%T) is not a *facts.Error of %s", err, err, format)
			}
			return
		}
		if err := tlsCheckTypes(r); err != nil {
			t.Fatal(err)
		}
	})
}

// tlsCheckTypes checks every fact of a Read against the Vocabulary.
func tlsCheckTypes(r *Read) error {
	for _, f := range slices.Concat(r.Facts, r.Targets) {
		d, ok := Lookup(f.Name)
		if !ok {
			return fmt.Errorf("fact %s is not in the vocabulary", f.Name)
		}
		if !strings.HasPrefix(f.At, "/") {
			return fmt.Errorf("fact %s: at %q is not a JSON pointer", f.Name, f.At)
		}
		okType := false
		switch v := f.Value.(type) {
		case string:
			switch d.Type {
			case String, Date:
				okType = true
			case Version:
				_, okType = versionRank[v]
			}
		case bool:
			okType = d.Type == Bool
		case int:
			okType = d.Type == Int
		case []string:
			okType = d.Type == List && v != nil
			if d.Type == Versions {
				okType = slices.IsSortedFunc(v, CompareVersions)
				for _, s := range v {
					_, known := versionRank[s]
					okType = okType && known
				}
			}
		}
		if !okType {
			return fmt.Errorf("fact %s = %#v is not of type %s", f.Name, f.Value, d.Type)
		}
	}
	return nil
}
