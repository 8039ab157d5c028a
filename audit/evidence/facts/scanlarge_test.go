package facts

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

// Large inputs are generated, never committed: a Trivy report of one
// image with many packages and findings, and an nmap scan of many hosts.
// Their shape follows the real files of the corpus (long descriptions and
// reference lists per finding; scripts with long output per port).

var trivySeverities = []string{"CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"}

// writeTrivyLarge writes a Trivy report of at least size bytes and returns
// how many vulnerabilities it holds, and how many are CRITICAL.
func writeTrivyLarge(w io.Writer, size int) (vulns, critical int) {
	cw := &countingWriter{w: bufio.NewWriterSize(w, 64<<10)}
	desc := strings.Repeat("A flaw was found in the parsing of crafted input, which may allow a remote attacker to cause a denial of service. ", 4)
	fmt.Fprint(cw, `{"SchemaVersion":2,"Trivy":{"Version":"0.58.1"},"CreatedAt":"2025-01-15T10:00:00Z",`+
		`"ArtifactName":"registry.example/large:1.0","ArtifactType":"container_image",`+
		`"Metadata":{"ImageID":"sha256:0000","RepoDigests":["registry.example/large@sha256:1111"],"RepoTags":["registry.example/large:1.0"]},"Results":[`)
	for res := 0; cw.n < size; res++ {
		if res > 0 {
			fmt.Fprint(cw, ",")
		}
		fmt.Fprintf(cw, `{"Target":"layer-%d","Class":"lang-pkgs","Type":"npm","Packages":[`, res)
		for p := 0; p < 200; p++ {
			if p > 0 {
				fmt.Fprint(cw, ",")
			}
			fmt.Fprintf(cw, `{"ID":"pkg-%d@1.%d.0","Name":"pkg-%d","Version":"1.%d.0","Locations":[{"StartLine":%d,"EndLine":%d}]}`, p, p, p, p, p*10, p*10+9)
		}
		fmt.Fprint(cw, `],"Vulnerabilities":[`)
		for v := 0; v < 500; v++ {
			if v > 0 {
				fmt.Fprint(cw, ",")
			}
			sev := trivySeverities[vulns%len(trivySeverities)]
			if sev == "CRITICAL" {
				critical++
			}
			fmt.Fprintf(cw, `{"VulnerabilityID":"CVE-2024-%05d","PkgName":"pkg-%d","InstalledVersion":"1.0.0","FixedVersion":"1.0.1","Status":"fixed",`+
				`"Title":"pkg: denial of service","Description":%q,"Severity":%q,"CweIDs":["CWE-400"],`+
				`"CVSS":{"nvd":{"V3Vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H","V3Score":7.5}},`+
				`"References":["https://nvd.nist.gov/vuln/detail/CVE-2024-%05d","https://github.com/example/pkg/issues/%d","https://example.org/advisories/%d"]}`,
				vulns%20000, v, desc, sev, vulns%20000, v, v)
			vulns++
		}
		fmt.Fprint(cw, `]}`)
	}
	fmt.Fprint(cw, "]}\n")
	cw.w.(*bufio.Writer).Flush()
	return vulns, critical
}

// writeNmapLarge writes an nmap scan of at least size bytes and returns
// how many hosts are up in it.
func writeNmapLarge(w io.Writer, size int) (up int) {
	cw := &countingWriter{w: bufio.NewWriterSize(w, 64<<10)}
	out := strings.Repeat("&#xa;  Supported Methods: GET HEAD POST OPTIONS", 6)
	fmt.Fprint(cw, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<!DOCTYPE nmaprun>\n"+
		`<nmaprun scanner="nmap" args="nmap -sV -oX large.xml 10.0.0.0/8" start="1700000000" version="7.94" xmloutputversion="1.05">`+"\n")
	for h := 0; cw.n < size; h++ {
		addr := fmt.Sprintf("10.%d.%d.%d", h>>16&255, h>>8&255, h&255)
		if h%4 == 3 {
			fmt.Fprintf(cw, "<host><status state=\"down\" reason=\"no-response\"/><address addr=%q addrtype=\"ipv4\"/></host>\n", addr)
			continue
		}
		up++
		fmt.Fprintf(cw, "<host starttime=\"1700000001\" endtime=\"1700000009\"><status state=\"up\" reason=\"syn-ack\"/>\n<address addr=%q addrtype=\"ipv4\"/>\n<hostnames><hostname name=\"host-%d.example\" type=\"PTR\"/></hostnames>\n<ports><extraports state=\"closed\" count=\"980\"/>\n", addr, h)
		for p := 0; p < 20; p++ {
			svc, tunnel := "http", ""
			if p%3 == 1 {
				tunnel = ` tunnel="ssl"`
			} else if p%3 == 2 {
				svc = "ssh"
			}
			fmt.Fprintf(cw, `<port protocol="tcp" portid="%d"><state state="open" reason="syn-ack" reason_ttl="64"/><service name=%q product="Example server" version="1.%d"%s method="probed" conf="10"/><script id="http-methods" output="%s"><table key="Supported Methods"><elem>GET</elem><elem>HEAD</elem></table></script></port>`+"\n",
				8000+p, svc, p, tunnel, out)
		}
		fmt.Fprint(cw, "</ports>\n<times srtt=\"100\" rttvar=\"50\" to=\"100000\"/>\n</host>\n")
	}
	fmt.Fprintf(cw, "<runstats><finished time=\"1700009999\" exit=\"success\"/><hosts up=\"%d\" down=\"0\" total=\"%d\"/></runstats>\n</nmaprun>\n", up, up)
	cw.w.(*bufio.Writer).Flush()
	return up
}

