package threagile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/auditpack/auditpack/audit/rootfs"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
	"go.yaml.in/yaml/v3"
)

// Sections keyed by title that are merged across includes, in the order the
// builder reads them.
const (
	secData     = "data_assets"
	secAssets   = "technical_assets"
	secBounds   = "trust_boundaries"
	secRuntimes = "shared_runtimes"
	secRiskCats = "individual_risk_categories"
	secTracking = "risk_tracking"
)

var mergedSections = []string{secData, secAssets, secBounds, secRuntimes, secRiskCats, secTracking}

// Top-level keys that carry nothing the common model holds; they are read
// without a warning. Other known keys that hold content are reported.
var quietKeys = map[string]bool{
	"threagile_version": true, "includes": true, "title": true, "date": true, "author": true,
	"contributors": true, "management_summary_comment": true, "business_criticality": true,
	"business_overview": true, "technical_overview": true, "tags_available": true,
	"diagram_tweak_nodesep": true, "diagram_tweak_ranksep": true, "diagram_tweak_edge_layout": true,
	"diagram_tweak_suppress_edge_labels": true, "diagram_tweak_layout_left_to_right": true,
	"diagram_tweak_invisible_connections_between_assets": true, "diagram_tweak_same_rank_assets": true,
}

var reportedKeys = map[string]bool{
	"questions": true, "abuse_cases": true, "security_requirements": true,
}

// entry is one titled item of a merged section.
type entry struct {
	title string
	key   *yaml.Node
	value *yaml.Node
	file  string
}

// ref locates the entry for Refs: file, line and YAML path.
func (e entry) ref(section string, sub ...string) string {
	p := section + "." + e.title
	for _, s := range sub {
		p += "." + s
	}
	return fmt.Sprintf("%s:%d:%s", e.file, e.key.Line, p)
}

// document is the merged content of a model and its includes.
type document struct {
	version, title, owner, description string
	sections                           map[string][]entry
	index                              map[string]map[string]int // section → title → position
	notes                              []note
}

// note is something read but not mapped, reported as a warning.
type note struct{ ref, msg string }

type loader struct {
	fsys   fs.FS
	root   string
	loaded map[string]bool
	files  int
	total  int
	values int // held by the files read so far, aliases expanded
	doc    document
}

func (l *loader) load(name string, data []byte, stack []string) error {
	if len(stack) > MaxIncludeDepth {
		return importer.Errorf(name, "includes nest deeper than %d levels", MaxIncludeDepth)
	}
	if l.files++; l.files > MaxFiles {
		return importer.Errorf(name, "more than %d included files", MaxFiles)
	}
	if len(data) > MaxFileSize {
		return importer.Errorf(name, "file is larger than %d bytes", MaxFileSize)
	}
	if l.total += len(data); l.total > MaxTotalSize {
		return importer.Errorf(name, "model and includes exceed %d bytes", MaxTotalSize)
	}
	l.loaded[name] = true
	data = importer.TrimBOM(data)
	// The model and its includes share one value budget, as they share
	// one byte budget: each file gets what the ones before it left, so
	// that splitting a model costs no more than one file of it.
	lim := Limits
	lim.Values -= l.values
	root, n, err := schemadoc.ParseYAMLCounted("", data, lim)
	if err != nil {
		if l.values > 0 {
			return importer.Errorf(name, "%w (the model and its includes share one budget of %d values, and the files before this one hold %d)", err, Limits.Values, l.values)
		}
		return importer.Errorf(name, "%w", err)
	}
	l.values += n
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil // an empty file contributes nothing
	}
	top := root.Content[0]
	if isNull(top) {
		return nil
	}
	ps, err := pairs(name, top)
	if err != nil {
		return fmt.Errorf("%w (the top level of a Threagile file must be a mapping)", err)
	}
	var includes *yaml.Node
	for _, p := range ps {
		if err := l.topKey(name, p, &includes); err != nil {
			return err
		}
	}
	return l.includes(name, includes, append(stack, name))
}

func (l *loader) topKey(name string, p pair, includes **yaml.Node) error {
	k := p.key.Value
	switch {
	case k == "includes":
		*includes = p.value
	case k == "threagile_version":
		return l.single(name, p, &l.doc.version)
	case k == "title":
		return l.single(name, p, &l.doc.title)
	case k == "author":
		ap, err := pairs(name, p.value)
		if err != nil {
			return err
		}
		for _, a := range ap {
			if a.key.Value == "name" && l.doc.owner == "" {
				if l.doc.owner, err = text(name, a); err != nil {
					return err
				}
			}
		}
	case k == "business_overview":
		bp, err := pairs(name, p.value)
		if err != nil {
			return err
		}
		for _, a := range bp {
			if a.key.Value == "description" && l.doc.description == "" {
				d, err := text(name, a)
				if err != nil {
					return err
				}
				l.doc.description = strings.TrimSpace(d)
			}
		}
	case isMergedSection(k):
		return l.section(name, k, p.value)
	case k == "custom_risk_categories":
		// Newer Threagile writes risk categories as a list with a title
		// field; older files use individual_risk_categories keyed by title.
		if v := deref(p.value); v != nil && v.Kind == yaml.SequenceNode {
			return l.listSection(name, secRiskCats, v)
		}
		return l.section(name, secRiskCats, p.value)
	case quietKeys[k]:
	case reportedKeys[k]:
		if v := deref(p.value); v != nil && len(v.Content) > 0 {
			l.doc.notes = append(l.doc.notes, note{fmt.Sprintf("%s:%d:%s", name, p.key.Line, k),
				fmt.Sprintf("%s (%d entries) has no counterpart in the common model and was not imported", k, len(v.Content)/2)})
		}
	default:
		l.doc.notes = append(l.doc.notes, note{fmt.Sprintf("%s:%d:%s", name, p.key.Line, k),
			fmt.Sprintf("unknown top-level key %q was not imported", k)})
	}
	return nil
}

