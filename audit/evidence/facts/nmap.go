package facts

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// nmap reads Nmap XML (-oX). Each host the file shows up is a target,
// named by its first host name (the one given on the command line comes
// first) or else its first address; every address and host name is an
// alias. Hosts that are down are not covered: a host that did not answer
// proves nothing about its ports.
//
// The file is read token by token with encoding/xml, which expands no
// entity but the five predefined ones and fetches nothing; a document type
// that declares entities is refused outright, as nmap never writes one.
var nmap = parser{id: nmapID, name: "Nmap XML (-oX)",
	detect: detectNmap,
	parse:  parseNmap,
	yields: []string{"network.hosts_up", "network.open_ports", "network.open_services",
		"network.insecure_services", "scan.date", "scan.tool", "scan.targets",
		"scan.errors", "scan.complete", "scan.vulnerability_ids"}}

// nmapClearText are the services that carry their traffic, credentials
// included, in clear text whenever nmap does not report them tunnelled
// over TLS (tunnel="ssl"): telnet, ftp, plain HTTP (nmap also names it
// http-alt and http-proxy), the BSD r-services (nmap's login, shell and
// exec: rlogin, rsh, rexec) and tftp. The list is kept short on purpose:
// smtp, pop3, imap and ldap are left out because they may upgrade to TLS
// with STARTTLS, which a port's service name does not show, and a
// clear-text verdict must never rest on a guess.
var nmapClearText = map[string]bool{
	"telnet": true, "ftp": true, "http": true, "http-alt": true, "http-proxy": true,
	"login": true, "shell": true, "exec": true, "tftp": true,
}

const nmapID = "nmap-xml"

// nmapMaxDepth bounds element nesting; nmap's own output nests less than
// ten deep, and a deeper document is not nmap's.
const nmapMaxDepth = 256

// vulnID matches the ids scan.vulnerability_ids keeps.
var vulnID = regexp.MustCompile(`^(CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3})$`)

func detectNmap(head []byte) bool {
	dec := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))))
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			// masscan writes <nmaprun scanner="masscan">: not nmap's
			// scan, and not read as one.
			s, ok := attr(t, "scanner")
			return t.Name.Local == "nmaprun" && (!ok || s == "nmap")
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return false
			}
		}
	}
}

// nmapHost gathers what the file says about one host.
type nmapHost struct {
	at       string // the host element, /nmaprun/host[i]
	portsAt  string
	up       bool
	names    []string // host names, in file order
	addrs    []string
	ports    []int
	services []string
	insecure []string
	vulns    []string
	errors   []string
}

func (h *nmapHost) name() string {
	if len(h.names) > 0 {
		return h.names[0]
	}
	if len(h.addrs) > 0 {
		return h.addrs[0]
	}
	return ""
}

// nmapFrame is one open element: its name and how many children of each
// name it has had so far, for XML paths with positions.
type nmapFrame struct {
	name     string
	children []nmapCount
}

type nmapCount struct {
	name string
	n    int
}

// nmapReader holds the state of one read.
type nmapReader struct {
	dec   *xml.Decoder
	stack []nmapFrame
	read  *Read

	version, started, finished string
	runstatsUp, upHosts        int
	sawRunstats                bool
	fileErrors                 []string

	hostCount int
	host      *nmapHost
	hosts     []*nmapHost
	byName    map[string]*nmapHost

	// inside a port: its number, state and service
	port                      int
	portState, svc, svcTunnel string
	portAt                    string
	// inside a script: its depth, whether it is vulners; the element
	// whose text is being kept, and why; the vulns-library table being
	// read (its depth, state and ids)
	scriptDepth int
	vulners     bool
	textDepth   int
	textKind    string
	text        []byte
	vtDepth     int
	vtState     string
	vtIDs       []string
	vtInIDs     bool
}

