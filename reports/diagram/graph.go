package diagram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/goccy/go-graphviz"

	"github.com/auditpack/auditpack/audit/eval"
)

// graph is what is to be drawn, before layout: clusters (zones), nodes
// and edges, each in the order added.
type graph struct {
	kind, title string
	notes       []string
	clusters    []cluster
	clusterAt   map[string]int
	nodes       []node
	edges       []edge
}

type cluster struct {
	id, name, parent string
	cde              bool
}

type node struct {
	id         string
	lines      []string
	cluster    string
	verdict    eval.Verdict
	class      string
	finding    bool
	outOfScope bool
	external   bool
	title      string
}

type edge struct {
	id         string
	lines      []string
	from, to   int
	both       bool
	verdict    eval.Verdict
	finding    bool
	outOfScope bool
	title      string
}

func newGraph(kind, title string) *graph {
	return &graph{kind: kind, title: title, clusterAt: map[string]int{}}
}

func (g *graph) addCluster(id, name, parent string, cde bool) {
	g.clusterAt[id] = len(g.clusters)
	g.clusters = append(g.clusters, cluster{id: id, name: name, parent: parent, cde: cde})
}

// addNode adds n inside cluster (none if "" or not a cluster of g) and
// returns its index.
func (g *graph) addNode(n node, cluster string) int {
	if _, ok := g.clusterAt[cluster]; ok {
		n.cluster = cluster
	}
	for i, l := range n.lines {
		n.lines[i] = shorten(l)
	}
	g.nodes = append(g.nodes, n)
	return len(g.nodes) - 1
}

func (g *graph) addEdge(e edge) {
	for i, l := range e.lines {
		e.lines[i] = shorten(l)
	}
	g.edges = append(g.edges, e)
}

func shorten(s string) string {
	if utf8.RuneCountInString(s) <= nodeMaxChars {
		return s
	}
	return string([]rune(s)[:nodeMaxChars-1]) + ellipsis
}

// nodeSize is the size in points a node's lines need at nodeFont.
func nodeSize(lines []string) (w, h float64) {
	n := 0
	for _, l := range lines {
		n = max(n, utf8.RuneCountInString(l))
	}
	w = max(nodeMinWidth, float64(n)*nodeFont*charWidth+10)
	h = float64(len(lines))*nodeFont*lineGap + nodePadding
	return w, h
}

