package facts

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The nmap reader walks the XML tokens once, keeping the open elements'
// names and positions (for XML paths), the host being read, and the hosts
// already read; nothing else of the file stays in memory.

// nmapFrame is one open element: its name and how many children of each
// name it has had so far, for XML paths with positions. The counts are a
// map, so that an element of many distinctly named children costs each
// child one look-up, not a walk over its elder siblings.
type nmapFrame struct {
	name     string
	children map[string]int
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
			if n := nr.stack[i-1].children[f.name]; n > 0 && (f.name == "host" || f.name == "port" || n > 1) {
				fmt.Fprintf(&b, "[%d]", n)
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
		if top.children == nil {
			top.children = map[string]int{}
		}
		top.children[name]++
		n = top.children[name]
	}
	if len(nr.stack) < cap(nr.stack) {
		// A fresh map rather than a cleared one: clearing a map that
		// once held many names costs its size every time.
		nr.stack = nr.stack[:len(nr.stack)+1]
		f := &nr.stack[len(nr.stack)-1]
		f.name, f.children = name, nil
	} else {
		nr.stack = append(nr.stack, nmapFrame{name: name})
	}
	return n
}

func xmlAttr(e xml.StartElement, name string) (string, bool) {
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
			if err := distinctAttrs(t); err != nil {
				return nr.fail(err)
			}
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
		nr.version, _ = xmlAttr(e, "version")
		nr.started, _ = xmlAttr(e, "start")
		if err := checkUnixAttr(nr.started); err != nil {
			return fmt.Errorf("start: %w", err)
		}
		if s, _ := xmlAttr(e, "scanner"); s != "" && s != "nmap" {
			return fmt.Errorf("scanner is %q, not nmap", s)
		}
	case "host":
		if depth != 2 {
			return nil
		}
		nr.hostCount++
		at := fmt.Sprintf("/nmaprun/host[%d]", nr.hostCount)
		nr.host = &nmapHost{at: at}
		if to, _ := xmlAttr(e, "timedout"); to == "true" {
			nr.host.errors = append(nr.host.errors, "host timed out (--host-timeout): its ports may be incomplete")
		}
	case "status":
		if nr.host != nil && depth == 3 {
			s, _ := xmlAttr(e, "state")
			nr.host.up = s == "up"
		}
	case "address":
		if nr.host != nil && depth == 3 {
			if a, _ := xmlAttr(e, "addr"); a != "" {
				nr.host.addrs = append(nr.host.addrs, a)
			}
		}
	case "hostname":
		if nr.host != nil && depth == 4 && nr.parent() == "hostnames" {
			if h, _ := xmlAttr(e, "name"); h != "" {
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
			id, _ := xmlAttr(e, "portid")
			p, err := strconv.Atoi(id)
			if err != nil || p < 0 || p > 65535 {
				return fmt.Errorf("portid %q is not a port number", id)
			}
			nr.port, nr.portState, nr.svc, nr.svcTunnel = p, "", "", ""
		}
	case "state":
		if nr.portAt != "" && depth == 5 {
			nr.portState, _ = xmlAttr(e, "state")
		}
	case "service":
		if nr.portAt != "" && depth == 5 {
			nr.svc, _ = xmlAttr(e, "name")
			nr.svcTunnel, _ = xmlAttr(e, "tunnel")
		}
	case "script":
		if nr.host != nil && nr.scriptDepth == 0 {
			id, _ := xmlAttr(e, "id")
			nr.scriptDepth, nr.vulners = depth, id == "vulners"
		}
	case "table":
		if nr.scriptDepth > 0 && !nr.vulners && depth == nr.scriptDepth+1 {
			nr.vtDepth, nr.vtState, nr.vtIDs = depth, "", nr.vtIDs[:0]
		} else if nr.vtDepth > 0 && depth == nr.vtDepth+1 {
			k, _ := xmlAttr(e, "key")
			nr.vtInIDs = k == "ids"
		}
	case "elem":
		k, _ := xmlAttr(e, "key")
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
			t, _ := xmlAttr(e, "time")
			if t != "" {
				if _, err := strconv.ParseInt(t, 10, 64); err != nil {
					return fmt.Errorf("finish time %q is not a Unix time", t)
				}
				if err := checkUnixAttr(t); err != nil {
					return fmt.Errorf("finish time: %w", err)
				}
			}
			nr.finished = t
			if x, _ := xmlAttr(e, "exit"); x == "error" {
				msg, _ := xmlAttr(e, "errormsg")
				if msg == "" {
					msg = "nmap exited with an error"
				}
				nr.fileErrors = append(nr.fileErrors, msg)
			} else if msg, _ := xmlAttr(e, "errormsg"); msg != "" {
				nr.fileErrors = append(nr.fileErrors, msg)
			}
		}
	case "hosts":
		if depth == 3 && nr.parent() == "runstats" {
			nr.sawRunstats = true
			up, _ := xmlAttr(e, "up")
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
			if cveOrGHSA.MatchString(text) {
				nr.host.vulns = append(nr.host.vulns, text)
			}
		case "state":
			nr.vtState = text
		case "vuln-id":
			if id, ok := strings.CutPrefix(text, "CVE:"); ok && cveOrGHSA.MatchString(id) {
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
				h.services = appendDistinct(h.services, &h.seenServices, svc)
				if !tls && nmapClearText[nr.svc] {
					h.insecure = appendDistinct(h.insecure, &h.seenInsecure, nr.svc)
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

// checkUnixAttr refuses a Unix time attribute past year 9999; one that is
// no number is left to the reader of the date, as before.
func checkUnixAttr(v string) error {
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		_, err := unixTime(s)
		return err
	}
	return nil
}

// distinctAttrs refuses an element that names an attribute twice: XML
// forbids it (a well-formedness rule encoding/xml does not check), and a
// reader taking either value would read a port as open that the file also
// calls closed.
func distinctAttrs(e xml.StartElement) error {
	if len(e.Attr) < 2 {
		return nil
	}
	if len(e.Attr) <= 8 {
		// nmap's elements carry a few attributes: compare them pairwise
		// rather than allocate a map for each element.
		for i, a := range e.Attr {
			for _, b := range e.Attr[:i] {
				if a.Name == b.Name {
					return fmt.Errorf("attribute %q given twice", a.Name.Local)
				}
			}
		}
		return nil
	}
	seen := make(map[xml.Name]bool, len(e.Attr))
	for _, a := range e.Attr {
		if seen[a.Name] {
			name := a.Name.Local
			if a.Name.Space != "" {
				name = a.Name.Space + " " + name
			}
			return fmt.Errorf("attribute %q given twice", name)
		}
		seen[a.Name] = true
	}
	return nil
}
