package facts

import (
	"cmp"
	"io"
	"strconv"
	"strings"
	"time"
)

// sslyze reads sslyze JSON (--json_out), versions 5 and 6: one
// server_scan_results element per server, each with its connectivity and
// one result per scan command. Only accepted_cipher_suites are read; the
// rejected ones, most of a file, are passed over unread.
var sslyze = parser{id: "sslyze-json", name: "sslyze JSON (--json_out)",
	detect: func(head []byte) bool {
		s, ok := shapeOf(head)
		return ok && !s.Array && s.Has("server_scan_results") &&
			(s.Has("sslyze_version") || s.Has("sslyze_url") || s.Has("date_scans_started") || s.Has("invalid_server_strings"))
	},
	parse: parseSslyze,
	yields: []string{
		"scan.tool", "scan.date", "scan.targets", "scan.errors", "scan.complete",
		"tls.protocols_offered", "tls.protocols_untested", "tls.min_version", "tls.max_version", "tls.weak_ciphers_offered",
		"tls.cert_not_after", "tls.cert_expired", "tls.cert_trusted",
	}}

// sslyzeVersions maps the cipher-suite scan commands to the version each
// tests.
var sslyzeVersions = map[string]string{
	"ssl_2_0_cipher_suites": "SSLv2", "ssl_3_0_cipher_suites": "SSLv3",
	"tls_1_0_cipher_suites": "1.0", "tls_1_1_cipher_suites": "1.1",
	"tls_1_2_cipher_suites": "1.2", "tls_1_3_cipher_suites": "1.3",
}