func isMergedSection(k string) bool {
	for _, s := range mergedSections {
		if s == k {
			return true
		}
	}
	return false
}

// single sets a top-level scalar that must agree across includes.
func (l *loader) single(name string, p pair, dst *string) error {
	v, err := text(name, p)
	if err != nil {
		return err
	}
	if v = strings.TrimSpace(v); v == "" {
		return nil
	}
	if *dst != "" && *dst != v {
		return importer.Errorf(name, "line %d: %s %q conflicts with %q set by another file", p.key.Line, p.key.Value, v, *dst)
	}
	*dst = v
	return nil
}

// listSection reads a list of entries that carry their own title (or id).
func (l *loader) listSection(name, sec string, n *yaml.Node) error {
	var ps []pair
	for _, item := range n.Content {
		fields, err := pairs(name, item)
		if err != nil {
			return err
		}
		var title, id string
		for _, f := range fields {
			switch f.key.Value {
			case "title":
				title = scalar(f.value)
			case "id":
				id = scalar(f.value)
			}
		}
		if title == "" {
			title = id
		}
		key := &yaml.Node{Kind: yaml.ScalarNode, Value: title, Line: item.Line, Column: item.Column}
		ps = append(ps, pair{key, item})
	}
	return l.addEntries(name, sec, ps)
}

func (l *loader) section(name, sec string, n *yaml.Node) error {
	ps, err := pairs(name, n)
	if err != nil {
		return fmt.Errorf("%w (%s must map titles to entries)", err, sec)
	}
	return l.addEntries(name, sec, ps)
}

func (l *loader) addEntries(name, sec string, ps []pair) error {
	if l.doc.sections == nil {
		l.doc.sections = map[string][]entry{}
		l.doc.index = map[string]map[string]int{}
	}
	if l.doc.index[sec] == nil {
		l.doc.index[sec] = map[string]int{}
	}
	for _, p := range ps {
		e := entry{title: p.key.Value, key: p.key, value: p.value, file: name}
		dup, ok := l.doc.index[sec][e.title]
		if !ok {
			l.doc.index[sec][e.title] = len(l.doc.sections[sec])
			l.doc.sections[sec] = append(l.doc.sections[sec], e)
			continue
		}
		old := l.doc.sections[sec][dup]
		budget := 1 << 20
		if !sameNode(old.value, e.value, &budget) {
			return importer.Errorf(name, "line %d: %s %q is already defined differently at %s:%d", p.key.Line, sec, e.title, old.file, old.key.Line)
		}
	}
	return nil
}

func (l *loader) includes(name string, n *yaml.Node, stack []string) error {
	n = deref(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return importer.Errorf(name, "line %d: includes must be a list of file names", n.Line)
	}
	for _, item := range n.Content {
		inc := scalar(item)
		if inc == "" {
			return importer.Errorf(name, "line %d: an include must be a file name", item.Line)
		}
		target, err := l.resolve(name, inc)
		if err != nil {
			return importer.Errorf(name, "line %d: %w", item.Line, err)
		}
		for _, s := range stack {
			if s == target {
				return importer.Errorf(name, "line %d: include cycle: %s → %s", item.Line, strings.Join(stack, " → "), target)
			}
		}
		if l.loaded[target] {
			continue // included again elsewhere: its content is already merged
		}
		if l.fsys == nil {
			return importer.Errorf(name, "line %d: cannot read include %q: no file system was given", item.Line, inc)
		}
		data, err := l.read(target)
		if err != nil {
			return importer.Errorf(name, "line %d: include %q: %w", item.Line, inc, err)
		}
		if err := l.load(target, data, stack); err != nil {
			return err
		}
	}
	return nil
}

// resolve turns an include into a path in fsys, refusing absolute paths and
// anything that leaves the root model's directory.
func (l *loader) resolve(from, inc string) (string, error) {
	if strings.HasPrefix(inc, "/") || strings.Contains(inc, `\`) || strings.Contains(inc, ":") {
		return "", fmt.Errorf("include %q must be a relative slash-separated path (%w)", inc, rootfs.ErrOutside)
	}
	p := path.Join(path.Dir(from), inc)
	base := path.Dir(l.root)
	inside := base == "." || p == base || strings.HasPrefix(p, base+"/")
	if !inside || !fs.ValidPath(p) || p == "." {
		return "", fmt.Errorf("include %q escapes the model's directory (%w)", inc, rootfs.ErrOutside)
	}
	return p, nil
}

func (l *loader) read(p string) ([]byte, error) {
	f, err := l.fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("file is larger than %d bytes", MaxFileSize)
	}
	return data, nil
}
