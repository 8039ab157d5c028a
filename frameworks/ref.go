package frameworks

import (
	"fmt"
	"strings"
)

// ParseRef splits a control reference "<framework-id>@<version>:<node-id>" into its
// parts, so that rules, exceptions and evidence can name controls in one spelling. All
// three parts must be present; the framework and version may use the characters of ids
// and versions in catalog files, the node id the characters of node ids. ParseRef checks
// syntax only; [Registry.Resolve] checks that the control exists.
func ParseRef(ref string) (framework, version, node string, err error) {
	fail := func(format string, args ...any) (string, string, string, error) {
		return "", "", "", fmt.Errorf("frameworks: control reference %q: %w: %s", ref, ErrBadRef, fmt.Sprintf(format, args...))
	}
	if ref == "" {
		return fail("empty; want <framework>@<version>:<node>")
	}
	fw, rest, ok := strings.Cut(ref, "@")
	if !ok {
		return fail(`missing "@<version>"; want <framework>@<version>:<node>`)
	}
	ver, id, ok := strings.Cut(rest, ":")
	if !ok {
		return fail(`missing ":<node>"; want <framework>@<version>:<node>`)
	}
	switch {
	case fw == "":
		return fail("empty framework")
	case ver == "":
		return fail("empty version")
	case id == "":
		return fail("empty node id")
	}
	if i := strings.IndexFunc(fw, notIn(isFrameworkChar)); i >= 0 {
		return fail("framework %q has a character not allowed in a framework id at byte %d", fw, i)
	}
	if i := strings.IndexFunc(ver, notIn(isVersionChar)); i >= 0 {
		return fail("version %q has a character not allowed in a version at byte %d", ver, i)
	}
	if i := strings.IndexFunc(id, notIn(isNodeChar)); i >= 0 {
		return fail("node id %q has a character not allowed in a node id at byte %d", id, i)
	}
	return fw, ver, id, nil
}

// The character sets below match the patterns in catalogs/catalog.schema.json.

func isAlnum(r rune) bool {
	return r < 0x80 && (isDigit(byte(r)) || isLetter(byte(r)))
}

func isFrameworkChar(r rune) bool { return isAlnum(r) || r == '-' }

func isVersionChar(r rune) bool { return isAlnum(r) || r == '.' || r == '+' || r == '-' }

func isNodeChar(r rune) bool {
	return isAlnum(r) || strings.ContainsRune("._()-", r)
}

func notIn(ok func(rune) bool) func(rune) bool {
	return func(r rune) bool { return !ok(r) }
}
