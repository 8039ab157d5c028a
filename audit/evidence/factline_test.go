package evidence

import "testing"

func TestItemFactDescribe(t *testing.T) {
	for _, tc := range []struct {
		f    ItemFact
		want string
	}{
		{ItemFact{Name: "tls.min_version", Value: "1.0", Source: SourceRead, File: "scan.json", At: "/scanResult/0/protocols/2", Stated: "1.2"},
			`tls.min_version = "1.0" (read from scan.json at /scanResult/0/protocols/2; stated "1.2")`},
		{ItemFact{Name: "network.open_ports", Value: []int{22, 443}, Source: SourceRead, File: "n.xml", At: "/nmaprun/host[1]/ports", Target: "10.0.0.5"},
			`network.open_ports [10.0.0.5] = [22, 443] (read from n.xml at /nmaprun/host[1]/ports)`},
		{ItemFact{Name: "scan.targets", Value: []any{"a, b", "c"}, Source: SourceStated}, `scan.targets = ["a, b", "c"] (stated, not read)`},
		{ItemFact{Name: "scan.pass", Value: true, Source: SourceStated}, `scan.pass = true (stated, not read)`},
		{ItemFact{Name: "x", Value: func() {}, Source: SourceStated}, `x = ? (stated, not read)`},
	} {
		if got := tc.f.Describe(); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}