func parseSslyze(r io.Reader) (*Read, error) {
	s := newTLSStream("sslyze-json", r)
	file := &tlsFile{tool: "sslyze", toolAt: "/"}
	var started, completed, startedAt, completedAt string
	err := s.object("", func(key, at string) error {
		var err error
		switch key {
		case "sslyze_version":
			var v string
			if v, err = s.scalar(at); v != "" {
				file.tool, file.toolAt = "sslyze "+v, at
			}
		case "date_scans_started":
			started, err = s.scalar(at)
			startedAt = at
		case "date_scans_completed":
			completed, err = s.scalar(at)
			completedAt = at
		case "invalid_server_strings":
			err = s.array(at, func(i int, at string) error {
				var v struct {
					ServerString string `json:"server_string"`
					ErrorMessage string `json:"error_message"`
				}
				if err := s.decode(at, &v); err != nil {
					return err
				}
				file.fail(strings.TrimSpace(v.ServerString+": "+v.ErrorMessage), at)
				return nil
			})
		case "server_scan_results":
			err = s.array(at, func(i int, at string) error {
				t, err := sslyzeServer(s, at)
				if err != nil {
					return err
				}
				file.targets = append(file.targets, t)
				return nil
			})
		default:
			err = s.skip(at)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := s.end(); err != nil {
		return nil, err
	}
	if d, ok := sslyzeTime(completed); ok {
		file.scanned, file.dateAt = d, completedAt
	} else if d, ok := sslyzeTime(started); ok {
		file.scanned, file.dateAt = d, startedAt
	}
	return file.read(), nil
}

// sslyzeServer reads one server's results. Keys come in any order (sslyze
// 5 sorts them), so the server is named only once its object is read.
func sslyzeServer(s *tlsStream, at string) (*tlsTarget, error) {
	t := &tlsTarget{at: at}
	var connectivity, trace, status string
	sawResult := false
	err := s.object(at, func(key, kat string) error {
		var err error
		switch key {
		case "server_location":
			var loc struct {
				Hostname  string `json:"hostname"`
				Port      int    `json:"port"`
				IPAddress string `json:"ip_address"`
			}
			err = s.decode(kat, &loc)
			t.host, t.ip = loc.Hostname, loc.IPAddress
			if loc.Port > 0 {
				t.port = strconv.Itoa(loc.Port)
			}
		case "connectivity_status":
			connectivity, err = s.scalar(kat)
		case "connectivity_error_trace":
			trace, err = s.scalar(kat)
		case "scan_status":
			status, err = s.scalar(kat)
		case "scan_result":
			sawResult = true
			err = s.object(kat, func(command, cat string) error {
				return sslyzeCommand(s, t, command, cat)
			})
		default:
			err = s.skip(kat)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	switch {
	case connectivity != "COMPLETED" && connectivity != "" || status != "COMPLETED" && status != "":
		// A server sslyze could not connect to is not covered; one it
		// reached but did not finish is covered, and incomplete.
		t.unreachable = connectivity != "COMPLETED"
		msg := status
		if status == "" || status == "COMPLETED" {
			msg = "connectivity " + connectivity
		}
		if last := sslyzeLastLine(trace); last != "" {
			msg += ": " + last
		}
		t.fail(msg, at)
	case !sawResult:
		// No status and no result: a layout this reader does not know
		// (sslyze 4 and earlier) must not read as a clean scan.
		t.unreachable = true
		t.fail("no scan_result: not the layout of sslyze 5 or later", at)
	}
	return t, nil
}

// sslyzeLastLine is the last line of a Python traceback: the error itself.
func sslyzeLastLine(trace string) string {
	lines := strings.Split(strings.TrimSpace(trace), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// sslyzeCommand reads one scan command's outcome. The status may follow
// the result (sslyze 5 sorts keys), so both are held until the end.
func sslyzeCommand(s *tlsStream, t *tlsTarget, command, at string) error {
	version, isSuites := sslyzeVersions[command]
	isCert := command == "certificate_info"
	if !isSuites && !isCert {
		return sslyzeStatusOnly(s, t, command, at)
	}
	var status, reason string
	var suites sslyzeSuites
	var certs []tlsCert
	err := s.object(at, func(key, kat string) error {
		var err error
		switch key {
		case "status":
			status, err = s.scalar(kat)
		case "error_reason":
			reason, err = s.scalar(kat)
		case "result":
			if isSuites {
				suites, err = sslyzeSuiteResult(s, kat)
			} else {
				certs, err = sslyzeCertResult(s, kat)
			}
		default:
			err = s.skip(kat)
		}
		return err
	})
	if err != nil {
		return err
	}
	if status != "" && status != "COMPLETED" {
		if status != "NOT_SCHEDULED" {
			t.fail(command+": "+cmp.Or(reason, status), at)
		}
		return nil
	}
	if isCert {
		t.certs = append(t.certs, certs...)
		return nil
	}
	if !suites.read {
		return nil
	}
	t.tested(version, at)
	if suites.supported || suites.accepted > 0 {
		t.offer(version, at)
	}
	t.ciphersAt = cmp.Or(t.ciphersAt, at)
	if suites.weakAt != "" {
		t.weakAt = cmp.Or(t.weakAt, suites.weakAt)
	}
	return nil
}

// sslyzeStatusOnly passes over a command the facts do not use, keeping
// only its failure, if any.
func sslyzeStatusOnly(s *tlsStream, t *tlsTarget, command, at string) error {
	var status, reason string
	err := s.object(at, func(key, kat string) error {
		var err error
		switch key {
		case "status":
			status, err = s.scalar(kat)
		case "error_reason":
			reason, err = s.scalar(kat)
		default:
			err = s.skip(kat)
		}
		return err
	})
	if err == nil && status == "ERROR" {
		t.fail(command+": "+cmp.Or(reason, status), at)
	}
	return err
}

type sslyzeSuites struct {
	read, supported bool
	accepted        int
	weakAt          string
}

func sslyzeSuiteResult(s *tlsStream, at string) (sslyzeSuites, error) {
	var r sslyzeSuites
	err := s.object(at, func(key, kat string) error {
		r.read = true
		switch key {
		case "is_tls_version_supported":
			return s.decode(kat, &r.supported)
		case "accepted_cipher_suites":
			return s.array(kat, func(i int, eat string) error {
				var v struct {
					CipherSuite struct {
						Name        string `json:"name"`
						OpenSSLName string `json:"openssl_name"`
						IsAnonymous bool   `json:"is_anonymous"`
					} `json:"cipher_suite"`
				}
				if err := s.decode(eat, &v); err != nil {
					return err
				}
				r.accepted++
				c := v.CipherSuite
				if r.weakAt == "" && (c.IsAnonymous || weakSuite(c.Name) || weakSuite(c.OpenSSLName)) {
					r.weakAt = eat
				}
				return nil
			})
		}
		// rejected_cipher_suites and the rest are never read.
		return s.skip(kat)
	})
	return r, err
}

// sslyzeCertResult reads the server certificate of each deployment: the
// first of received_certificate_chain (the leaf; the others are
// intermediates and are passed over), and whether its path validated
// against every trust store sslyze tried.
func sslyzeCertResult(s *tlsStream, at string) ([]tlsCert, error) {
	var certs []tlsCert
	err := s.object(at, func(key, kat string) error {
		if key != "certificate_deployments" {
			return s.skip(kat)
		}
		return s.array(kat, func(i int, dat string) error {
			var c tlsCert
			err := s.object(dat, func(key, kat string) error {
				switch key {
				case "received_certificate_chain":
					return s.array(kat, func(j int, cat string) error {
						if j > 0 {
							return s.skip(cat)
						}
						var leaf struct {
							NotValidAfter string `json:"not_valid_after"`
						}
						if err := s.decode(cat, &leaf); err != nil {
							return err
						}
						if d, ok := sslyzeTime(leaf.NotValidAfter); ok {
							c.notAfter, c.notAfterAt = d, cat+"/not_valid_after"
						}
						return nil
					})
				case "path_validation_results":
					return s.array(kat, func(j int, pat string) error {
						var v struct {
							Successful *bool       `json:"was_validation_successful"`
							Verified   *[]struct{} `json:"verified_certificate_chain"`
						}
						if err := s.decode(pat, &v); err != nil {
							return err
						}
						ok := v.Verified != nil
						if v.Successful != nil {
							ok = *v.Successful
						}
						if c.trusted == nil || (*c.trusted && !ok) {
							c.trusted, c.trustedAt = &ok, pat
						}
						return nil
					})
				}
				return s.skip(kat)
			})
			certs = append(certs, c)
			return err
		})
	})
	return certs, err
}

// sslyzeTime reads sslyze's times: RFC 3339, or (sslyze 5) the same
// without a zone, which is UTC.
func sslyzeTime(v string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, false
	}
	if d, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return d.UTC(), true
	}
	if d, err := time.Parse("2006-01-02T15:04:05.999999999", v); err == nil {
		return d, true
	}
	return time.Time{}, false
}
