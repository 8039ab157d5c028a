package facts

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// testsslPretty reads testssl.sh JSON (--jsonfile-pretty): a header
// (version, startTime, scanTime) and one scanResult element per host:port,
// each holding its findings in sections (protocols, ciphers,
// serverDefaults, vulnerabilities, ...).
var testsslPretty = parser{id: "testssl-json-pretty", name: "testssl.sh JSON (--jsonfile-pretty)",
	detect: func(head []byte) bool {
		s, ok := shapeOf(head)
		return ok && !s.Array && s.Has("scanResult") && (s.Has("Invocation") || s.Has("startTime"))
	},
	parse:  parseTestsslPretty,
	yields: testsslYields}

// testsslFlat reads testssl.sh JSON (--jsonfile): one flat array of
// findings, each naming its host/address and port.
var testsslFlat = parser{id: "testssl-json", name: "testssl.sh JSON (--jsonfile)",
	detect: func(head []byte) bool {
		s, ok := shapeOf(head)
		return ok && s.Array && s.Has("id", "ip", "port", "severity", "finding")
	},
	parse:  parseTestsslFlat,
	yields: testsslYields}

var testsslYields = []string{
	"scan.tool", "scan.date", "scan.targets", "scan.errors", "scan.complete",
	"tls.protocols_offered", "tls.protocols_untested", "tls.min_version", "tls.max_version", "tls.weak_ciphers_offered",
	"tls.cert_not_after", "tls.cert_expired", "tls.cert_trusted",
	"scan.findings_open", "scan.critical_open", "scan.high_open", "scan.medium_open", "scan.low_open",
}

// testsslEntry is one finding, in either layout (the flat one adds ip and
// port to each).
type testsslEntry struct {
	ID       string `json:"id"`
	IP       string `json:"ip"`
	Port     string `json:"port"`
	Severity string `json:"severity"`
	Finding  string `json:"finding"`
}

