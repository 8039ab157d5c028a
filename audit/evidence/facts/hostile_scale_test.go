package facts

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"
)

// Reading facts must be linear in the file: a file a few megabytes long
// that is shaped to make a parser compare every new item with every item
// kept so far (distinct element names, services, error messages, tool
// names) must read as fast as any other file of its size. Each case is a
// small generated file that a linear reader parses in well under a second;
// the budget is many times that, so that a shared machine does not fail it,
// and far below what a reader quadratic in the count takes.

// parseWithin parses data as format. The inputs are large enough that a
// reader quadratic in the count takes minutes where a linear one takes
// well under a second; how fast they read is measured by
// BenchmarkDistinctNames, not asserted here, so that a shared machine
// never fails a correct reader.
func parseWithin(t testing.TB, format string, data []byte) *Read {
	t.Helper()
	r, err := Parse(format, bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return r
}

// BenchmarkDistinctNames reads files of many distinct names (elements,
// services, errors, tools), the shapes that made readers quadratic; ns/op
// grows linearly with the file.
func BenchmarkDistinctNames(b *testing.B) {
	var nm bytes.Buffer
	nm.WriteString(`<?xml version="1.0"?>` + "\n" + `<nmaprun scanner="nmap" args="nmap" start="1700000000" version="7.94" xmloutputversion="1.05">` + "\n")
	for i := range 100_000 {
		fmt.Fprintf(&nm, "<x%d/>", i)
	}
	nm.WriteString(`<runstats><finished time="1700000100" exit="success"/><hosts up="0" down="0" total="0"/></runstats></nmaprun>`)
	b.SetBytes(int64(nm.Len()))
	for b.Loop() {
		parseWithin(b, "nmap-xml", nm.Bytes())
	}
}

// TestNmapDistinctSiblingsLinear: nmap XML whose root holds 100 000 empty
// elements of distinct names (under 1 MB). Every element opened searches
// the parent's list of child names seen so far.
func TestNmapDistinctSiblingsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a large file")
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?>` + "\n" + `<nmaprun scanner="nmap" args="nmap" start="1700000000" version="7.94" xmloutputversion="1.05">` + "\n")
	for i := range 100_000 {
		fmt.Fprintf(&b, "<x%d/>", i)
	}
	b.WriteString("\n" + `<runstats><finished time="1700000100"/><hosts up="0" down="0" total="0"/></runstats></nmaprun>` + "\n")
	if Detect(b.Bytes()) != nmapID {
		t.Fatalf("not detected as %s", nmapID)
	}
	parseWithin(t, nmapID, b.Bytes())
}

// TestNmapDistinctServicesLinear: one host with 100 000 open ports, each
// naming a service of its own. Every service is compared with every one
// kept for the host before it.
func TestNmapDistinctServicesLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a large file")
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?>` + "\n" + `<nmaprun scanner="nmap" args="nmap" start="1700000000" version="7.94" xmloutputversion="1.05">` + "\n" +
		`<host><status state="up"/><address addr="10.0.0.1" addrtype="ipv4"/><ports>`)
	for i := range 100_000 {
		fmt.Fprintf(&b, `<port protocol="tcp" portid="%d"><state state="open"/><service name="s%d"/></port>`+"\n", i%65535+1, i)
	}
	b.WriteString(`</ports></host>` + "\n" + `<runstats><finished time="1700000100"/><hosts up="1" down="0" total="1"/></runstats></nmaprun>` + "\n")
	parseWithin(t, nmapID, b.Bytes())
}

// TestTestsslDistinctErrorsLinear: a flat testssl.sh file of 120 000
// scanProblem findings, each with its own message. Every message is
// compared with every one kept before it.
func TestTestsslDistinctErrorsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a large file")
	}
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range 120_000 {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"id":"scanProblem","ip":"","port":"","severity":"FATAL","finding":"e%d"}`, i)
	}
	b.WriteString("]\n")
	if Detect(b.Bytes()) != "testssl-json" {
		t.Fatal("not detected as testssl-json")
	}
	parseWithin(t, "testssl-json", b.Bytes())
}

// TestSARIFDistinctToolsLinear: a SARIF log of 80 000 runs, each by a
// tool of its own name. Every tool name is compared with every one kept
// before it.
func TestSARIFDistinctToolsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a large file")
	}
	var b bytes.Buffer
	b.WriteString(`{"version":"2.1.0","$schema":"https://json.schemastore.org/sarif-2.1.0.json","runs":[`)
	for i := range 80_000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"tool":{"driver":{"name":"t%d"}},"results":[]}`, i)
	}
	b.WriteString("]}\n")
	if Detect(b.Bytes()) != "sarif" {
		t.Fatal("not detected as sarif")
	}
	parseWithin(t, "sarif", b.Bytes())
}

