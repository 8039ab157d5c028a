package facts

import (
	"bytes"
	"fmt"
	"testing"
)

// largeSARIF writes a SARIF file of about size bytes: one run, results
// first (the harder order), over 50 rules and 5,000 files.
func largeSARIF(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [{"results": [`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"ruleId": "rule-%d", "ruleIndex": %d, "level": "warning", "message": {"text": "finding %d"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/pkg%d/file%d.go"}, "region": {"startLine": %d}}}]}`,
			i%50, i%50, i, i%100, i%5000, i%900+1)
	}
	b.WriteString(`], "tool": {"driver": {"name": "bench", "version": "1.0", "rules": [`)
	for i := range 50 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id": "rule-%d", "properties": {"security-severity": "%d.5"}}`, i, i%10)
	}
	b.WriteString(`]}}}]}`)
	return b.Bytes()
}

// largeProwler writes a Prowler OCSF file of about size bytes over 500
// checks, 20 accounts and 10,000 resources.
func largeProwler(size int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	status := []string{"FAIL", "PASS", "MANUAL"}
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"metadata": {"event_code": "check_%d", "product": {"name": "Prowler", "uid": "prowler", "version": "5.4.0"}}, "severity": "High", "status": "New", "status_code": "%s", "time": %d, "resources": [{"uid": "arn:aws:s3:::bucket-%d", "region": "eu-west-1"}], "cloud": {"provider": "aws", "account": {"uid": "1000000000%02d"}}}`,
			i%500, status[i%3], 1739539623+i%1000, i%10000, i%20)
	}
	b.WriteByte(']')
	return b.Bytes()
}

func BenchmarkParseSARIF(b *testing.B)   { benchParse(b, "sarif", largeSARIF(20<<20)) }
func BenchmarkParseProwler(b *testing.B) { benchParse(b, "prowler-ocsf-json", largeProwler(20<<20)) }

func benchParse(b *testing.B, format string, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(format, bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