type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}

// heapSampler wraps the input of a parse and samples the heap in use every
// `every` bytes read. With collect, it collects first, so that a sample is
// what the parser still holds (its live heap), not garbage not yet freed.
type heapSampler struct {
	r           io.Reader
	every, next int
	read        int
	collect     bool
	base, peak  uint64
}

func newHeapSampler(r io.Reader, every int, collect bool) *heapSampler {
	s := &heapSampler{r: r, every: every, next: every, collect: collect}
	runtime.GC()
	s.base = s.inUse()
	return s
}

func (s *heapSampler) inUse() uint64 {
	if s.collect {
		runtime.GC()
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func (s *heapSampler) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.read += n
	if s.read >= s.next {
		s.next += s.every
		if h := s.inUse(); h > s.peak {
			s.peak = h
		}
	}
	return n, err
}

// grown is the peak heap in use above what was in use before the parse.
func (s *heapSampler) grown() uint64 {
	if s.peak < s.base {
		return 0
	}
	return s.peak - s.base
}

// streamed gives a generated file through a pipe, so that the file is
// never whole in memory: only the parser's own state is.
func streamed(gen func(io.Writer)) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		gen(pw)
		pw.Close()
	}()
	return pr
}

// TestLargeFilesStayOutOfMemory parses a 30 MB Trivy report and a 30 MB
// nmap scan, generated as they are read, and requires the heap the parser
// keeps to stay far below the file's size: memory follows the facts kept,
// not the file.
func TestLargeFilesStayOutOfMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 60 MB")
	}
	const size = 30 << 20
	const bound = size / 4
	t.Run("trivy", func(t *testing.T) {
		var vulns, critical int
		s := newHeapSampler(streamed(func(w io.Writer) { vulns, critical = writeTrivyLarge(w, size) }), 2<<20, true)
		r, err := Parse("trivy-json", s)
		if err != nil {
			t.Fatal(err)
		}
		wantFacts(t, r, map[string]any{"scan.findings_open": vulns, "scan.critical_open": critical})
		t.Logf("read %d MB, %d findings; live heap grew by at most %d KiB", s.read>>20, vulns, s.grown()>>10)
		if s.read < size || s.grown() > bound {
			t.Errorf("read %d bytes; live heap grew by %d bytes, want under %d", s.read, s.grown(), bound)
		}
	})
	t.Run("nmap", func(t *testing.T) {
		var up int
		s := newHeapSampler(streamed(func(w io.Writer) { up = writeNmapLarge(w, size) }), 2<<20, true)
		r, err := Parse("nmap-xml", s)
		if err != nil {
			t.Fatal(err)
		}
		wantFacts(t, r, map[string]any{"network.hosts_up": up, "scan.complete": true})
		t.Logf("read %d MB, %d hosts up; live heap grew by at most %d KiB", s.read>>20, up, s.grown()>>10)
		// Every host up is a target whose facts are kept: the bound
		// allows for them, and is still far below the file.
		if s.read < size || s.grown() > bound {
			t.Errorf("read %d bytes; live heap grew by %d bytes, want under %d", s.read, s.grown(), bound)
		}
	})
}

func benchmarkLarge(b *testing.B, format string, gen func(io.Writer), floor func([]byte) error) {
	var buf bytes.Buffer
	gen(&buf)
	data := buf.Bytes()
	b.Run("facts", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		var peak uint64
		for b.Loop() {
			s := newHeapSampler(bytes.NewReader(data), 4<<20, false)
			if _, err := Parse(format, s); err != nil {
				b.Fatal(err)
			}
			peak = max(peak, s.grown())
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
	})
	// The floor is the standard library's decoder alone going over the
	// same bytes, keeping nothing: on a shared machine the ratio of the
	// two holds better than either speed.
	b.Run("decoder-floor", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if err := floor(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkTrivyLarge reads a generated 50 MB Trivy report.
func BenchmarkTrivyLarge(b *testing.B) {
	benchmarkLarge(b, "trivy-json", func(w io.Writer) { writeTrivyLarge(w, 50<<20) }, func(data []byte) error {
		return json.NewDecoder(bytes.NewReader(data)).Decode(&skipped{})
	})
}

// BenchmarkNmapLarge reads a generated 20 MB nmap scan.
func BenchmarkNmapLarge(b *testing.B) {
	benchmarkLarge(b, "nmap-xml", func(w io.Writer) { writeNmapLarge(w, 20<<20) }, func(data []byte) error {
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			if _, err := dec.Token(); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
		}
	})
}
