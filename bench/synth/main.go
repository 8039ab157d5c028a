// Command synth writes a synthetic auditpack project of a chosen size to a
// directory, for benchmarks and scale tests:
//
//	go run ./bench/synth --components 10000 --flows 50000 \
//	    --evidence-files 20000 --evidence-bytes 2147483648 --out /tmp/p100
//
// or, with the reference sizes, --scale 100. The output is deterministic:
// the same sizes and seed give the same bytes. Evidence is streamed to disk,
// so gigabytes of it need no more memory than a few megabytes.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"

	"github.com/auditpack/auditpack/bench/internal/synthetic"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "synth:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	fl := flag.NewFlagSet("synth", flag.ContinueOnError)
	scale := fl.Int("scale", 1, "reference size factor (1: 100 components, 500 flows, 200 files, 32 MiB)")
	comps := fl.Int("components", 0, "components (overrides --scale)")
	flows := fl.Int("flows", 0, "flows (overrides --scale)")
	files := fl.Int("evidence-files", 0, "evidence files (overrides --scale)")
	bytes := fl.Int64("evidence-bytes", 0, "total evidence bytes (overrides --scale)")
	seed := fl.Uint64("seed", 1, "generator seed")
	out := fl.String("out", "", "output directory (must not exist)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("--out is required")
	}
	s := synthetic.Scale(*scale)
	s.Seed = *seed
	for _, o := range []struct {
		dst *int
		v   int
	}{{&s.Components, *comps}, {&s.Flows, *flows}, {&s.EvidenceFiles, *files}} {
		if o.v > 0 {
			*o.dst = o.v
		}
	}
	if *bytes > 0 {
		s.EvidenceBytes = *bytes
	}
	p, err := synthetic.Generate(s)
	if err != nil {
		return err
	}
	if err := os.Mkdir(*out, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(*out)
	if err != nil {
		return err
	}
	defer root.Close()
	create := func(name string) (io.WriteCloser, error) {
		if err := root.MkdirAll(path.Dir(name), 0o755); err != nil {
			return nil, err
		}
		return root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	}
	if err := p.Write(create); err != nil {
		return err
	}
	fmt.Printf("%s: %d components, %d flows, %d mitigations, %d evidence items, %d files, %d bytes\n",
		*out, len(p.Model.Components), len(p.Model.Flows), len(p.Model.Mitigations), len(p.Items), len(p.Files), s.EvidenceBytes)
	return nil
}