// dot writes g in the DOT language. Names are positional (c0, n0), so no
// model text but the labels reaches graphviz, and labels are escaped.
func (g *graph) dot(rankdir string) []byte {
	var b bytes.Buffer
	b.WriteString("digraph scope {\n")
	b.WriteString("graph [rankdir=" + rankdir + ", nodesep=0.15, ranksep=0.35, fontname=\"Helvetica\", fontsize=" + num(zoneFont) + ", labeljust=l, margin=8];\n")
	b.WriteString("node [shape=box, fixedsize=true, label=\"\"];\n")
	// Labels are measured a size up: graphviz measures Helvetica, and the
	// font they are drawn in runs wider.
	b.WriteString("edge [fontname=\"Helvetica\", fontsize=" + num(labelFont*1.2) + "];\n")
	children := map[string][]int{} // cluster → clusters inside, in order
	for i, c := range g.clusters {
		children[c.parent] = append(children[c.parent], i)
	}
	members := map[string][]int{} // cluster → nodes directly inside
	for i, n := range g.nodes {
		members[n.cluster] = append(members[n.cluster], i)
	}
	var write func(cluster string, depth int)
	write = func(cluster string, depth int) {
		if depth > len(g.clusters) {
			return
		}
		for _, ci := range children[cluster] {
			c := g.clusters[ci]
			fmt.Fprintf(&b, "subgraph cluster_%d {\nlabel=%s;\n", ci, quote(c.name))
			write(c.id, depth+1)
			b.WriteString("}\n")
		}
		for _, ni := range members[cluster] {
			w, h := nodeSize(g.nodes[ni].lines)
			fmt.Fprintf(&b, "n%d [width=%s, height=%s];\n", ni, num(w/pointsPerInc), num(h/pointsPerInc))
		}
	}
	write("", 0)
	// The zone overview's many arrows between few zones carry external
	// labels, placed after layout: as ordinary labels they become nodes
	// of the ranking and dot takes seconds over them.
	label := "label"
	if g.kind == KindZones {
		label = "xlabel"
	}
	for i, e := range g.edges {
		dir := ""
		if e.both {
			dir = ", dir=both"
		}
		fmt.Fprintf(&b, "n%d -> n%d [id=e%d, %s=%s%s];\n", e.from, e.to, i, label, quote(strings.Join(e.lines, "\n")), dir)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }

// quote makes s a DOT string: quotes and backslashes escaped, line breaks
// as graphviz's centred line break.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r', '\t':
			b.WriteByte(' ')
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteByte(' ')
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// engine serialises every use of graphviz: the module runs one WebAssembly
// instance for the whole process, which is not safe for concurrent use, and
// the PDF and the SVG are rendered concurrently.
var engine sync.Mutex

// layout asks graphviz's dot layout for the coordinates of g and turns them
// into a Diagram.
func (g *graph) layout() (*Diagram, error) {
	d := &Diagram{Kind: g.kind, Title: g.title, Notes: g.notes}
	if len(g.nodes) == 0 {
		d.Notes = append(d.Notes, "The model has no components to draw.")
		return d, nil
	}
	// Lay out left to right and top to bottom, and keep the one that can
	// be drawn larger on a page, upright or turned.
	var doc *layoutJSON
	best := 0.0
	for _, dir := range []string{"LR", "TB"} {
		out, err := run(g.dot(dir))
		if err != nil {
			return nil, err
		}
		l := &layoutJSON{}
		if err := json.Unmarshal(out, l); err != nil {
			return nil, fmt.Errorf("read graphviz layout: %w", err)
		}
		bb, err := floats(l.BB, 4)
		if err != nil {
			return nil, fmt.Errorf("graph bounding box: %w", err)
		}
		if s := pageFit(bb[2], bb[3]); s > best*1.05 {
			doc, best = l, s
		}
	}
	bb, err := floats(doc.BB, 4)
	if err != nil {
		return nil, fmt.Errorf("graph bounding box: %w", err)
	}
	d.W, d.H = bb[2], bb[3]
	flip := func(x, y float64) Point { return Point{x, d.H - y} }
	depth := map[string]int{}
	for i, c := range g.clusters {
		depth[c.id] = depth[c.parent] + 1
		o := doc.object("cluster_" + strconv.Itoa(i))
		if o == nil {
			return nil, fmt.Errorf("graphviz placed no box for zone %q", c.id)
		}
		b, err := floats(o.BB, 4)
		if err != nil {
			return nil, fmt.Errorf("box of zone %q: %w", c.id, err)
		}
		tl := flip(b[0], b[3])
		d.Zones = append(d.Zones, Zone{ID: c.id, Name: shorten(c.name), CDE: c.cde, Depth: depth[c.id] - 1,
			X: tl.X, Y: tl.Y, W: b[2] - b[0], H: b[3] - b[1]})
	}
	for i, n := range g.nodes {
		o := doc.object("n" + strconv.Itoa(i))
		if o == nil {
			return nil, fmt.Errorf("graphviz placed no node for %q", n.id)
		}
		p, err := floats(o.Pos, 2)
		if err != nil {
			return nil, fmt.Errorf("position of %q: %w", n.id, err)
		}
		w, h := nodeSize(n.lines)
		c := flip(p[0], p[1])
		d.Nodes = append(d.Nodes, Node{ID: n.id, Lines: n.lines, X: c.X - w/2, Y: c.Y - h/2, W: w, H: h,
			Verdict: n.verdict, Class: n.class, Finding: n.finding, OutOfScope: n.outOfScope, External: n.external, Title: n.title})
	}
	byID := map[string]*edgeJSON{}
	for i := range doc.Edges {
		byID[doc.Edges[i].ID] = &doc.Edges[i]
	}
	for i, e := range g.edges {
		o := byID["e"+strconv.Itoa(i)]
		if o == nil {
			return nil, fmt.Errorf("graphviz drew no arrow for %q", e.id)
		}
		de := Edge{ID: e.id, Lines: e.lines, Verdict: e.verdict, Finding: e.finding, OutOfScope: e.outOfScope, Title: e.title}
		if err := de.spline(o.Pos, flip); err != nil {
			return nil, fmt.Errorf("path of %q: %w", e.id, err)
		}
		if o.LP == "" {
			o.LP = o.XLP
		}
		if lp, err := floats(o.LP, 2); err == nil {
			de.Label = flip(lp[0], lp[1])
		} else if len(de.Path) > 0 {
			de.Label = de.Path[len(de.Path)/2]
		}
		d.Edges = append(d.Edges, de)
	}
	return d, nil
}

// Page is the box, in points, a diagram is meant to fill: an A4 page
// inside its margins.
const pageW, pageH = 510.0, 700.0

// pageFit is the scale at which a w × h picture fills [pageW] × [pageH],
// upright or turned a quarter.
func pageFit(w, h float64) float64 {
	return max(min(pageW/w, pageH/h), min(pageH/w, pageW/h))
}

// run lays out a DOT graph and returns graphviz's JSON with coordinates.
func run(src []byte) ([]byte, error) {
	engine.Lock()
	defer engine.Unlock()
	ctx := context.Background()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("start graphviz: %w", err)
	}
	defer gv.Close()
	gr, err := graphviz.ParseBytes(src)
	if err != nil {
		return nil, fmt.Errorf("graphviz refused the graph: %w", err)
	}
	defer gr.Close()
	var out bytes.Buffer
	if err := gv.Render(ctx, gr, "json0", &out); err != nil {
		return nil, fmt.Errorf("graphviz layout: %w", err)
	}
	return out.Bytes(), nil
}

