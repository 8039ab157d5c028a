package facts

import (
	"strings"
	"testing"
)

// TestNmapDuplicateAttributeRefused: XML forbids an attribute twice on one
// element (a well-formedness rule), and XML readers refuse such a file;
// auditpack's nmap reader takes the first and reads on. A port given as
// both open and closed, or as 23 and 24, then says whatever the first
// attribute says: the file must be refused, exit 2 naming the place.
func TestNmapDuplicateAttributeRefused(t *testing.T) {
	const doc = `<?xml version="1.0"?>
<nmaprun scanner="nmap" version="7.94"><host><status state="up"/><address addr="10.0.0.1" addrtype="ipv4"/><ports>` +
		`<port protocol="tcp" portid="8443" portid="23"><state state="closed" state="open"/><service name="telnet"/></port>` +
		`</ports></host><runstats><finished time="1700000100"/><hosts up="1" down="0" total="1"/></runstats></nmaprun>`
	r, err := Parse(nmapID, strings.NewReader(doc))
	if err == nil {
		t.Fatalf("a port with two portid and two state attributes is read: %v", r.Facts)
	}
	fe, ok := err.(*Error)
	if !ok || fe.Line == 0 || !strings.Contains(fe.At, "port") {
		t.Errorf("error %v does not name the place", err)
	}
}
