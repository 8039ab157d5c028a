package jsonindent

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// reference is what encoding/json writes with SetIndent.
func reference(t testing.TB, v any, prefix, indent string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, indent)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestEncodeMatchesEncodingJSON(t *testing.T) {
	type inner struct {
		A string            `json:"a"`
		B []int             `json:"b"`
		C map[string]string `json:"c,omitempty"`
		D *inner            `json:"d,omitempty"`
	}
	values := []any{
		nil, true, 1.5, "plain", `quote " backslash \ slash / <tag> & ünïcødé ✓ \u2028`,
		[]any{}, map[string]any{}, []any{[]any{}, map[string]any{}, []any{1}},
		inner{A: `{"not":[json]}`, B: []int{}, C: map[string]string{"k:": ",]"}},
		inner{A: "x", B: nil, D: &inner{A: "\\\"", B: []int{1, 2, 3}}},
		map[string]any{"": "", "a\"b": []any{nil, false, "\n\t"}},
	}
	for _, v := range values {
		for _, pi := range [][2]string{{"", "  "}, {"    ", "  "}, {"", "\t"}, {">", ""}} {
			want := reference(t, v, pi[0], pi[1])
			got, err := Encode(nil, v, pi[0], pi[1])
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%#v with %q/%q:\n got %q (%v)\nwant %q", v, pi[0], pi[1], got, err, want)
			}
		}
	}
}

// TestRandomDocuments compares with encoding/json on generated documents
// whose strings are full of punctuation and escapes.
func TestRandomDocuments(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "\"", "\\", "{", "}", "[", "]", ",", ":", " ", "\n", "é", "\x01", "<", "\u2029"}
	var gen func(depth int) any
	gen = func(depth int) any {
		switch k := r.IntN(7); {
		case depth > 4 || k == 0:
			var b strings.Builder
			for range r.IntN(8) {
				b.WriteString(alphabet[r.IntN(len(alphabet))])
			}
			return b.String()
		case k == 1:
			return r.Float64() * 1e6
		case k == 2:
			return r.IntN(2) == 0
		case k == 3:
			return nil
		case k == 4:
			out := make([]any, r.IntN(4))
			for i := range out {
				out[i] = gen(depth + 1)
			}
			return out
		default:
			out := map[string]any{}
			for range r.IntN(4) {
				out[gen(5).(string)] = gen(depth + 1)
			}
			return out
		}
	}
	for i := range 2000 {
		v := gen(0)
		want := reference(t, v, "  ", "  ")
		got, err := Encode(nil, v, "  ", "  ")
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("document %d:\n got %q (%v)\nwant %q", i, got, err, want)
		}
	}
}

// seeds are compact JSON values whose layout is easy to get wrong:
// punctuation and escapes inside strings, empty and nested containers.
var seeds = []string{
	`{}`, `[]`, `null`, `"x"`, `12.5e-3`, `[[],{},[[]],{"a":{}}]`,
	`{"a":"b","c":[1,true,null],"d":{"e":[{"f":"g"}]}}`,
	`{"q":"a\"b","r":"\\","s":"\\\"","t":"\\\\","u":"{[,:]}","v":""}`,
	`["\u0000\u2028<&>","é","\ufffd","a\nb\tc"]`,
	`{"deep":[[[[{"x":[[]]}]]]],"last":{}}`,
}

func TestAppendIsJSONIndent(t *testing.T) {
	for _, src := range seeds {
		for _, prefix := range []string{"", "      "} {
			var want bytes.Buffer
			if err := json.Indent(&want, []byte(src), prefix, "  "); err != nil {
				t.Fatalf("%s: %v", src, err)
			}
			if got := mustAppend(t, []byte(src), prefix); !bytes.Equal(got, want.Bytes()) {
				t.Errorf("Append(%s, %q):\n%s\nwant\n%s", src, prefix, got, want.Bytes())
			}
		}
	}
}

func mustAppend(t *testing.T, src []byte, prefix string) []byte {
	got, err := Append(nil, src, prefix, "  ")
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return got
}

func TestUnbalancedInputIsRefused(t *testing.T) {
	for _, src := range []string{`{"a":1`, `[1]]`, `"open`, `["\`, `{`} {
		if _, err := Append(nil, []byte(src), "", "  "); err == nil {
			t.Errorf("%q: accepted", src)
		}
	}
}

// FuzzAppend checks the equivalence on any JSON document, compacted first
// as encoding/json would have written it.
func FuzzAppend(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var compact bytes.Buffer
		if json.Compact(&compact, data) != nil {
			return
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), "  ", "\t"); err != nil {
			t.Fatal(err)
		}
		got, err := Append(nil, compact.Bytes(), "  ", "\t")
		if err != nil || !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("got %q (%v), want %q", got, err, want.Bytes())
		}
	})
}

func BenchmarkAppend(b *testing.B) {
	doc := map[string]any{}
	for i := range 5000 {
		doc[strings.Repeat("k", i%40)+string(rune('a'+i%26))+strings.Repeat("x", i%7)] = map[string]any{
			"path": "config/000/EV-000000-0.txt", "sha256": strings.Repeat("ab", 32), "size": i, "ok": true,
			"list": []any{"one", "two", map[string]any{"nested": []any{}}},
		}
	}
	src, _ := json.Marshal(doc)
	b.Run("jsonindent", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		var dst []byte
		for b.Loop() {
			dst, _ = Append(dst[:0], src, "    ", "  ")
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		var dst bytes.Buffer
		for b.Loop() {
			dst.Reset()
			_ = json.Indent(&dst, src, "    ", "  ")
		}
	})
}
