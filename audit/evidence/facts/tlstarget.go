package facts

import (
	"net"
	"slices"
	"strings"
	"time"
)

// tlsTarget gathers what a TLS scanner said about one host:port while its
// file streams past; facts() turns it into per-target facts once the whole
// file (and so the scan time, which may come last) has been read.
type tlsTarget struct {
	host, ip, port string
	at             string // pointer of the target's own object, or of its first entry

	// protocols maps each accepted version to where the file says so;
	// protocolsAt is where the protocol tests are, set once any was read;
	// tried holds every version the tool tested, accepted or refused.
	protocols   map[string]string
	protocolsAt string
	tried       map[string]bool

	// weakAt is where an accepted weak suite was seen; ciphersAt where a
	// complete cipher test was, without which "no weak suite" is not a
	// claim the file makes.
	weakAt, ciphersAt string

	// certs are the server (leaf) certificates, one per deployment.
	certs []tlsCert

	errors      []string
	errorsAt    string
	errorSeen   map[string]bool // what errors holds, for one look-up per error
	unreachable bool

	// severities counts testssl's own ratings, by fact name.
	severities   map[string]int
	severitiesAt string
}

// tlsCert is one server certificate: its expiry, and what the tool said of
// its validity.
type tlsCert struct {
	notAfter   time.Time
	notAfterAt string
	expired    *bool
	expiredAt  string
	trusted    *bool
	trustedAt  string
}

func (t *tlsTarget) offer(version, at string) {
	if t.protocols == nil {
		t.protocols = map[string]string{}
	}
	t.try(version)
	if _, ok := t.protocols[version]; !ok {
		t.protocols[version] = at
	}
}

// tested records that the tool tested version, at the protocol tests'
// place, whether or not the server accepted it.
func (t *tlsTarget) tested(version, at string) {
	if t.protocolsAt == "" {
		t.protocolsAt = at
	}
	t.try(version)
}

func (t *tlsTarget) try(version string) {
	if t.tried == nil {
		t.tried = map[string]bool{}
	}
	t.tried[version] = true
}

// allVersions are the SSL/TLS versions a scan may test, lowest first.
var allVersions = []string{"SSLv2", "SSLv3", "1.0", "1.1", "1.2", "1.3"}

// untried lists the versions the tool never tested, lowest first.
func (t *tlsTarget) untried() []string {
	var out []string
	for _, v := range allVersions {
		if !t.tried[v] {
			out = append(out, v)
		}
	}
	return out
}

// triedBelow reports whether every version below v was tested, and so
// shown refused or accepted: only then is v the lowest accepted.
func (t *tlsTarget) triedBelow(v string) bool {
	for _, o := range allVersions {
		if CompareVersions(o, v) < 0 && !t.tried[o] {
			return false
		}
	}
	return true
}

// triedAbove is triedBelow for the versions above v.
func (t *tlsTarget) triedAbove(v string) bool {
	for _, o := range allVersions {
		if CompareVersions(o, v) > 0 && !t.tried[o] {
			return false
		}
	}
	return true
}

func (t *tlsTarget) fail(msg, at string) {
	if msg = strings.TrimSpace(msg); msg == "" {
		msg = "error"
	}
	if t.errorSeen == nil {
		t.errorSeen = map[string]bool{}
	}
	if !t.errorSeen[msg] {
		t.errorSeen[msg] = true
		t.errors = append(t.errors, msg)
	}
	if t.errorsAt == "" {
		t.errorsAt = at
	}
}

// name is the target's primary name: the host name where the file gives
// one, else the address, with the port.
func (t *tlsTarget) name() string {
	host := t.host
	if host == "" {
		host = t.ip
	}
	if t.port == "" {
		return host
	}
	return net.JoinHostPort(host, t.port)
}

