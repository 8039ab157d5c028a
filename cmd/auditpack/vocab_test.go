package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/reports/sarif"
)

// vocabProject writes the built-in example with its configuration edited by
// old → new replacements, each of which must apply, and returns the path of
// the configuration.
func vocabProject(t *testing.T, file string, edits ...string) string {
	t.Helper()
	dir := writeProject(t, map[string]func(string) string{file: func(s string) string {
		for i := 0; i+1 < len(edits); i += 2 {
			if !strings.Contains(s, edits[i]) {
				t.Fatalf("%s has no %q to edit", file, edits[i])
			}
			s = strings.Replace(s, edits[i], edits[i+1], 1)
		}
		return s
	}})
	return filepath.Join(dir, "auditpack.yaml")
}

// expectWarningEverywhere runs check in text, JSON, Markdown and SARIF and
// asserts that each carries the warning (source and message) and that the
// machine-readable formats also print it to stderr.
func expectWarningEverywhere(t *testing.T, cfg string, want audit.Warning) {
	t.Helper()
	line := want.Source + ": " + want.Message
	for _, format := range []string{"text", "json", "markdown", "sarif"} {
		code, stdout, stderr := runCLI(t, "check", "-c", cfg, "--format", format, "--fail-on", "none")
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		switch format {
		case "text":
			if !strings.Contains(stdout, "\nwarnings (") || !strings.Contains(stdout, "\n  "+line+"\n") {
				t.Errorf("text: no warning %q in:\n%s", line, stdout)
			}
		case "json":
			var res audit.Results
			if err := unmarshalResults([]byte(stdout), &res); err != nil {
				t.Fatal(err)
			}
			found := false
			for _, w := range res.Warnings {
				found = found || w == want
			}
			if !found {
				t.Errorf("json: warning %+v not in %+v", want, res.Warnings)
			}
		case "markdown":
			if !strings.Contains(stdout, "### Warnings (") || !strings.Contains(stdout, "- ` "+want.Source+" `: "+want.Message+"\n") {
				t.Errorf("markdown: no warning %q in:\n%s", line, stdout)
			}
		case "sarif":
			var log sarif.Log
			if err := json.Unmarshal([]byte(stdout), &log); err != nil {
				t.Fatal(err)
			}
			found := false
			for _, inv := range log.Runs[0].Invocations {
				for _, n := range inv.ToolExecutionNotifications {
					found = found || (n.Level == "warning" && n.Message.Text == line)
				}
			}
			if !found {
				t.Errorf("sarif: no notification %q in %+v", line, log.Runs[0].Invocations)
			}
		}
		if format != "text" && !strings.Contains(stderr, "auditpack: warning: "+line+"\n") {
			t.Errorf("%s: the warning is not on stderr: %s", format, stderr)
		}
	}
}

// TestVocabZoneTagTypoWarnsInEveryFormat: "CDE" for "cde" used to drop the
// CDE from scope without a word; it is now a warning naming the tag meant,
// in every output format.
func TestVocabZoneTagTypoWarnsInEveryFormat(t *testing.T) {
	cfg := vocabProject(t, "auditpack.yaml", "{match: {id: cde}, tags: [cde]}", "{match: {id: cde}, tags: [CDE]}")
	expectWarningEverywhere(t, cfg, audit.Warning{Source: "auditpack.yaml: at /overlay/zones/0/tags/0",
		Message: `zone tag "CDE" is not one auditpack reads; did you mean "cde"?`})
}

// TestWarningUnmatchedOverlayEntryInEveryFormat: an overlay entry that
// matches nothing is a warning in every output format, not in results.json
// alone.
func TestWarningUnmatchedOverlayEntryInEveryFormat(t *testing.T) {
	cfg := vocabProject(t, "auditpack.yaml", "{match: {id: internet}, tags: [public]}", "{match: {id: internett}, tags: [public]}")
	expectWarningEverywhere(t, cfg, audit.Warning{Source: "auditpack.yaml: at /overlay/zones/1", Message: "matches no element of the model"})
}

