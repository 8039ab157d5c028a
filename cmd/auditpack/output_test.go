package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMain lets a test run auditpack as a separate process: with
// AUDITPACK_TEST_MAIN=1 the test binary is auditpack itself.
func TestMain(m *testing.M) {
	if os.Getenv("AUDITPACK_TEST_MAIN") == "1" {
		var beforeCommit func()
		if os.Getenv("AUDITPACK_TEST_STALL") == "1" {
			// Stop just before the final step, to be killed there.
			beforeCommit = func() { time.Sleep(time.Hour) }
		}
		os.Exit(runHooked(context.Background(), os.Args[1:], os.Stdout, os.Stderr, fixedNow, testHooks(beforeCommit)))
	}
	os.Exit(m.Run())
}

// auditpackProcess runs auditpack as its own process in dir.
func auditpackProcess(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], append([]string{"auditpack"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "AUDITPACK_TEST_MAIN=1")
	return cmd
}

// stagingLeft lists staging names left in dir.
func stagingLeft(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".auditpack-tmp-") {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestDirectoryCreatedAtOutDuringBuildSurvives creates a directory with a
// file at --out while the build runs: it must survive untouched, the build
// must exit 2 saying so, and the new package must be kept, complete and
// verifiable, under the name the message gives.
func TestDirectoryCreatedAtOutDuringBuildSurvives(t *testing.T) {
	dir := t.TempDir()
	project := writeProject(t, nil)
	k := writeTestKeys(t, dir, nil)
	out := filepath.Join(dir, "pkg")
	for _, zip := range []bool{false, true} {
		t.Run(fmt.Sprintf("zip=%v", zip), func(t *testing.T) {
			os.RemoveAll(out)
			os.RemoveAll(out + ".new")
			os.RemoveAll(out + ".new.zip")
			createOut := func() {
				mustMkdir(t, out)
				mustWrite(t, filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
			}
			args := []string{"build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", out,
				"--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15"}
			if zip {
				args = append(args, "--zip")
			}
			code, stdout, stderr := runCLIHooked(t, createOut, args...)
			if code != exitInput || !strings.Contains(stderr, out+" appeared while this package was being built") ||
				!strings.Contains(stderr, "kept at "+out+".new") {
				t.Fatalf("exit %d, want %d saying where the package is:\n%s%s", code, exitInput, stdout, stderr)
			}
			if strings.Contains(stdout, "wrote ") {
				t.Errorf("the losing build says it wrote something:\n%s", stdout)
			}
			if data, err := os.ReadFile(filepath.Join(out, "notes.txt")); err != nil || string(data) != "mine" {
				t.Fatalf("the directory created during the build was lost: %v", err)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 1 {
				t.Errorf("the package was written into the directory created during the build: %v", entries)
			}
			if code, stdout, _ := runCLI(t, "verify", out+".new", "--signer-fingerprint", k.fingerprint); code != exitOK {
				t.Errorf("the kept package does not verify (exit %d):\n%s", code, stdout)
			}
			if zip {
				if _, err := os.Stat(out + ".new.zip"); err != nil {
					t.Errorf("the kept zip is not beside the kept package: %v", err)
				}
				if _, err := os.Stat(out + ".zip"); err == nil {
					t.Errorf("the zip was placed although the directory was not")
				}
			}
			if left := stagingLeft(t, dir); len(left) > 0 {
				t.Errorf("staging left behind: %v", left)
			}
		})
	}
}

// TestConcurrentBuildsIntoOneOut starts two builds into one --out as
// separate processes, then nests one build inside another's final step so
// that both reach the rename: exactly one package exists, complete and
// verifiable, and the loser exits 2 and says why.
func TestConcurrentBuildsIntoOneOut(t *testing.T) {
	dir := t.TempDir()
	project := writeProject(t, nil)
	k := writeTestKeys(t, dir, nil)
	args := func(out string) []string {
		return []string{"build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", out, "--zip",
			"--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15", "-q"}
	}
	t.Run("processes", func(t *testing.T) {
		out := filepath.Join(dir, "race")
		var wg sync.WaitGroup
		codes := make([]int, 2)
		outputs := make([]string, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := auditpackProcess(dir, args(out)...)
				var buf bytes.Buffer
				cmd.Stdout, cmd.Stderr = &buf, &buf
				err := cmd.Run()
				codes[i], outputs[i] = cmd.ProcessState.ExitCode(), buf.String()
				if err != nil && cmd.ProcessState == nil {
					t.Errorf("run: %v", err)
				}
			}()
		}
		wg.Wait()
		wins := 0
		for i, c := range codes {
			switch c {
			case exitOK:
				wins++
			case exitInput:
				if !strings.Contains(outputs[i], out) {
					t.Errorf("the losing build does not name %s:\n%s", out, outputs[i])
				}
			default:
				t.Errorf("build %d exited %d:\n%s", i, c, outputs[i])
			}
		}
		if wins != 1 {
			t.Fatalf("%d builds won, want exactly 1: exits %v\n%s\n%s", wins, codes, outputs[0], outputs[1])
		}
		if code, stdout, _ := runCLI(t, "verify", out, "--signer-fingerprint", k.fingerprint); code != exitOK {
			t.Errorf("the package does not verify (exit %d):\n%s", code, stdout)
		}
		if code, stdout, _ := runCLI(t, "verify", out+".zip", "--signer-fingerprint", k.fingerprint); code != exitOK {
			t.Errorf("the zip does not verify (exit %d):\n%s", code, stdout)
		}
		if left := stagingLeft(t, dir); len(left) > 0 {
			t.Errorf("staging left behind: %v", left)
		}
	})
	t.Run("both reach the rename", func(t *testing.T) {
		out := filepath.Join(dir, "nested")
		inner := -1
		var innerOut string
		buildInner := func() {
			var code int
			code, innerOut, _ = runCLI(t, args(out)...)
			inner = code
		}
		code, _, stderr := runCLIHooked(t, buildInner, args(out)...)
		if inner != exitOK {
			t.Fatalf("the inner build exited %d:\n%s", inner, innerOut)
		}
		if code != exitInput || !strings.Contains(stderr, "appeared while this package was being built") {
			t.Fatalf("the outer build exited %d, want %d:\n%s", code, exitInput, stderr)
		}
		if code, stdout, _ := runCLI(t, "verify", out, "--signer-fingerprint", k.fingerprint); code != exitOK {
			t.Errorf("the winning package does not verify (exit %d):\n%s", code, stdout)
		}
		if code, stdout, _ := runCLI(t, "verify", out+".zip", "--signer-fingerprint", k.fingerprint); code != exitOK {
			t.Errorf("the winning zip does not verify (exit %d):\n%s", code, stdout)
		}
	})
}

// TestForceNeverReplacesAnInput tries --force on the project directory, on
// each input and on what holds one: each is refused with exit 2 and left
// exactly as it was.
func TestForceNeverReplacesAnInput(t *testing.T) {
	dir := t.TempDir()
	project := writeProject(t, nil)
	k := writeTestKeys(t, dir, nil)
	keys := filepath.Dir(k.key)
	link := filepath.Join(dir, "link-to-evidence")
	if err := os.Symlink(filepath.Join(project, "evidence"), link); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, out, want string }{
		{"the project directory", project, "holds the configuration"},
		{"the evidence bundle", filepath.Join(project, "evidence"), "is the evidence bundle"},
		{"a link to the evidence bundle", link, "is the evidence bundle"},
		{"inside the evidence bundle", filepath.Join(project, "evidence", "pkg"), "lies inside the evidence bundle"},
		{"the model file", filepath.Join(project, "model.yaml"), "is the threat model"},
		{"the directory of the keys", keys, "holds a signing key or certificate file"},
	}
	before := snapshot(t, dir) + snapshot(t, project)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", c.out, "--force",
				"--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15")
			if code != exitInput || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "an input of this run") {
				t.Fatalf("exit %d, want %d with %q:\n%s%s", code, exitInput, c.want, stdout, stderr)
			}
			if after := snapshot(t, dir) + snapshot(t, project); after != before {
				t.Fatalf("the inputs changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	t.Run("the previous package", func(t *testing.T) {
		prev := filepath.Join(dir, "prev")
		buildExample(t, project, k, prev)
		code, _, stderr := runCLI(t, "build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", prev, "--force",
			"--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15", "--previous", prev)
		if code != exitInput || !strings.Contains(stderr, "is the previous package") {
			t.Fatalf("exit %d, want %d: %s", code, exitInput, stderr)
		}
	})
}