// covered names the target with every other name the file gives it.
func (t *tlsTarget) covered() Target {
	name := t.name()
	var aliases []string
	add := func(a string) {
		if a != "" && a != name && !slices.Contains(aliases, a) {
			aliases = append(aliases, a)
		}
	}
	add(t.host)
	add(t.ip)
	if t.ip != "" && t.port != "" {
		add(net.JoinHostPort(t.ip, t.port))
	}
	slices.Sort(aliases)
	return Target{Name: name, Aliases: aliases}
}

// message prefixes a tool's message with the target it is about, unless
// the message names it already.
func (t *tlsTarget) message(msg string) string {
	name := t.name()
	if name == "" || strings.Contains(msg, name) {
		return msg
	}
	return name + ": " + msg
}

// facts are the per-target facts. scanned is when the scan ran (zero when
// the file does not say), against which a certificate's expiry is judged
// where the tool did not judge it itself.
func (t *tlsTarget) facts(scanned time.Time) []Fact {
	name := t.name()
	var out []Fact
	add := func(n string, v any, at string) {
		out = append(out, Fact{Name: n, Value: v, At: tlsPointer(at), Target: name})
	}
	// A lowest version is a claim that every older one was tried and
	// refused, a highest one that every newer one was, and a list of the
	// accepted versions that every version was tried: a file that never
	// tested a version makes none of these claims about it, and says
	// which it left untested instead.
	if t.protocolsAt != "" || len(t.protocols) > 0 {
		var versions []string
		for v := range t.protocols {
			versions = append(versions, v)
		}
		versions = SortedVersions(versions)
		at := t.protocolsAt
		if at == "" {
			at = t.protocols[versions[0]]
		}
		untried := t.untried()
		if len(untried) == 0 {
			add("tls.protocols_offered", versions, at)
		} else {
			add("tls.protocols_untested", untried, at)
		}
		if len(versions) > 0 {
			lo, hi := versions[0], versions[len(versions)-1]
			if t.triedBelow(lo) {
				add("tls.min_version", lo, t.protocols[lo])
			}
			if t.triedAbove(hi) {
				add("tls.max_version", hi, t.protocols[hi])
			}
		}
	} else {
		add("tls.protocols_untested", slices.Clone(allVersions), t.at)
	}
	switch {
	case t.weakAt != "":
		add("tls.weak_ciphers_offered", true, t.weakAt)
	case t.ciphersAt != "":
		add("tls.weak_ciphers_offered", false, t.ciphersAt)
	}
	if len(t.certs) > 0 {
		certFacts(t.certs, scanned, add)
	}
	if len(t.errors) > 0 {
		add("scan.errors", SortedList(t.errors), t.errorsAt)
	}
	add("scan.complete", len(t.errors) == 0, t.at)
	if t.severities != nil {
		for _, n := range []string{"scan.critical_open", "scan.high_open", "scan.medium_open", "scan.low_open"} {
			add(n, t.severities[n], t.severitiesAt)
		}
		total := 0
		for _, n := range t.severities {
			total += n
		}
		add("scan.findings_open", total, t.severitiesAt)
	}
	return out
}

// certFacts states, over every server certificate of a target, the
// earliest expiry, whether any had expired, and whether all validated.
func certFacts(certs []tlsCert, scanned time.Time, add func(string, any, string)) {
	first := -1
	for i, c := range certs {
		if !c.notAfter.IsZero() && (first < 0 || c.notAfter.Before(certs[first].notAfter)) {
			first = i
		}
	}
	if first >= 0 {
		add("tls.cert_not_after", certs[first].notAfter.Format(time.DateOnly), certs[first].notAfterAt)
	}
	expired, expiredAt, judged := false, "", false
	for _, c := range certs {
		e, at := c.expired, c.expiredAt
		if e == nil && !c.notAfter.IsZero() && !scanned.IsZero() {
			v := c.notAfter.Before(scanned)
			e, at = &v, c.notAfterAt
		}
		if e == nil {
			continue
		}
		if !judged || (*e && !expired) {
			expiredAt = at
		}
		judged = true
		expired = expired || *e
	}
	if judged {
		add("tls.cert_expired", expired, expiredAt)
	}
	trusted, trustedAt, judged := true, "", false
	for _, c := range certs {
		if c.trusted == nil {
			continue
		}
		if !judged || (!*c.trusted && trusted) {
			trustedAt = c.trustedAt
		}
		judged = true
		trusted = trusted && *c.trusted
	}
	if judged {
		add("tls.cert_trusted", trusted, trustedAt)
	}
}

