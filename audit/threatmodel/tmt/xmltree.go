package tmt

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// node is one element of the parsed document. The tree is small enough to
// hold whole (the largest real files are about 1.3 MB) and lets the mapper
// look things up by path instead of re-scanning the stream.
type node struct {
	name   xml.Name
	typ    xml.Name // i:type, with its prefix resolved to a namespace
	nil    bool     // i:nil="true"
	text   string
	kids   []*node
	parent *node
}

const xsiNS = "http://www.w3.org/2001/XMLSchema-instance"

// refuseDTD rejects any document type or entity declaration before the XML
// parser sees the document, so that entity expansion can never start.
func refuseDTD(data []byte) error {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("<!"))
		if j < 0 {
			return nil
		}
		i += j + 2
		rest := data[i:]
		for _, kw := range []string{"DOCTYPE", "ENTITY", "ELEMENT", "ATTLIST"} {
			if len(rest) >= len(kw) && strings.EqualFold(string(rest[:len(kw)]), kw) {
				return fmt.Errorf("line %d: document contains a <!%s declaration; DTDs and entities are refused", lineAt(data, i), kw)
			}
		}
	}
}

func lineAt(data []byte, off int) int {
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// parseTree reads the whole document into a tree, refusing directives and
// bounding depth and element count.
func parseTree(data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var root, cur *node
	var scopes []map[string]string // namespace prefixes declared per open element
	var text [][]byte
	elements := 0
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, syntaxError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if elements++; elements > MaxElements {
				return nil, fmt.Errorf("line %d: more than %d elements", lineOf(d, data), MaxElements)
			}
			if len(scopes) >= MaxDepth {
				return nil, fmt.Errorf("line %d: elements nest deeper than %d levels", lineOf(d, data), MaxDepth)
			}
			if cur == nil && root != nil {
				return nil, fmt.Errorf("line %d: more than one root element", lineOf(d, data))
			}
			scope := map[string]string{}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					scope[a.Name.Local] = a.Value
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					scope[""] = a.Value
				}
			}
			scopes = append(scopes, scope)
			n := &node{parent: cur, name: xml.Name{Space: resolve(scopes, t.Name.Space), Local: t.Name.Local}}
			for _, a := range t.Attr {
				if a.Name.Space == "" || resolve(scopes, a.Name.Space) != xsiNS {
					continue
				}
				switch a.Name.Local {
				case "type":
					prefix, local, ok := strings.Cut(a.Value, ":")
					if !ok {
						prefix, local = "", a.Value
					}
					n.typ = xml.Name{Space: resolve(scopes, prefix), Local: local}
				case "nil":
					n.nil = strings.TrimSpace(a.Value) == "true"
				}
			}
			if cur != nil {
				cur.kids = append(cur.kids, n)
			} else {
				root = n
			}
			cur = n
			text = append(text, nil)
		case xml.EndElement:
			if cur == nil || t.Name.Local != cur.name.Local || resolve(scopes, t.Name.Space) != cur.name.Space {
				return nil, fmt.Errorf("line %d: end element does not match the open element", lineOf(d, data))
			}
			cur.text = strings.TrimSpace(string(text[len(text)-1]))
			text = text[:len(text)-1]
			scopes = scopes[:len(scopes)-1]
			cur = cur.parent
		case xml.CharData:
			if cur != nil {
				text[len(text)-1] = append(text[len(text)-1], t...)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, fmt.Errorf("line %d: text outside the root element", lineOf(d, data))
			}
		case xml.Directive:
			return nil, fmt.Errorf("line %d: document contains a <! declaration; DTDs and entities are refused", lineOf(d, data))
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	if cur != nil {
		return nil, errors.New("document ends inside an element")
	}
	return root, nil
}

func lineOf(d *xml.Decoder, data []byte) int {
	off := int(d.InputOffset())
	if off > len(data) {
		off = len(data)
	}
	return lineAt(data, off)
}

// resolve maps a prefix to its namespace using the innermost declaration.
func resolve(scopes []map[string]string, prefix string) string {
	for i := len(scopes) - 1; i >= 0; i-- {
		if ns, ok := scopes[i][prefix]; ok {
			return ns
		}
	}
	return prefix
}

// child returns the first child with the given local name, or nil.
func (n *node) child(local string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name.Local == local {
			return k
		}
	}
	return nil
}

// children returns the children with the given local name.
func (n *node) children(local string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, k := range n.kids {
		if k.name.Local == local {
			out = append(out, k)
		}
	}
	return out
}

// get follows a path of local names and returns the text found there.
func (n *node) get(path ...string) string {
	for _, p := range path {
		n = n.child(p)
	}
	if n == nil || n.nil {
		return ""
	}
	return n.text
}

// path is an XPath-like location such as
// /ThreatModel/DrawingSurfaceList/DrawingSurfaceModel[1]/Borders/KeyValueOfguidanyType[3].
// Positions are given for list items and wherever siblings share a name.
func (n *node) path() string {
	var parts []string
	for ; n != nil; n = n.parent {
		p := n.name.Local
		if n.parent != nil {
			pos, count := 0, 0
			for _, s := range n.parent.kids {
				if s.name.Local == p {
					count++
					if s == n {
						pos = count
					}
				}
			}
			if count > 1 || listItem(p) {
				p = fmt.Sprintf("%s[%d]", p, pos)
			}
		}
		parts = append(parts, p)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return "/" + strings.Join(parts, "/")
}

func listItem(local string) bool {
	return local == "DrawingSurfaceModel" || local == "anyType" || strings.HasPrefix(local, "KeyValueOf")
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// elements returns the children of n; a missing element has none.
func (n *node) elements() []*node {
	if n == nil {
		return nil
	}
	return n.kids
}
