package audit_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auditpack/auditpack/audit/config"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/evidence/facts"
	"github.com/auditpack/auditpack/audit/exception"
	"github.com/auditpack/auditpack/audit/threatmodel"
	"github.com/auditpack/auditpack/mappings"
	"github.com/auditpack/auditpack/reports/packager"
)

// hostileDir holds inputs crafted to hurt a parser; expected.txt gives, for
// each, the command line's exit code and a fragment of the error it must be
// refused with. Here only the fragment is checked, on the parser itself.
const hostileDir = "../testdata/hostile"

// parse reads one hostile input with the parser its name prefix selects.
func parse(name string, data []byte) error {
	switch kind, _, _ := strings.Cut(name, "-"); kind {
	case "model":
		_, err := threatmodel.Decode(nil, name, data)
		return err
	case "manifest":
		_, err := evidence.ParseManifest(name, data)
		return err
	case "config":
		_, err := config.Parse(name, data)
		return err
	case "exceptions":
		_, err := exception.Parse(name, data)
		return err
	case "rules":
		_, err := mappings.Parse(name, data)
		return err
	case "bundle":
		fsys, err := evidence.OpenZip(bytes.NewReader(data), int64(len(data)), name, evidence.DefaultLimits)
		if err != nil {
			return err
		}
		m, err := evidence.Load(fsys, name)
		if err != nil {
			return err
		}
		_, err = evidence.VerifyContext(context.Background(), fsys, m, evidence.Options{AsOf: time.Now()})
		return err
	case "evfile":
		// One evidence file as `auditpack evidence facts` reads it: a
		// file no format recognises is refused there.
		read, err := facts.ReadAll(bytes.NewReader(data))
		if err == nil && read == nil {
			return errors.New("no known evidence format recognised")
		}
		return err
	case "package":
		// A package zip as `auditpack verify` reads it; the trust decision
		// does not matter, as every hostile package fails before it.
		_, err := packager.VerifyZip(bytes.NewReader(data), int64(len(data)), packager.VerifyOptions{AcceptUnanchored: true})
		return err
	}
	return nil
}

func TestHostileInputsAreRefused(t *testing.T) {
	f, err := os.Open(filepath.Join(hostileDir, "expected.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, rest, ok := strings.Cut(line, ": ")
		code, frag, ok2 := strings.Cut(rest, ": ")
		if !ok || !ok2 || len(code) == 0 || strings.Trim(code, "0123456789") != "" {
			t.Fatalf("expected.txt: bad line %q (want \"name: CODE: fragment\")", line)
		}
		want[name] = frag
	}
	entries, err := os.ReadDir(hostileDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if name == "expected.txt" || name == "README.md" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			frag, ok := want[name]
			if !ok {
				t.Fatalf("no expected error in expected.txt")
			}
			data, err := os.ReadFile(filepath.Join(hostileDir, name))
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- parse(name, data) }()
			select {
			case err = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("the parser hangs")
			}
			if err == nil {
				t.Fatalf("accepted; want an error containing %q", frag)
			}
			if !strings.Contains(err.Error(), frag) {
				t.Fatalf("error %q\nwant it to contain %q", err, frag)
			}
		})
	}
	for name := range want {
		if _, err := os.Stat(filepath.Join(hostileDir, name)); err != nil {
			t.Errorf("expected.txt names %s, which is not in the corpus", name)
		}
	}
}
