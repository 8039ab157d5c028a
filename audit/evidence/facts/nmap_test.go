package facts

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const nmapDir = evidenceDir + "/nmap-xml"

// TestNmapRealFiles checks facts read from real nmap files against values
// read off each file by hand; each case names the trap it guards.
func TestNmapRealFiles(t *testing.T) {
	cases := []struct {
		file    string
		trap    string
		want    map[string]any
		target  string
		aliases []string
		perHost map[string]any
	}{
		{
			file: "libnmap__dionaea_scan.xml",
			trap: "https tunnelled over TLS is not clear text; a <hosthint> is not a host; the user-given name comes first",
			want: map[string]any{
				"scan.tool":        "nmap 7.91",
				"scan.date":        "2020-11-22T17:14:33Z",
				"scan.targets":     []string{"dionaea"},
				"network.hosts_up": 1,
				"network.open_ports": []int{21, 23, 42, 53, 80, 135, 443, 445, 1433, 1723, 1883,
					3306, 5060, 9100, 11211, 27017},
				"network.insecure_services": []string{"ftp", "http", "telnet"},
				"scan.complete":             true,
				"scan.errors":               nil,
				// vulners on memcached; smb-vuln-ms17-010 says VULNERABLE
				"scan.vulnerability_ids": []string{"CVE-2016-8704", "CVE-2016-8705", "CVE-2016-8706",
					"CVE-2017-0143", "CVE-2017-9951", "CVE-2018-1000127"},
			},
			target:  "dionaea",
			aliases: []string{"02:42:AC:1C:01:03", "172.28.1.3", "dionaea.libnmap-testing_testing_net"},
		},
		{
			file: "libnmap__fullscan.xml",
			trap: "254 hosts down are neither up nor covered; telnet over TLS on 992 is not clear text, on 23 it is",
			want: map[string]any{
				"scan.tool":                 "nmap 6.40-2",
				"scan.date":                 "2014-05-08T21:37:30Z",
				"scan.targets":              []string{"192.168.1.1", "192.168.1.4"},
				"network.hosts_up":          2,
				"network.open_ports":        []int{22, 23, 80, 111, 443, 992, 8080, 8443},
				"network.insecure_services": []string{"http", "http-proxy", "telnet"},
				"scan.complete":             true,
			},
			target: "192.168.1.1",
			perHost: map[string]any{
				"network.open_ports":    []int{23, 80, 443, 992, 8080, 8443},
				"network.open_services": []string{"http", "http-proxy", "https", "ssl/https-alt", "ssl/telnet", "telnet"},
			},
		},
		{
			file: "ullaakut__scan_base.xml",
			trap: "runstats says 8 up but the file holds 1 host, which timed out: the weaker claim, and the scan is not complete",
			want: map[string]any{
				"scan.tool":                 "nmap 4.53",
				"scan.date":                 "2008-01-28T00:52:49Z",
				"network.hosts_up":          1,
				"network.open_ports":        []int{80},
				"network.insecure_services": []string{"http"},
				"scan.complete":             false,
				"scan.errors": []string{
					"freshmeat.net: host timed out (--host-timeout): its ports may be incomplete",
					"runstats says 8 hosts up, but the file holds 1",
				},
			},
			target:  "freshmeat.net",
			aliases: []string{"66.35.250.168"},
			perHost: map[string]any{"scan.complete": false},
		},
		{
			file: "sner4__parser-nmap-output.xml",
			trap: "a closed port (113) is not open; smtp, which may use STARTTLS, is not called clear text",
			want: map[string]any{
				"scan.tool":                 "nmap 7.40",
				"network.open_ports":        []int{22, 25, 139, 445, 5432},
				"network.open_services":     []string{"netbios-ssn", "postgresql", "smtp", "ssh"},
				"network.insecure_services": []string{},
				"scan.vulnerability_ids":    nil,
			},
			target:  "localserver.test",
			aliases: []string{"127.0.0.1", "localhost"},
		},
		{
			file: "defectdojo__nmap_script_vulners.xml",
			trap: "a bare <!DOCTYPE nmaprun> is accepted; vulners ids are read from the script's tables",
			want: map[string]any{
				"scan.tool":              "nmap 7.60",
				"scan.date":              "2020-02-17T09:07:35Z",
				"network.open_ports":     []int{5022},
				"scan.vulnerability_ids": []string{"CVE-2017-15906", "CVE-2018-15919"},
			},
			target: "192.168.0.1",
		},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			t.Log(c.trap)
			r := readSample(t, filepath.Join(nmapDir, c.file))
			if r.Format != "nmap-xml" || r.Tool != c.want["scan.tool"] {
				t.Errorf("format %q tool %q", r.Format, r.Tool)
			}
			wantFacts(t, r, c.want)
			var found *Target
			for i := range r.Covered {
				if r.Covered[i].Name == c.target {
					found = &r.Covered[i]
				}
			}
			if found == nil {
				t.Fatalf("covered %v, want %s among them", r.Covered, c.target)
			}
			if c.aliases != nil && !sameValue(found.Aliases, c.aliases) {
				t.Errorf("aliases of %s = %v, want %v", c.target, found.Aliases, c.aliases)
			}
			for name, v := range c.perHost {
				f, ok := targetFact(r, c.target, name)
				if !ok || !sameValue(f.Value, v) {
					t.Errorf("%s of %s = %#v, want %#v", name, c.target, f.Value, v)
				}
			}
		})
	}
}

