package audit

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/jsonindent"
)

//go:embed results.schema.json
var resultsSchema []byte

// ResultsSchema returns the published JSON Schema of results.json.
func ResultsSchema() []byte { return slices.Clone(resultsSchema) }

// Encode writes results in their canonical form: indented JSON, no HTML
// escaping, a final newline. Equal results give identical bytes.
//
// On a large model the rule results are most of the document (hundreds of
// megabytes for 50,000 flows), so they are encoded in chunks on every core
// and spliced into the rest; the bytes are exactly those of encoding the
// whole at once.
func Encode(r *Results) ([]byte, error) {
	if len(r.RuleResults) < parallelFrom {
		return encodeWhole(r)
	}
	rest := *r
	rest.RuleResults = []eval.Result{}
	head, err := encodeWhole(&rest)
	if err != nil {
		return nil, err
	}
	const empty = "\n  \"rule_results\": []"
	at := bytes.Index(head, []byte(empty))
	if at < 0 || bytes.Count(head, []byte(empty)) != 1 {
		return encodeWhole(r)
	}
	chunks, err := encodeResults(r.RuleResults)
	if err != nil {
		return nil, err
	}
	size := len(head)
	for _, c := range chunks {
		size += len(c)
	}
	out := make([]byte, 0, size+len(chunks)*2+16)
	out = append(out, head[:at]...)
	out = append(out, "\n  \"rule_results\": [\n"...)
	for i, c := range chunks {
		if i > 0 {
			out = append(out, ",\n"...)
		}
		out = append(out, c...)
	}
	out = append(out, "\n  ]"...)
	return append(out, head[at+len(empty):]...), nil
}

// parallelFrom is the number of rule results from which encoding is split.
const parallelFrom = 2048

func encodeWhole(r *Results) ([]byte, error) {
	out, err := jsonindent.Encode(nil, r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode results: %w", err)
	}
	return out, nil
}

// encodeResults encodes rule results as the elements of the top-level
// "rule_results" array: each indented by four spaces, separated by ",\n".
// A chunk holds consecutive results, so joining the chunks with ",\n"
// keeps the order.
func encodeResults(rs []eval.Result) ([][]byte, error) {
	const per = 512
	chunks := make([][]byte, (len(rs)+per-1)/per)
	errs := make([]error, len(chunks))
	var next sync.Mutex
	n := 0
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var one bytes.Buffer
			enc := json.NewEncoder(&one)
			enc.SetEscapeHTML(false)
			for {
				next.Lock()
				i := n
				n++
				next.Unlock()
				if i >= len(chunks) {
					return
				}
				var c []byte
				for j, res := range rs[i*per : min((i+1)*per, len(rs))] {
					one.Reset()
					if err := enc.Encode(&res); err != nil {
						errs[i] = fmt.Errorf("encode results: %w", err)
						break
					}
					if j > 0 {
						c = append(c, ",\n"...)
					}
					var err error
					if c, err = jsonindent.Append(append(c, "    "...), bytes.TrimSuffix(one.Bytes(), []byte("\n")), "    ", "  "); err != nil {
						errs[i] = fmt.Errorf("encode results: %w", err)
						break
					}
				}
				chunks[i] = c
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return chunks, nil
}
