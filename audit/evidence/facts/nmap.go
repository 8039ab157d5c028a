package facts

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"regexp"
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

// cveOrGHSA matches the ids scan.vulnerability_ids keeps.
var cveOrGHSA = regexp.MustCompile(`^(CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3})$`)

func detectNmap(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	return blankBeforeMarkup(head) && nmapRootOf(head)
}

// blankBeforeMarkup reports whether the text before the first '<' of head
// may read as white space. Text with no reference in it is, line ends
// aside (white space either way), the character data that the tokenizer
// gives byte for byte, so when it is not blank [nmapRootOf] could only say
// no, after walking encoding/xml's byte-at-a-time text reader over as much
// as the whole head: most evidence is no XML at all, and this look costs
// a byte search instead.
func blankBeforeMarkup(head []byte) bool {
	text := head
	if i := bytes.IndexByte(head, '<'); i >= 0 {
		text = head[:i]
	}
	return bytes.IndexByte(text, '&') >= 0 || len(bytes.TrimSpace(text)) == 0
}

// nmapRootOf reports whether the first element of head, after nothing but
// white space, declarations and comments, is nmap's <nmaprun>.
func nmapRootOf(head []byte) bool {
	dec := xml.NewDecoder(bytes.NewReader(head))
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			// masscan writes <nmaprun scanner="masscan">: not nmap's
			// scan, and not read as one.
			s, ok := xmlAttr(t, "scanner")
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
	// seenServices and seenInsecure hold what services and insecure
	// hold, for one look-up per port.
	seenServices, seenInsecure map[string]bool
	errors                     []string
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
			add("network.open_ports", SortedInts(nonNilSlice(h.ports)), at)
			add("network.open_services", SortedList(nonNilSlice(h.services)), at)
			add("network.insecure_services", SortedList(nonNilSlice(h.insecure)), at)
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
			Fact{Name: "network.open_ports", Value: SortedInts(nonNilSlice(ports)), At: at},
			Fact{Name: "network.open_services", Value: SortedList(nonNilSlice(services)), At: at},
			Fact{Name: "network.insecure_services", Value: SortedList(nonNilSlice(insecure)), At: at})
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

// appendDistinct appends v unless s holds it, as seen (made on first use)
// tells: a host's ports are many and only the distinct services are facts,
// and a file may name a service of its own on every port.
func appendDistinct(s []string, seen *map[string]bool, v string) []string {
	if *seen == nil {
		*seen = map[string]bool{}
	}
	if (*seen)[v] {
		return s
	}
	(*seen)[v] = true
	return append(s, v)
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