func TestNmapGolden(t *testing.T) {
	for _, p := range samplesOf(t, "nmap-xml") {
		t.Run(filepath.Base(p), func(t *testing.T) {
			compareReadGolden(t, p, readSample(t, p))
		})
	}
}

// TestNmapEdgeCases runs the hand-made files of edge/.
func TestNmapEdgeCases(t *testing.T) {
	edge := func(n string) string { return filepath.Join(nmapDir, "edge", n) }
	t.Run("empty scan: no host up, nothing covered, complete", func(t *testing.T) {
		r, err := parseEdge(t, "nmap-xml", edge("empty.xml"))
		if err != nil {
			t.Fatal(err)
		}
		wantFacts(t, r, map[string]any{"network.hosts_up": 0, "scan.targets": []string{},
			"scan.complete": true, "network.open_ports": nil})
		if len(r.Covered) != 0 {
			t.Errorf("covered %v, want nothing: a down host proves nothing", r.Covered)
		}
	})
	t.Run("ping scan: a host up with no port scanned states no ports, not none", func(t *testing.T) {
		r, err := parseEdge(t, "nmap-xml", edge("ping-scan.xml"))
		if err != nil {
			t.Fatal(err)
		}
		wantFacts(t, r, map[string]any{"network.hosts_up": 2, "scan.targets": []string{"192.0.2.1", "192.0.2.2"},
			"network.open_ports": []int{22}, "network.insecure_services": []string{}})
		if _, ok := targetFact(r, "192.0.2.1", "network.open_ports"); ok {
			t.Error("192.0.2.1 had no port scanned, yet has open_ports")
		}
	})
	t.Run("nmap exited with an error", func(t *testing.T) {
		r, err := parseEdge(t, "nmap-xml", edge("error.xml"))
		if err != nil {
			t.Fatal(err)
		}
		wantFacts(t, r, map[string]any{"scan.complete": false,
			"scan.errors": []string{"Failed to open input file missing.txt for reading"}})
	})
	t.Run("no runstats: the scan did not finish", func(t *testing.T) {
		r, err := parseEdge(t, "nmap-xml", edge("no-runstats.xml"))
		if err != nil {
			t.Fatal(err)
		}
		wantFacts(t, r, map[string]any{"scan.complete": false, "scan.date": "2023-11-14T22:13:20Z",
			"scan.errors": []string{"no runstats: the scan did not finish"}})
	})
	t.Run("only open ports count; a service over TLS is not clear text", func(t *testing.T) {
		r, err := parseEdge(t, "nmap-xml", edge("states.xml"))
		if err != nil {
			t.Fatal(err)
		}
		wantFacts(t, r, map[string]any{
			"network.open_ports":        []int{80, 443, 990, 8443, 9999},
			"network.open_services":     []string{"http", "https", "ssl/ftp", "ssl/http"},
			"network.insecure_services": []string{"http"},
		})
	})
	for _, c := range []struct{ file, at, msg string }{
		{"truncated.xml", "/nmaprun/host[1]/ports", "ends inside <ports>"},
		{"bad-portid.xml", "/nmaprun/host[1]/ports/port[2]", `portid "http" is not a port number`},
		{"entity-bomb.xml", "/", "declares entities"},
	} {
		t.Run(c.file, func(t *testing.T) {
			_, err := parseEdge(t, "nmap-xml", edge(c.file))
			fe := asFactsError(t, err, "nmap-xml")
			if fe.At != c.at || !strings.Contains(fe.Error(), c.msg) {
				t.Errorf("error %q at %q, want %q at %q", fe, fe.At, c.msg, c.at)
			}
		})
	}
}

// TestNmapTruncatedAnywhere cuts a real file at many places: each cut is a
// *facts.Error with a place, never a partial read.
func TestNmapTruncatedAnywhere(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(nmapDir, "libnmap__dionaea_scan.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for n := 200; n < len(data)-20; n += 997 {
		_, err := Parse("nmap-xml", bytes.NewReader(data[:n]))
		if err == nil {
			t.Fatalf("cut at %d: read, want an error", n)
		}
		asFactsError(t, err, "nmap-xml")
	}
}