// TestForceReplacesOnlyPackagesOrEmptyDirectories checks what --force may
// replace: a package and an empty directory, yes; a directory of other
// files, a file, a link or a zip that is not a package, never.
func TestForceReplacesOnlyPackagesOrEmptyDirectories(t *testing.T) {
	dir := t.TempDir()
	project := writeProject(t, nil)
	k := writeTestKeys(t, dir, nil)
	build := func(out string, extra ...string) (int, string) {
		args := append([]string{"build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", out, "--force",
			"--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15"}, extra...)
		code, _, stderr := runCLI(t, args...)
		return code, stderr
	}
	pkg := filepath.Join(dir, "pkg")
	buildExample(t, project, k, pkg, "--zip")
	if code, stderr := build(pkg, "--zip"); code != exitOK {
		t.Fatalf("--force over a package and its zip: exit %d: %s", code, stderr)
	}
	empty := filepath.Join(dir, "empty")
	mustMkdir(t, empty)
	if code, stderr := build(empty); code != exitOK {
		t.Fatalf("--force over an empty directory: exit %d: %s", code, stderr)
	}
	other := filepath.Join(dir, "other")
	mustMkdir(t, other)
	mustWrite(t, filepath.Join(other, "thesis.txt"), []byte("years of work"), 0o644)
	file := filepath.Join(dir, "file")
	mustWrite(t, file, []byte("a file"), 0o644)
	fake := filepath.Join(dir, "fake")
	mustMkdir(t, fake)
	mustWrite(t, filepath.Join(fake, "manifest.json"), []byte(`{"schema_version": "something/else"}`), 0o644)
	notZip := filepath.Join(dir, "plain")
	mustMkdir(t, notZip)
	mustWrite(t, notZip+".zip", []byte("not a zip"), 0o644)
	link := filepath.Join(dir, "link")
	if err := os.Symlink(other, link); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		out  string
		zip  bool
		want string
	}{
		{other, false, "is not an auditpack package (it has no manifest.json)"},
		{file, false, "is not a directory"},
		{fake, false, "its manifest.json is not a package's"},
		{link, false, "is a symbolic link"},
		{notZip, true, "is not an auditpack package zip"},
	} {
		before := snapshot(t, dir)
		var extra []string
		if c.zip {
			extra = []string{"--zip"}
		}
		code, stderr := build(c.out, extra...)
		if code != exitInput || !strings.Contains(stderr, c.want) {
			t.Errorf("--force over %s: exit %d, want %d with %q: %s", c.out, code, exitInput, c.want, stderr)
		}
		if after := snapshot(t, dir); after != before {
			t.Errorf("--force over %s changed something:\nbefore %s\nafter  %s", c.out, before, after)
		}
	}
}