// tlsFile is what a TLS scan file says as a whole: the tool, when, and the
// targets in the order the file gives them.
type tlsFile struct {
	tool    string
	toolAt  string
	scanned time.Time
	dateAt  string
	targets []*tlsTarget
	// errors are the tool's errors not tied to a target it reached.
	errors   []string
	errorsAt string
	// errorSeen holds what errors holds, for one look-up per error.
	errorSeen map[string]bool
}

func (f *tlsFile) fail(msg, at string) {
	msg = strings.TrimSpace(msg)
	if f.errorSeen == nil {
		f.errorSeen = map[string]bool{}
	}
	if !f.errorSeen[msg] {
		f.errorSeen[msg] = true
		f.errors = append(f.errors, msg)
	}
	if f.errorsAt == "" {
		f.errorsAt = at
	}
}

// read turns the file into a Read. A target the tool could not reach is
// not covered and yields no TLS facts: only its error, at file level. The
// file's scan.errors and scan.complete are stated here, over every target
// and every error the file reports, so that a file with no target reached
// never reads as a complete scan.
func (f *tlsFile) read() *Read {
	r := &Read{Tool: f.tool}
	errs := slices.Clone(f.errors)
	errsAt := f.errorsAt
	reached := 0
	for _, t := range f.targets {
		for _, e := range t.errors {
			errs = append(errs, t.message(e))
		}
		if len(t.errors) > 0 && errsAt == "" {
			errsAt = t.errorsAt
		}
		if t.unreachable {
			continue
		}
		reached++
		r.Covered = append(r.Covered, t.covered())
		r.Targets = append(r.Targets, t.facts(f.scanned)...)
	}
	if reached == 0 && len(errs) == 0 {
		errs = append(errs, "the file holds no scan result")
	}
	r.Facts = append(r.Facts, Fact{Name: "scan.tool", Value: f.tool, At: tlsPointer(f.toolAt)})
	if !f.scanned.IsZero() {
		r.Facts = append(r.Facts, Fact{Name: "scan.date", Value: f.scanned.UTC().Format(time.RFC3339), At: f.dateAt})
	}
	errs = SortedList(errs)
	if errs == nil {
		errs = []string{}
	}
	r.Facts = append(r.Facts,
		Fact{Name: "scan.errors", Value: errs, At: tlsPointer(errsAt)},
		Fact{Name: "scan.complete", Value: len(errs) == 0, At: tlsPointer(errsAt)})
	if r.Covered == nil {
		r.Facts = append(r.Facts, Fact{Name: "scan.targets", Value: []string{}, At: "/"})
	}
	return r
}

// weakSuite reports whether a cipher suite name (IANA, OpenSSL or a
// testssl listing line holding both) is NULL, anonymous, EXPORT, DES, RC2,
// RC4, 3DES or IDEA. Names are split into their parts, so that "DES"
// matches DES-CBC3-SHA and TLS_RSA_WITH_DES_CBC_SHA but nothing strong.
func weakSuite(name string) bool {
	for _, part := range strings.FieldsFunc(strings.ToUpper(name), func(r rune) bool {
		return r == '-' || r == '_' || r == ' ' || r == '\t' || r == ',' || r == '(' || r == ')'
	}) {
		switch {
		case strings.Contains(part, "NULL"), part == "ANON", part == "ADH", part == "AECDH",
			strings.HasPrefix(part, "EXP"), strings.Contains(part, "DES"),
			strings.HasPrefix(part, "RC2"), strings.HasPrefix(part, "RC4"), part == "IDEA":
			return true
		}
	}
	return false
}