func TestNmapDetection(t *testing.T) {
	for _, p := range samplesOf(t, "nmap-xml") {
		if got := Detect(headOf(t, p)); got != "nmap-xml" {
			t.Errorf("%s detected as %q", p, got)
		}
	}
	for _, p := range otherFormatSamples(t, "nmap-xml") {
		if detectNmap(headOf(t, p)) {
			t.Errorf("%s, not nmap output, is detected as nmap", p)
		}
	}
	for _, s := range []string{`<?xml version="1.0"?><nmaprunx/>`, `<html><nmaprun/></html>`, `nmaprun`, ``,
		`<?xml version="1.0"?><nmaprun scanner="masscan" start="1700000000" version="1.3"><host/></nmaprun>`} {
		if detectNmap([]byte(s)) {
			t.Errorf("%q detected as nmap", s)
		}
	}
}

// TestNmapEntitiesNeverExpand: an entity of the document type is never
// expanded, whether or not the document type is declared.
func TestNmapEntitiesNeverExpand(t *testing.T) {
	for _, doc := range []string{
		`<nmaprun scanner="nmap"><host><status state="up"/><address addr="&lol;"/></host></nmaprun>`,
		"<!DOCTYPE nmaprun SYSTEM \"http://192.0.2.1/nmap.dtd\">\n<nmaprun scanner=\"nmap\"><runstats><hosts up=\"0\"/></runstats></nmaprun>",
	} {
		r, err := Parse("nmap-xml", strings.NewReader(doc))
		if err == nil {
			if f, ok := r.Fact("network.hosts_up"); !ok || f.Value != 0 {
				t.Errorf("%q: read %v", doc, r.Facts)
			}
			continue
		}
		asFactsError(t, err, "nmap-xml")
	}
}

func FuzzParseNmap(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(nmapDir, "*.xml"))
	edges, _ := filepath.Glob(filepath.Join(nmapDir, "edge", "*.xml"))
	for _, p := range append(paths, edges...) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse("nmap-xml", bytes.NewReader(data))
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) is not a *facts.Error", err, err)
			}
			return
		}
		requireVocabularyTypes(t, r)
	})
}

// TestNmapDetectionTextBefore: what comes before the first tag decides as
// the tokenizer would: white space of any kind, and references that stand
// for it, may come before <nmaprun>; any other text may not.
func TestNmapDetectionTextBefore(t *testing.T) {
	for s, want := range map[string]bool{
		"<nmaprun/>":                    true,
		"\r\n\t <nmaprun/>":             true,
		"\u00a0\u3000<nmaprun/>":        true,
		"&#32;&#x9;<nmaprun/>":          true,
		"\xef\xbb\xbf <nmaprun/>":       true,
		"&amp;<nmaprun/>":               false,
		"# scan\n<nmaprun/>":            false,
		"\x85<nmaprun/>":                false,
		strings.Repeat("a", HeadSize):   false,
		strings.Repeat(" ", HeadSize-2): false,
	} {
		if got := detectNmap([]byte(s)); got != want {
			t.Errorf("%.40q: detected as nmap %v, want %v", s, got, want)
		}
	}
}

// FuzzNmapBlankBeforeMarkup: the byte search never turns away a head the
// tokenizer's walk would read as nmap's.
func FuzzNmapBlankBeforeMarkup(f *testing.F) {
	for _, s := range []string{"<nmaprun/>", " &#32;<nmaprun/>", "x<nmaprun/>", "\u2028<nmaprun/>", "\r<!-- c -->\n<nmaprun/>"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, head []byte) {
		if !blankBeforeMarkup(head) && nmapRootOf(head) {
			t.Fatalf("%q: the walk finds <nmaprun>, the byte search turned it away", head)
		}
	})
}

// BenchmarkDetectText detects the format of a text file's head, as every
// evidence file that is no scan is detected while it is hashed.
func BenchmarkDetectText(b *testing.B) {
	head := []byte("# collected 2026-11-01\n" + strings.Repeat("key = value, another value\n", HeadSize/27))
	b.SetBytes(int64(len(head)))
	for b.Loop() {
		if f := Detect(head); f != "" {
			b.Fatalf("detected as %q", f)
		}
	}
}

// BenchmarkReadAllText reads the facts of a text file that states none, as
// evidence verify does for every such file it hashes.
func BenchmarkReadAllText(b *testing.B) {
	data := []byte("# collected 2026-11-01\n" + strings.Repeat("key = value, another value\n", 5000))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if r, err := ReadAll(bytes.NewReader(data)); r != nil || err != nil {
			b.Fatalf("read %v, %v", r, err)
		}
	}
}