// TestStaleStagingIsCleanedUp leaves the staging of a build that was
// killed (its process gone, its lock free) and of one still running (a
// live process holding its lock): the next build removes the first, says
// so, and leaves the second.
func TestStaleStagingIsCleanedUp(t *testing.T) {
	dir := t.TempDir()
	project := writeProject(t, nil)
	k := writeTestKeys(t, dir, nil)

	stale := filepath.Join(dir, fmt.Sprintf(".auditpack-tmp-%d-0123456789ab", deadPid(t)))
	mustMkdir(t, stale)
	mustWrite(t, filepath.Join(stale, "report.pdf"), bytes.Repeat([]byte("x"), 3<<20), 0o644)
	mustWrite(t, stale+".zip", []byte("partial"), 0o644)
	mustWrite(t, stale+".lock", nil, 0o600)

	// A live build: a real auditpack process stopped just before its
	// final step would do, but a sleeping process holding the lock is the
	// same to the cleaner.
	holder := exec.Command("sleep", "30")
	if err := holder.Start(); err != nil {
		t.Skipf("SKIPPED: cannot run sleep: %v", err)
	}
	defer func() { holder.Process.Kill(); holder.Wait() }()
	live := filepath.Join(dir, fmt.Sprintf(".auditpack-tmp-%d-ba9876543210", holder.Process.Pid))
	mustMkdir(t, live)
	mustWrite(t, live+".lock", nil, 0o600)

	code, stdout, stderr := runCLI(t, "build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", filepath.Join(dir, "pkg"),
		"--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15")
	if code != exitOK {
		t.Fatalf("build: exit %d:\n%s%s", code, stdout, stderr)
	}
	base := filepath.Base(stale)
	if !strings.Contains(stderr, "removed "+base+", "+base+".zip in "+dir+" (3.0 MiB), left by a build that stopped") {
		t.Errorf("the cleanup is not reported:\n%s", stderr)
	}
	for _, p := range []string{stale, stale + ".zip", stale + ".lock"} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s is still there", p)
		}
	}
	for _, p := range []string{live, live + ".lock"} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("the staging of a live build was removed: %v", err)
		}
	}
}