func parseNmap(r io.Reader) (*Read, error) {
	nr := &nmapReader{dec: xml.NewDecoder(r), read: &Read{}, byName: map[string]*nmapHost{}}
	nr.dec.Strict = true
	if err := nr.run(); err != nil {
		return nil, err
	}
	return nr.finish(), nil
}

// fail wraps err as an *Error at the element being read.
func (nr *nmapReader) fail(err error) error {
	line, _ := nr.dec.InputPos()
	return &Error{Format: nmapID, At: nr.path(), Line: line, Offset: nr.dec.InputOffset(), Err: err}
}

// path is the XML path of the open element, with positions where an
// element has siblings of its name.
func (nr *nmapReader) path() string {
	var b strings.Builder
	for i, f := range nr.stack {
		b.WriteByte('/')
		b.WriteString(f.name)
		if i > 0 {
			for _, c := range nr.stack[i-1].children {
				if c.name == f.name && (f.name == "host" || f.name == "port" || c.n > 1) {
					fmt.Fprintf(&b, "[%d]", c.n)
				}
			}
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

func (nr *nmapReader) push(name string) int {
	n := 1
	if len(nr.stack) > 0 {
		top := &nr.stack[len(nr.stack)-1]
		found := false
		for i := range top.children {
			if top.children[i].name == name {
				top.children[i].n++
				n = top.children[i].n
				found = true
				break
			}
		}
		if !found {
			top.children = append(top.children, nmapCount{name, 1})
		}
	}
	if len(nr.stack) < cap(nr.stack) {
		nr.stack = nr.stack[:len(nr.stack)+1]
		f := &nr.stack[len(nr.stack)-1]
		f.name, f.children = name, f.children[:0]
	} else {
		nr.stack = append(nr.stack, nmapFrame{name: name})
	}
	return n
}

func attr(e xml.StartElement, name string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}

func (nr *nmapReader) run() error {
	sawRoot := false
	for {
		tok, err := nr.dec.Token()
		if errors.Is(err, io.EOF) {
			if !sawRoot {
				return nr.fail(errors.New("no nmaprun element"))
			}
			return nil
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF") {
				return nr.fail(fmt.Errorf("the file ends inside <%s>: %w", nr.top(), io.ErrUnexpectedEOF))
			}
			return nr.fail(err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.Contains(t, []byte("ENTITY")) || bytes.Contains(t, []byte("[")) {
				return nr.fail(errors.New("the document type declares entities or an internal subset, which nmap never writes"))
			}
		case xml.StartElement:
			if len(nr.stack) == 0 {
				if sawRoot {
					return nr.fail(errors.New("a second root element"))
				}
				if t.Name.Local != "nmaprun" {
					return nr.fail(fmt.Errorf("root element is <%s>, not <nmaprun>", t.Name.Local))
				}
				sawRoot = true
			}
			if len(nr.stack) >= nmapMaxDepth {
				return nr.fail(fmt.Errorf("elements nest deeper than %d", nmapMaxDepth))
			}
			n := nr.push(t.Name.Local)
			if err := nr.start(t, n); err != nil {
				return nr.fail(err)
			}
		case xml.EndElement:
			if err := nr.end(t.Name.Local); err != nil {
				return nr.fail(err)
			}
			nr.stack = nr.stack[:len(nr.stack)-1]
		case xml.CharData:
			if nr.textDepth > 0 && len(nr.text) < 64 {
				nr.text = append(nr.text, t[:min(len(t), 64-len(nr.text))]...)
			}
		}
	}
}

// keepText starts keeping the text of the element just opened.
func (nr *nmapReader) keepText(depth int, kind string) {
	nr.textDepth, nr.textKind, nr.text = depth, kind, nr.text[:0]
}

func (nr *nmapReader) top() string {
	if len(nr.stack) == 0 {
		return "nmaprun"
	}
	return nr.stack[len(nr.stack)-1].name
}

// parent is the name of the element enclosing the one just opened.
func (nr *nmapReader) parent() string {
	if len(nr.stack) < 2 {
		return ""
	}
	return nr.stack[len(nr.stack)-2].name
}

func (nr *nmapReader) start(e xml.StartElement, n int) error {
	depth := len(nr.stack)
	switch e.Name.Local {
	case "nmaprun":
		if depth != 1 {
			return nil
		}
		nr.version, _ = attr(e, "version")
		nr.started, _ = attr(e, "start")
		if s, _ := attr(e, "scanner"); s != "" && s != "nmap" {
			return fmt.Errorf("scanner is %q, not nmap", s)
		}
	case "host":
		if depth != 2 {
			return nil
		}
		nr.hostCount++
		at := fmt.Sprintf("/nmaprun/host[%d]", nr.hostCount)
		nr.host = &nmapHost{at: at}
		if to, _ := attr(e, "timedout"); to == "true" {
			nr.host.errors = append(nr.host.errors, "host timed out (--host-timeout): its ports may be incomplete")
		}
	case "status":
		if nr.host != nil && depth == 3 {
			s, _ := attr(e, "state")
			nr.host.up = s == "up"
		}
	case "address":
		if nr.host != nil && depth == 3 {
			if a, _ := attr(e, "addr"); a != "" {
				nr.host.addrs = append(nr.host.addrs, a)
			}
		}
	case "hostname":
		if nr.host != nil && depth == 4 && nr.parent() == "hostnames" {
			if h, _ := attr(e, "name"); h != "" {
				nr.host.names = append(nr.host.names, h)
			}
		}
	case "ports":
		if nr.host != nil && depth == 3 {
			nr.host.portsAt = nr.host.at + "/ports"
		}
	case "port":
		if nr.host != nil && depth == 4 && nr.parent() == "ports" {
			nr.portAt = fmt.Sprintf("%s/ports/port[%d]", nr.host.at, n)
			id, _ := attr(e, "portid")
			p, err := strconv.Atoi(id)
			if err != nil || p < 0 || p > 65535 {
				return fmt.Errorf("portid %q is not a port number", id)
			}
			nr.port, nr.portState, nr.svc, nr.svcTunnel = p, "", "", ""
		}
	case "state":
		if nr.portAt != "" && depth == 5 {
			nr.portState, _ = attr(e, "state")
		}
	case "service":
		if nr.portAt != "" && depth == 5 {
			nr.svc, _ = attr(e, "name")
			nr.svcTunnel, _ = attr(e, "tunnel")
		}
	case "script":
		if nr.host != nil && nr.scriptDepth == 0 {
			id, _ := attr(e, "id")
			nr.scriptDepth, nr.vulners = depth, id == "vulners"
		}
	case "table":
		if nr.scriptDepth > 0 && !nr.vulners && depth == nr.scriptDepth+1 {
			nr.vtDepth, nr.vtState, nr.vtIDs = depth, "", nr.vtIDs[:0]
		} else if nr.vtDepth > 0 && depth == nr.vtDepth+1 {
			k, _ := attr(e, "key")
			nr.vtInIDs = k == "ids"
		}
	case "elem":
		k, _ := attr(e, "key")
		switch {
		case nr.vulners && k == "id":
			nr.keepText(depth, "vulners-id")
		case nr.vtDepth > 0 && depth == nr.vtDepth+1 && k == "state":
			nr.keepText(depth, "state")
		case nr.vtDepth > 0 && depth == nr.vtDepth+2 && k == "" && nr.vtInIDs:
			nr.keepText(depth, "vuln-id")
		}
	case "finished":
		if depth == 3 && nr.parent() == "runstats" {
			t, _ := attr(e, "time")
			if t != "" {
				if _, err := strconv.ParseInt(t, 10, 64); err != nil {
					return fmt.Errorf("finish time %q is not a Unix time", t)
				}
			}
			nr.finished = t
			if x, _ := attr(e, "exit"); x == "error" {
				msg, _ := attr(e, "errormsg")
				if msg == "" {
					msg = "nmap exited with an error"
				}
				nr.fileErrors = append(nr.fileErrors, msg)
			} else if msg, _ := attr(e, "errormsg"); msg != "" {
				nr.fileErrors = append(nr.fileErrors, msg)
			}
		}
	case "hosts":
		if depth == 3 && nr.parent() == "runstats" {
			nr.sawRunstats = true
			up, _ := attr(e, "up")
			u, err := strconv.Atoi(up)
			if err != nil || u < 0 {
				return fmt.Errorf("hosts up %q is not a count", up)
			}
			nr.runstatsUp = u
		}
	}
	return nil
}

func (nr *nmapReader) end(name string) error {
	depth := len(nr.stack)
	switch {
	case name == "elem" && depth == nr.textDepth:
		text := strings.TrimSpace(string(nr.text))
		switch nr.textKind {
		case "vulners-id":
			if vulnID.MatchString(text) {
				nr.host.vulns = append(nr.host.vulns, text)
			}
		case "state":
			nr.vtState = text
		case "vuln-id":
			if id, ok := strings.CutPrefix(text, "CVE:"); ok && vulnID.MatchString(id) {
				nr.vtIDs = append(nr.vtIDs, id)
			}
		}
		nr.textDepth = 0
	case name == "table" && nr.vtDepth > 0 && depth == nr.vtDepth+1:
		nr.vtInIDs = false
	case name == "table" && depth == nr.vtDepth:
		// The vulns library says VULNERABLE, LIKELY VULNERABLE or
		// VULNERABLE (DoS|Exploitable); NOT VULNERABLE is not a finding.
		if strings.HasPrefix(nr.vtState, "VULNERABLE") || strings.HasPrefix(nr.vtState, "LIKELY VULNERABLE") {
			nr.host.vulns = append(nr.host.vulns, nr.vtIDs...)
		}
		nr.vtDepth = 0
	case name == "script" && depth == nr.scriptDepth:
		nr.scriptDepth, nr.vulners = 0, false
	case name == "port" && nr.portAt != "" && depth == 4:
		if nr.portState == "open" {
			h := nr.host
			h.ports = append(h.ports, nr.port)
			if nr.svc != "" {
				svc := nr.svc
				tls := nr.svcTunnel == "ssl"
				if tls && svc != "https" {
					svc = "ssl/" + svc
				}
				h.services = appendNew(h.services, svc)
				if !tls && nmapClearText[nr.svc] {
					h.insecure = appendNew(h.insecure, nr.svc)
				}
			}
		}
		nr.portAt = ""
	case name == "host" && depth == 2 && nr.host != nil:
		nr.closeHost()
	}
	return nil
}

// closeHost keeps a host that was up; a host named twice (scanned twice,
// or by two addresses with one name) is one target with both its findings.
func (nr *nmapReader) closeHost() {
	h := nr.host
	nr.host = nil
	if !h.up || h.name() == "" {
		return
	}
	if prev, ok := nr.byName[h.name()]; ok {
		prev.names = append(prev.names, h.names...)
		prev.addrs = append(prev.addrs, h.addrs...)
		prev.ports = append(prev.ports, h.ports...)
		prev.services = append(prev.services, h.services...)
		prev.insecure = append(prev.insecure, h.insecure...)
		prev.vulns = append(prev.vulns, h.vulns...)
		prev.errors = append(prev.errors, h.errors...)
		if prev.portsAt == "" {
			prev.portsAt = h.portsAt
		}
		nr.upHosts++
		return
	}
	nr.byName[h.name()] = h
	nr.hosts = append(nr.hosts, h)
	nr.upHosts++
}

func (nr *nmapReader) finish() *Read {
	r := nr.read
	r.Tool = strings.TrimSpace("nmap " + nr.version)
	if nr.version != "" {
		r.Facts = append(r.Facts, Fact{Name: "scan.tool", Value: r.Tool, At: "/nmaprun/@version"})
	} else {
		r.Facts = append(r.Facts, Fact{Name: "scan.tool", Value: r.Tool, At: "/nmaprun"})
	}
	if d, at := nr.date(); d != "" {
		r.Facts = append(r.Facts, Fact{Name: "scan.date", Value: d, At: at})
	}
	r.Facts = append(r.Facts, Fact{Name: "network.hosts_up", Value: nr.upHosts, At: "/nmaprun"})

	errs := nr.fileErrors
	if !nr.sawRunstats {
		errs = append(errs, "no runstats: the scan did not finish")
	} else if nr.runstatsUp != nr.upHosts {
		errs = append(errs, fmt.Sprintf("runstats says %d hosts up, but the file holds %d", nr.runstatsUp, nr.upHosts))
	}
	for _, h := range nr.hosts {
		name := h.name()
		at := h.portsAt
		if at == "" {
			at = h.at
		}
		add := func(n string, v any, at string) {
			r.Targets = append(r.Targets, Fact{Name: n, Value: v, At: at, Target: name})
		}
		// A host without a ports element had no port scanned (a ping
		// scan, -sn): it says nothing about open ports, not "none".
		if h.portsAt != "" {
			add("network.open_ports", SortedInts(nonNil(h.ports)), at)
			add("network.open_services", SortedList(nonNil(h.services)), at)
			add("network.insecure_services", SortedList(nonNil(h.insecure)), at)
		}
		if len(h.vulns) > 0 {
			add("scan.vulnerability_ids", SortedList(h.vulns), at)
		}
		if len(h.errors) > 0 {
			add("scan.errors", SortedList(h.errors), h.at)
			for _, e := range SortedList(h.errors) {
				errs = append(errs, name+": "+e)
			}
		}
		add("scan.complete", len(h.errors) == 0, h.at)
		var aliases []string
		for _, a := range append(append([]string{}, h.names...), h.addrs...) {
			if a != name {
				aliases = append(aliases, a)
			}
		}
		r.Covered = append(r.Covered, Target{Name: name, Aliases: SortedList(aliases)})
	}
	// The whole file's port facts are every scanned host's, stated here so
	// that none open reads as an empty list.
	var ports []int
	var services, insecure []string
	var from []Fact
	for _, h := range nr.hosts {
		if h.portsAt != "" {
			from = append(from, Fact{At: h.portsAt})
			ports = append(ports, h.ports...)
			services = append(services, h.services...)
			insecure = append(insecure, h.insecure...)
		}
	}
	if len(from) > 0 {
		at := commonAt(from)
		r.Facts = append(r.Facts,
			Fact{Name: "network.open_ports", Value: SortedInts(nonNil(ports)), At: at},
			Fact{Name: "network.open_services", Value: SortedList(nonNil(services)), At: at},
			Fact{Name: "network.insecure_services", Value: SortedList(nonNil(insecure)), At: at})
	}
	if len(errs) > 0 {
		r.Facts = append(r.Facts, Fact{Name: "scan.errors", Value: SortedList(errs), At: "/nmaprun/runstats"})
	}
	r.Facts = append(r.Facts, Fact{Name: "scan.complete", Value: len(errs) == 0, At: "/nmaprun/runstats"})
	if len(nr.hosts) == 0 {
		r.Facts = append(r.Facts, Fact{Name: "scan.targets", Value: []string{}, At: "/nmaprun"})
	}
	return r
}

// date is when the scan finished, else when it started, in UTC.
func (nr *nmapReader) date() (string, string) {
	for _, c := range []struct{ v, at string }{
		{nr.finished, "/nmaprun/runstats/finished/@time"},
		{nr.started, "/nmaprun/@start"},
	} {
		if s, err := strconv.ParseInt(c.v, 10, 64); err == nil && s > 0 {
			return time.Unix(s, 0).UTC().Format(time.RFC3339), c.at
		}
	}
	return "", ""
}

// appendNew appends v unless s holds it: a host's services are few, its
// ports many, and only the distinct ones are facts.
func appendNew(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