func parseTestsslFlat(r io.Reader) (*Read, error) {
	s := newTLSStream("testssl-json", r)
	file := &tlsFile{tool: "testssl.sh", toolAt: "/"}
	byKey := map[string]*testsslTarget{}
	err := s.array("", func(i int, at string) error {
		var e testsslEntry
		if err := s.decode(at, &e); err != nil {
			return err
		}
		if e.IP == "" && e.Port == "" {
			if isTestsslProblem(e) {
				file.fail(e.Finding, at)
			}
			return nil
		}
		key := e.IP + "|" + e.Port
		t := byKey[key]
		if t == nil {
			t = &testsslTarget{}
			t.host, t.ip = splitTestsslIP(e.IP)
			t.port, t.at = e.Port, at
			byKey[key] = t
			file.targets = append(file.targets, &t.tlsTarget)
		}
		t.entry(e, at, at)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.end(); err != nil {
		return nil, err
	}
	return file.read(), nil
}

func parseTestsslPretty(r io.Reader) (*Read, error) {
	s := newTLSStream("testssl-json-pretty", r)
	file := &tlsFile{tool: "testssl.sh", toolAt: "/"}
	var start, took string
	err := s.object("", func(key, at string) error {
		switch key {
		case "version":
			v, err := s.scalar(at)
			if f := strings.Fields(v); len(f) > 0 {
				file.tool, file.toolAt = "testssl.sh "+f[0], at
			}
			return err
		case "startTime":
			v, err := s.scalar(at)
			start = v
			return err
		case "scanTime":
			v, err := s.scalar(at)
			took = v
			if _, perr := strconv.Atoi(v); perr != nil && v != "" {
				file.fail(v, at)
			}
			return err
		case "scanResult":
			return s.array(at, func(i int, at string) error {
				return prettyResult(s, file, at)
			})
		}
		return s.skip(at)
	})
	if err != nil {
		return nil, err
	}
	if err := s.end(); err != nil {
		return nil, err
	}
	if sec, err := strconv.ParseInt(start, 10, 64); err == nil && sec > 0 {
		t, err := unixTime(sec)
		if err != nil {
			return nil, &Error{Format: "testssl-json-pretty", At: "/startTime", Err: err}
		}
		file.scanned, file.dateAt = t, "/startTime"
		if d, err := strconv.ParseInt(took, 10, 64); err == nil && d > 0 {
			t, err := addSeconds(file.scanned, d)
			if err != nil {
				return nil, &Error{Format: "testssl-json-pretty", At: "/scanTime", Err: err}
			}
			file.scanned, file.dateAt = t, "/scanTime"
		}
	}
	return file.read(), nil
}

// prettyResult reads one scanResult element: a host:port with its
// sections, or a bare finding (a scanProblem) about no target reached.
func prettyResult(s *tlsStream, file *tlsFile, at string) error {
	t := &testsslTarget{}
	t.at = at
	t.severitiesAt = at
	var bare testsslEntry
	err := s.object(at, func(key, kat string) error {
		var err error
		switch key {
		case "targetHost", "target host":
			t.host, err = s.scalar(kat)
		case "ip":
			var ip string
			ip, err = s.scalar(kat)
			if h, a := splitTestsslIP(ip); a != "" {
				t.ip = a
				if t.host == "" && h != a {
					t.host = h
				}
			}
		case "port":
			t.port, err = s.scalar(kat)
		case "id":
			bare.ID, err = s.scalar(kat)
		case "severity":
			bare.Severity, err = s.scalar(kat)
		case "finding":
			bare.Finding, err = s.scalar(kat)
		default:
			return prettySection(s, t, kat)
		}
		return err
	})
	if err != nil {
		return err
	}
	if t.host == "" && t.ip == "" {
		if bare.ID != "" || bare.Finding != "" {
			file.fail(bare.Finding, at)
		}
		return nil
	}
	if bare.ID != "" {
		t.entry(bare, at, at)
	}
	file.targets = append(file.targets, &t.tlsTarget)
	return nil
}

// prettySection reads one section of findings; a key that holds anything
// but an array of findings (rDNS, service) is passed over.
func prettySection(s *tlsStream, t *testsslTarget, at string) error {
	tok, err := s.dec.Token()
	if err != nil {
		return s.fail(at, err)
	}
	switch tok {
	case json.Delim('['):
	case json.Delim('{'):
		if err := skipRest(s.dec); err != nil {
			return s.fail(at, err)
		}
		return nil
	default:
		return nil
	}
	for i := 0; s.dec.More(); i++ {
		eat := at + "/" + strconv.Itoa(i)
		var e testsslEntry
		if err := s.decode(eat, &e); err != nil {
			return err
		}
		t.entry(e, eat, at)
	}
	if _, err := s.dec.Token(); err != nil {
		return s.fail(at, err)
	}
	return nil
}

// testsslTarget is a target of either layout, with the server
// certificates seen so far by their testssl label ("", "<cert#1>",
// "<hostCert#2>").
type testsslTarget struct {
	tlsTarget
	certLabels []string
}

// testsslProtocols maps testssl's protocol test ids (3.x "TLS1_2", 2.9
// "tls1_2", both lowered here) to versions.
var testsslProtocols = map[string]string{
	"sslv2": "SSLv2", "sslv3": "SSLv3", "tls1": "1.0", "tls1_1": "1.1", "tls1_2": "1.2", "tls1_3": "1.3",
}

// testsslCipherProtocols maps the protocol part of per-protocol cipher ids
// (cipher-tls1_2_xc030) to versions.
var testsslCipherProtocols = map[string]string{
	"ssl2": "SSLv2", "ssl3": "SSLv3", "tls1": "1.0", "tls1_1": "1.1", "tls1_2": "1.2", "tls1_3": "1.3",
}

// testsslListProtocols maps the protocol part of per-protocol cipher list
// ids (supportedciphers_TLSv1_2, cipherorder_TLSv1_2) to versions.
var testsslListProtocols = map[string]string{
	"sslv2": "SSLv2", "sslv3": "SSLv3", "tlsv1": "1.0", "tlsv1_1": "1.1", "tlsv1_2": "1.2", "tlsv1_3": "1.3",
}

// cipherPerProto matches one accepted suite of a per-protocol listing
// (cipher-tls1_2_xc030) or of the all-ciphers listing (cipher_xc030).
var cipherPerProto = regexp.MustCompile(`^cipher(?:-(ssl2|ssl3|tls1|tls1_1|tls1_2|tls1_3))?_x[0-9a-f]+$`)

// testsslWeakLists are the cipher categories of testssl's standard
// cipher-list test (cipherlist_*, std_* before 3.0) that hold only weak
// suites in the vocabulary's sense.
var testsslWeakLists = map[string]bool{
	"null": true, "anull": true, "export": true, "low": true, "des": true,
	"3des": true, "3des_idea": true, "rc4": true,
}

// entry applies one finding. sectionAt is where the finding's section is
// (the entry itself in the flat layout).
func (t *testsslTarget) entry(e testsslEntry, at, sectionAt string) {
	id := strings.ToLower(strings.TrimSpace(e.ID))
	sev := strings.ToUpper(strings.TrimSpace(e.Severity))
	finding := strings.TrimSpace(e.Finding)
	low := strings.ToLower(finding)
	if t.at == "" {
		t.at = at
	}
	if t.severities == nil {
		t.severities = map[string]int{}
	}
	switch sev {
	case "CRITICAL", "HIGH", "MEDIUM", "LOW":
		t.severities["scan."+strings.ToLower(sev)+"_open"]++
	}
	switch {
	case isTestsslProblem(e):
		t.fail(finding, at)
		if sev == "FATAL" || id == "optimal_proto" {
			t.unreachable = true
		}
		return
	case id == "scantime":
		if _, err := strconv.Atoi(finding); err != nil && finding != "" {
			t.fail(finding, at)
		}
		return
	}
	if v, ok := testsslProtocols[id]; ok {
		offered, known := testsslOffered(low)
		if known {
			t.tested(v, sectionAt)
		} else {
			t.protocolsAt = cmp.Or(t.protocolsAt, sectionAt)
		}
		switch {
		case offered:
			t.offer(v, at)
		case !known:
			t.fail(fmt.Sprintf("%s: %s (protocol test inconclusive)", e.ID, finding), at)
		}
		return
	}
	if m := cipherPerProto.FindStringSubmatch(id); m != nil {
		t.ciphersAt = cmp.Or(t.ciphersAt, sectionAt)
		if strings.Contains(low, "not a/v") || strings.Contains(low, "not available") {
			return
		}
		if m[1] != "" {
			t.offer(testsslCipherProtocols[m[1]], at)
		}
		if weakSuite(finding) {
			t.weakAt = cmp.Or(t.weakAt, at)
		}
		return
	}
	for _, prefix := range []string{"supportedciphers_", "cipherorder_"} {
		if p, ok := strings.CutPrefix(id, prefix); ok {
			if v, ok := testsslListProtocols[p]; ok && finding != "" && !strings.Contains(low, "not offered") {
				t.offer(v, at)
				if weakSuite(finding) {
					t.weakAt = cmp.Or(t.weakAt, at)
				}
			}
			return
		}
	}
	for _, prefix := range []string{"cipherlist_", "std_"} {
		if c, ok := strings.CutPrefix(id, prefix); ok && testsslWeakLists[c] {
			t.ciphersAt = cmp.Or(t.ciphersAt, sectionAt)
			if offered, _ := testsslOffered(low); offered {
				t.weakAt = cmp.Or(t.weakAt, at)
			}
			return
		}
	}
	if id == "rc4" || id == "sweet32" {
		if !strings.Contains(low, "not vulnerable") &&
			(strings.Contains(low, "vulnerable") || strings.Contains(low, "detected ciphers") || strings.Contains(low, "64 bit block")) {
			t.weakAt = cmp.Or(t.weakAt, at)
		}
		return
	}
	t.cert(e.ID, finding, at)
}

// cert applies a finding about a server certificate. testssl labels each
// server certificate ("cert_notAfter <hostCert#1>", or no label for a
// single one) and its intermediates apart ("intermediate_cert_notAfter"),
// which are not read.
func (t *testsslTarget) cert(id, finding, at string) {
	base, label, _ := strings.Cut(strings.TrimSpace(id), " ")
	switch base {
	case "cert_notAfter", "cert_expirationStatus", "cert_expiration_status", "cert_chain_of_trust":
	default:
		return
	}
	i := -1
	for j, l := range t.certLabels {
		if l == label {
			i = j
		}
	}
	if i < 0 {
		t.certLabels = append(t.certLabels, label)
		t.certs = append(t.certs, tlsCert{})
		i = len(t.certs) - 1
	}
	c := &t.certs[i]
	low := strings.ToLower(finding)
	switch base {
	case "cert_notAfter":
		if d, ok := testsslDate(finding); ok {
			c.notAfter, c.notAfterAt = d, at
		}
	case "cert_chain_of_trust":
		v := strings.HasPrefix(low, "passed")
		c.trusted, c.trustedAt = &v, at
	default:
		v := strings.Contains(low, "expired")
		c.expired, c.expiredAt = &v, at
	}
}

// testsslDate reads testssl's certificate dates ("2019-01-22 06:14").
func testsslDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02 15:04", time.DateOnly} {
		if d, err := time.Parse(layout, s); err == nil {
			return d, true
		}
	}
	if len(s) >= 10 {
		if d, err := time.Parse(time.DateOnly, s[:10]); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}

// testsslOffered reads testssl's wording of a protocol or cipher-list
// test. Its wording varies by version: "offered", "offered (OK)", "offered
// with final", "offered (deprecated)", "SSLv3 is offered", "SSLv2 offered,
// vulnerable to DROWN", "supported but couldn't detect a cipher" all mean
// the server accepted it; "not offered", "not offered and downgraded to a
// weaker protocol", "TLSv1.1 is not offered, and downgraded" mean it did
// not. Anything else ("server closed TCP connection") is not known.
func testsslOffered(low string) (offered, known bool) {
	switch {
	case strings.Contains(low, "not offered"), strings.Contains(low, "not supported"):
		return false, true
	case strings.Contains(low, "offered"), strings.Contains(low, "supported"):
		return true, true
	}
	return false, false
}

// isTestsslProblem reports whether a finding is testssl's own report of a
// failed scan: a scanProblem, a FATAL, or the server not speaking TLS.
func isTestsslProblem(e testsslEntry) bool {
	id := strings.ToLower(strings.TrimSpace(e.ID))
	sev := strings.ToUpper(strings.TrimSpace(e.Severity))
	return id == "scanproblem" || sev == "FATAL" || (id == "optimal_proto" && sev == "WARN")
}

// splitTestsslIP splits the flat layout's "host/address" into both.
func splitTestsslIP(s string) (host, ip string) {
	host, ip, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return s, s
	}
	return host, ip
}