// TestScanDateOutOfRange: a file whose time lies far beyond year 9999
// (testssl's startTime, or its scanTime added to it; nmap's start and
// finished; an OCSF finding's time) states a time no date of the vocabulary can hold. Today it
// becomes a scan.date with a seven-digit year, which the manifest schema
// refuses when evidence init copies it, and which evidence verify
// silently drops; or, where the duration overflows, a plausible date
// (2082) the file never stated. The file must be refused as bad input, or
// state no scan.date.
func TestScanDateOutOfRange(t *testing.T) {
	for _, tc := range []struct{ name, format, data string }{
		{"testssl startTime", "testssl-json-pretty",
			`{"Invocation":"x","startTime":"99999999999999","scanTime":"5","scanResult":[{"targetHost":"a","ip":"a/1.2.3.4","port":"443","protocols":[{"id":"TLS1_2","severity":"OK","finding":"offered"}]}]}`},
		{"testssl scanTime overflows a duration", "testssl-json-pretty",
			`{"Invocation":"x","startTime":"1700000000","scanTime":"9999999999999","scanResult":[{"targetHost":"a","ip":"a/1.2.3.4","port":"443","protocols":[{"id":"TLS1_2","severity":"OK","finding":"offered"}]}]}`},
		{"prowler epoch milliseconds", "prowler-ocsf-json",
			`[{"metadata":{"event_code":"x","product":{"name":"Prowler","version":"4.0.0"}},"status_code":"PASS","status":"New","time":9000000000000000000,"cloud":{"provider":"aws","account":{"uid":"123"}},"resources":[{"uid":"r1"}]}]`},
		{"nmap finished", nmapID,
			`<?xml version="1.0"?><nmaprun scanner="nmap" args="nmap" start="99999999999999" version="7.94" xmloutputversion="1.05"><runstats><finished time="99999999999999"/><hosts up="0" down="0" total="0"/></runstats></nmaprun>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Detect([]byte(tc.data)); got != tc.format {
				t.Fatalf("detected %q, want %q", got, tc.format)
			}
			r, err := Parse(tc.format, bytes.NewReader([]byte(tc.data)))
			if err != nil {
				return // refused: fine
			}
			if d, ok := r.Fact("scan.date"); ok {
				t.Errorf("scan.date %v (at %s): the file's time is beyond year 9999", d.Value, d.At)
			}
		})
	}
}

// TestOneHugeSkippedValueStaysOutOfMemory: a 30 MB Trivy report whose
// only large part is one string the reader has no use for (a value under
// Metadata; a comment before nmap's root element). The readers skip it,
// yet the decoder holds it whole, several times over: a 150 MB file of
// this shape took 574 MB of memory, so a file of a gigabyte or two
// exhausts a machine. Memory must follow the facts kept, not the largest
// value of the file: such a value is streamed past, or refused as bad
// input naming its place.
func TestOneHugeSkippedValueStaysOutOfMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 60 MB")
	}
	const size = 30 << 20
	const bound = size / 4
	for _, tc := range []struct {
		format string
		gen    func(io.Writer)
	}{
		{"trivy-json", func(w io.Writer) {
			io.WriteString(w, `{"SchemaVersion":2,"ArtifactName":"img","ArtifactType":"container_image","Metadata":{"x":"`)
			io.Copy(w, io.LimitReader(repeatByte('A'), size))
			io.WriteString(w, `"},"Results":[]}`)
		}},
		{nmapID, func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0"?>`+"\n"+`<nmaprun scanner="nmap" args="nmap" start="1700000000" version="7.94" xmloutputversion="1.05"><!--`)
			io.Copy(w, io.LimitReader(repeatByte('A'), size))
			io.WriteString(w, `--><runstats><finished time="1700000100"/><hosts up="0" down="0" total="0"/></runstats></nmaprun>`)
		}},
	} {
		t.Run(tc.format, func(t *testing.T) {
			s := newHeapSampler(streamed(tc.gen), 2<<20, true)
			_, err := Parse(tc.format, s)
			var fe *Error
			if err != nil && !errors.As(err, &fe) {
				t.Fatalf("%v (%T) is not a *facts.Error", err, err)
			}
			t.Logf("read %d MB; live heap grew by at most %d KiB (err %v)", s.read>>20, s.grown()>>10, err)
			if s.grown() > bound {
				t.Errorf("live heap grew by %d bytes for one value the reader skips, want under %d", s.grown(), bound)
			}
		})
	}
}

// repeatByte is an endless reader of one byte.
type repeatByte byte

func (b repeatByte) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}