// layoutJSON is the part of graphviz's json0 output that is read.
type layoutJSON struct {
	BB      string       `json:"bb"`
	Objects []objectJSON `json:"objects"`
	Edges   []edgeJSON   `json:"edges"`
	byName  map[string]*objectJSON
}

type objectJSON struct {
	Name string `json:"name"`
	BB   string `json:"bb"`
	Pos  string `json:"pos"`
}

type edgeJSON struct {
	ID  string `json:"id"`
	Pos string `json:"pos"`
	LP  string `json:"lp"`
	XLP string `json:"xlp"`
}

func (l *layoutJSON) object(name string) *objectJSON {
	if l.byName == nil {
		l.byName = map[string]*objectJSON{}
		for i := range l.Objects {
			l.byName[l.Objects[i].Name] = &l.Objects[i]
		}
	}
	return l.byName[name]
}

// floats reads n comma-separated numbers.
func floats(s string, n int) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != n {
		return nil, fmt.Errorf("%q is not %d numbers", s, n)
	}
	out := make([]float64, n)
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", s, err)
		}
		out[i] = f
	}
	return out, nil
}

// spline reads graphviz's edge position: optional "s,x,y" and "e,x,y"
// arrow tips, then the points of a cubic B-spline in Bézier form.
func (e *Edge) spline(pos string, flip func(x, y float64) Point) error {
	// A multi-part edge has parts separated by ";"; the first is enough.
	pos, _, _ = strings.Cut(pos, ";")
	for _, f := range strings.Fields(pos) {
		tip := ""
		if strings.HasPrefix(f, "s,") || strings.HasPrefix(f, "e,") {
			tip, f = f[:1], f[2:]
		}
		p, err := floats(f, 2)
		if err != nil {
			return err
		}
		pt := flip(p[0], p[1])
		switch tip {
		case "s":
			e.Tail = &pt
		case "e":
			e.Head = &pt
		default:
			e.Path = append(e.Path, pt)
		}
	}
	if len(e.Path) < 4 || (len(e.Path)-1)%3 != 0 {
		return fmt.Errorf("%d spline points", len(e.Path))
	}
	return nil
}