// expectInputError runs check and asserts exit 2 with every wanted text on
// stderr and nothing on stdout.
func expectInputError(t *testing.T, cfg string, want ...string) {
	t.Helper()
	code, stdout, stderr := runCLI(t, "check", "-c", cfg, "--format", "json")
	if code != exitInput {
		t.Fatalf("exit %d, want %d: %s", code, exitInput, stderr)
	}
	if stdout != "" {
		t.Errorf("an invalid project wrote output: %.200s", stdout)
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
}

func TestVocabUnknownClassificationExits2(t *testing.T) {
	t.Run("overlay", func(t *testing.T) {
		cfg := vocabProject(t, "auditpack.yaml", "{match: {id: pan}, classifications: [pan]}", "{match: {id: pan}, classifications: [card]}")
		expectInputError(t, cfg, "auditpack.yaml"+`:13: at /overlay/data_assets/0/classifications/0: unknown classification "card" (known: confidential, credentials, financial, internal, pan, phi, pii, public, sad)`)
	})
	t.Run("overlay upper case", func(t *testing.T) {
		cfg := vocabProject(t, "auditpack.yaml", "{match: {id: pan}, classifications: [pan]}", "{match: {id: pan}, classifications: [PAN]}")
		expectInputError(t, cfg, "auditpack.yaml:13: at /overlay/data_assets/0/classifications/0: ")
	})
	t.Run("native model", func(t *testing.T) {
		cfg := vocabProject(t, "model.yaml", "{id: pan, name: Primary account number}", "{id: pan, name: Primary account number, classifications: [pna]}")
		expectInputError(t, cfg, "model.yaml"+`:30: at /data_assets/0/classifications/0: unknown classification "pna"`, `did you mean "pan"?`)
	})
}

func TestVocabUnknownCapabilityExits2(t *testing.T) {
	cfg := vocabProject(t, "auditpack.yaml", "capability: web-attack-protection,", "capability: web-attack-protect,")
	expectInputError(t, cfg, "auditpack.yaml"+`:46: at /overlay/mitigations/4/provides/0/capability: unknown capability "web-attack-protect" (known: `,
		`; did you mean "web-attack-protection"?`)
}

func TestVocabUnknownOrMistypedParameterExits2(t *testing.T) {
	t.Run("unknown name", func(t *testing.T) {
		cfg := vocabProject(t, "auditpack.yaml", "params: {mode: block}", "params: {mod: block}")
		expectInputError(t, cfg, "auditpack.yaml"+`:46: at /overlay/mitigations/4/provides/0/params/mod: unknown parameter "mod" of web-attack-protection (known: mode); did you mean "mode"?`)
	})
	t.Run("wrong type", func(t *testing.T) {
		// Quoted, "true" is a string, and YAML 1.2 reads yes as one too.
		cfg := vocabProject(t, "auditpack.yaml", "{hsm: true, rotation_days: 365}", `{hsm: "true", rotation_days: "365"}`)
		expectInputError(t, cfg,
			`at /overlay/mitigations/8/provides/0/params/hsm: parameter "hsm" of key-management must be a boolean, not the string "true"`,
			`at /overlay/mitigations/8/provides/0/params/rotation_days: parameter "rotation_days" of key-management must be a number, not the string "365"`)
	})
}

func TestFailOnUnknownVerdictExits2(t *testing.T) {
	cfg := filepath.Join("..", "..", "testdata", "diff", "q4", "auditpack.yaml")
	code, stdout, stderr := runCLI(t, "check", "-c", cfg, "--fail-on", "not-satisfied,satisfyed")
	if code != exitInput || stdout != "" {
		t.Fatalf("exit %d, want %d (stdout %q): %s", code, exitInput, stdout, stderr)
	}
	want := `--fail-on: unknown verdict "satisfyed" (valid: ` + verdictList() + `, or none); did you mean "satisfied"?`
	if !strings.Contains(stderr, want) || !strings.Contains(verdictList(), "not-satisfied, needs-evidence") {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
}