// TestInterruptedBuildLeavesStagingThatTheNextRunRemoves kills a build
// process while it runs: its staging stays (nothing can clean up after
// SIGKILL), and the next build removes it.
func TestInterruptedBuildLeavesStagingThatTheNextRunRemoves(t *testing.T) {
	dir := t.TempDir()
	project := writeProject(t, nil)
	k := writeTestKeys(t, dir, nil)
	out := filepath.Join(dir, "pkg")
	cmd := auditpackProcess(dir, "build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", out,
		"--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15", "-q")
	cmd.Env = append(cmd.Env, "AUDITPACK_TEST_STALL=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for len(stagingLeft(t, dir)) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if left := stagingLeft(t, dir); len(left) < 2 {
		t.Fatalf("the killed build left no staging to clean (%v)", left)
	}
	code, _, stderr := runCLI(t, "build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", out,
		"--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15")
	if code != exitOK || !strings.Contains(stderr, "left by a build that stopped (pid ") {
		t.Fatalf("exit %d; the stale staging is not reported:\n%s", code, stderr)
	}
	if left := stagingLeft(t, dir); len(left) > 0 {
		t.Errorf("staging left behind: %v", left)
	}
}

// deadPid is the pid of a process that ran and ended, so names no process
// now, as a killed build's pid does.
func deadPid(t *testing.T) int {
	t.Helper()
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatalf("cannot run true: %v", err)
	}
	return gone.Process.Pid
}

// snapshot describes every name, size and link under dir, to show that a
// refused run changed nothing.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %v %d;", p, fi.Mode(), fi.Size())
		return nil
	})
	return b.String()
}

func mustMkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestOutputSafetyEdgeCases holds the edge cases of output placement: each
// must refuse with exit 2 and change nothing, or succeed doing the right
// thing.
func TestOutputSafetyEdgeCases(t *testing.T) {
	dir := t.TempDir()
	project := writeProject(t, nil)
	k := writeTestKeys(t, dir, nil)
	cfg := filepath.Join(project, "auditpack.yaml")
	build := func(out string, extra ...string) (int, string, string) {
		return runCLI(t, append([]string{"build", "-c", cfg, "--out", out, "--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15"}, extra...)...)
	}
	pkg := filepath.Join(dir, "pkg")
	buildExample(t, project, k, pkg, "--zip")

	t.Run("init --force onto the model it reads", func(t *testing.T) {
		model := filepath.Join(project, "model.yaml")
		before := snapshot(t, project)
		link := filepath.Join(dir, "projlink")
		os.Symlink(project, link)
		for _, out := range []string{model, filepath.Join(link, "model.yaml")} {
			code, _, stderr := runCLI(t, "init", "--model", model, "--out", out, "--force")
			if code != exitInput || !strings.Contains(stderr, "is the threat model, an input of this run") {
				t.Errorf("init --out %s: exit %d: %s", out, code, stderr)
			}
		}
		if snapshot(t, project) != before {
			t.Error("the model was replaced")
		}
	})
	t.Run("a symbolic link in the working directory", func(t *testing.T) {
		// From a/b/link (a link to the project), ../<project>/evidence/x
		// is inside the evidence bundle on disk, though not by its words.
		deep := filepath.Join(dir, "a", "b")
		mustMkdir(t, deep)
		if err := os.Symlink(project, filepath.Join(deep, "link")); err != nil {
			t.Fatal(err)
		}
		// The shell keeps $PWD as the link's path; Getwd believes it.
		t.Setenv("PWD", filepath.Join(deep, "link"))
		t.Chdir(filepath.Join(deep, "link"))
		out := filepath.Join("..", filepath.Base(project), "evidence", "newpkg")
		before := snapshot(t, project)
		code, _, stderr := build(out)
		if code != exitInput || !strings.Contains(stderr, "lies inside the evidence bundle") {
			t.Errorf("exit %d: %s", code, stderr)
		}
		if snapshot(t, project) != before {
			t.Error("the evidence bundle changed")
		}
	})
	t.Run("trailing slash and dot", func(t *testing.T) {
		for _, out := range []string{filepath.Join(dir, "slash") + "/", filepath.Join(dir, "dot") + "/."} {
			code, _, stderr := build(out, "--zip")
			clean := filepath.Clean(out)
			if code != exitOK {
				t.Fatalf("--out %s: exit %d: %s", out, code, stderr)
			}
			if _, err := os.Stat(filepath.Join(clean, "manifest.json")); err != nil {
				t.Errorf("--out %s: no package at %s: %v", out, clean, err)
			}
			if _, err := os.Stat(clean + ".zip"); err != nil {
				t.Errorf("--out %s: no zip beside it: %v", out, err)
			}
			if left := stagingLeft(t, clean); len(left) > 0 {
				t.Errorf("--out %s: staging inside the package: %v", out, left)
			}
		}
		code, _, stderr := build(filepath.Join(dir, "slash")+"/", "--force")
		if code != exitOK {
			t.Errorf("--force over pkg/: exit %d: %s", code, stderr)
		}
	})
	t.Run("--out . with --force in an empty directory", func(t *testing.T) {
		empty := filepath.Join(dir, "here")
		mustMkdir(t, empty)
		t.Chdir(empty)
		if code, _, stderr := build(".", "--force"); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if _, err := os.Stat(filepath.Join(empty, "manifest.json")); err != nil {
			t.Errorf("no package in the directory: %v", err)
		}
	})
	t.Run("a file in the way of the output path", func(t *testing.T) {
		plain := filepath.Join(dir, "plainfile")
		mustWrite(t, plain, []byte("x"), 0o644)
		code, _, stderr := build(filepath.Join(plain, "sub"))
		if code != exitInput || !strings.Contains(stderr, "plainfile") {
			t.Errorf("exit %d: %s", code, stderr)
		}
	})
	t.Run("--force onto a package with files added by hand", func(t *testing.T) {
		extra := filepath.Join(pkg, "NOTES-user.txt")
		mustWrite(t, extra, []byte("mine"), 0o644)
		defer os.Remove(extra)
		before := snapshot(t, dir)
		code, _, stderr := build(pkg, "--force")
		if code != exitInput || !strings.Contains(stderr, "holds what its package does not list (NOTES-user.txt)") {
			t.Errorf("exit %d: %s", code, stderr)
		}
		if snapshot(t, dir) != before {
			t.Error("something changed")
		}
	})
	t.Run("--force onto a lookalike manifest", func(t *testing.T) {
		for name, manifest := range map[string]string{
			"one-line":       `{"schema_version":"auditpack/package/v1"}`,
			"trailing-bytes": `{"schema_version":"auditpack/package/v1"} and more`,
		} {
			user := filepath.Join(dir, "user-"+name)
			mustMkdir(t, user)
			mustWrite(t, filepath.Join(user, "manifest.json"), []byte(manifest), 0o644)
			mustWrite(t, filepath.Join(user, "thesis.txt"), []byte("years"), 0o644)
			code, _, stderr := build(user, "--force")
			if code != exitInput || !strings.Contains(stderr, "is not an auditpack package") {
				t.Errorf("%s: exit %d: %s", name, code, stderr)
			}
			if _, err := os.Stat(filepath.Join(user, "thesis.txt")); err != nil {
				t.Errorf("%s: the user's file is gone", name)
			}
		}
		linked := filepath.Join(dir, "user-linked")
		mustMkdir(t, linked)
		os.Symlink(filepath.Join(pkg, "manifest.json"), filepath.Join(linked, "manifest.json"))
		mustWrite(t, filepath.Join(linked, "thesis.txt"), []byte("years"), 0o644)
		if code, _, stderr := build(linked, "--force"); code != exitInput {
			t.Errorf("a manifest.json that links to a package's: exit %d: %s", code, stderr)
		}
	})
	t.Run("demo --force onto a real package", func(t *testing.T) {
		before := snapshot(t, pkg)
		code, _, stderr := runCLI(t, "demo", "--out", pkg, "--force")
		if code != exitInput || !strings.Contains(stderr, "demo --force replaces only a demo package") {
			t.Errorf("exit %d: %s", code, stderr)
		}
		if snapshot(t, pkg) != before {
			t.Error("the real package changed")
		}
	})
	t.Run("a swap under --force keeps the new package", func(t *testing.T) {
		target := filepath.Join(dir, "swapped")
		buildExample(t, project, k, target)
		swap := func() {
			os.RemoveAll(target)
			mustMkdir(t, target)
			mustWrite(t, filepath.Join(target, "mine.txt"), []byte("mine"), 0o644)
		}
		code, _, stderr := runCLIHooked(t, swap, "build", "-c", cfg, "--out", target, "--key", k.key, "--cert", k.cert,
			"--as-of", "2026-11-15", "--force")
		if code != exitInput || !strings.Contains(stderr, "kept at "+target+".new") {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if data, err := os.ReadFile(filepath.Join(target, "mine.txt")); err != nil || string(data) != "mine" {
			t.Error("the directory swapped in was not put back")
		}
		if code, stdout, _ := runCLI(t, "verify", target+".new", "--signer-fingerprint", k.fingerprint); code != exitOK {
			t.Errorf("the kept package does not verify: %s", stdout)
		}
	})
	t.Run("an absolute path in the configuration is warned of", func(t *testing.T) {
		abs := writeProject(t, map[string]func(string) string{"auditpack.yaml": func(s string) string {
			return strings.Replace(s, "model: model.yaml", "model: "+filepath.Join(project, "model.yaml"), 1)
		}})
		code, _, stderr := runCLI(t, "check", "-c", filepath.Join(abs, "auditpack.yaml"), "--fail-on", "none")
		if code != exitOK || !strings.Contains(stderr, "auditpack.yaml: model: "+filepath.Join(project, "model.yaml")+" is an absolute path") {
			t.Errorf("exit %d: %s", code, stderr)
		}
	})
}

// TestStoppedForceBuildPutsThePackageBack leaves what a --force build
// killed mid-commit leaves: the old package moved aside and no package at
// --out. The next run must put it back, not delete it.
func TestStoppedForceBuildPutsThePackageBack(t *testing.T) {
	dir := t.TempDir()
	project := writeProject(t, nil)
	k := writeTestKeys(t, dir, nil)
	out := filepath.Join(dir, "pkg")
	base := filepath.Join(dir, fmt.Sprintf(".auditpack-tmp-%d-00112233aabb", deadPid(t)))
	buildExample(t, project, k, base+".old0")
	mustWrite(t, filepath.Join(base+".old0", "marker"), nil, 0o644)
	mustWrite(t, base+".lock", []byte(out+"\n\n"), 0o600)
	mustMkdir(t, base)
	code, _, stderr := runCLI(t, "build", "-c", filepath.Join(project, "auditpack.yaml"), "--out", filepath.Join(dir, "other"),
		"--key", k.key, "--cert", k.cert, "--as-of", "2026-11-15")
	if code != exitOK || !strings.Contains(stderr, "restored "+out+", which a build that stopped") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "marker")); err != nil {
		t.Errorf("the old package is not back at %s: %v", out, err)
	}
	if left := stagingLeft(t, dir); len(left) > 0 {
		t.Errorf("staging left behind: %v", left)
	}
}
