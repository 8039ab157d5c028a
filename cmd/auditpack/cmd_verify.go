package main

import (
	"context"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/auditpack/auditpack/audit/printable"
	"github.com/auditpack/auditpack/audit/rootfs"
	"github.com/auditpack/auditpack/reports/packager"
	"github.com/auditpack/auditpack/reports/signature"
	"github.com/urfave/cli/v2"
)

func (env *environment) verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "check an audit package's files and signatures (exit 3 on any failure)",
		ArgsUsage: "PACKAGE|ZIP",
		Description: "Trust must come from outside the package: give --ca (the signer must chain to it) and/or\n" +
			"--signer-fingerprint (the signer certificate's SHA-256). With neither, every check still runs,\n" +
			"but the result is UNTRUSTED: no anchor and the exit code is 3, unless --accept-unanchored.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "ca", Usage: "trust anchor(s): CA certificate `FILE` (PEM)"},
			&cli.StringFlag{Name: "signer-fingerprint", Usage: "the signer certificate's `SHA256` (hex, colons allowed)"},
			&cli.BoolFlag{Name: "rederive", Usage: "also evaluate the recorded inputs again and compare every verdict and count with the package's (exit 3 on any difference)"},
			&cli.BoolFlag{Name: "accept-unanchored", Usage: "without --ca or --signer-fingerprint, accept the signer the package names (integrity only; proves nothing about who signed)"},
		},
		Action: func(c *cli.Context) error { return env.runVerify(c.Context, verifyOptionsOf(c)) },
	}
}

// verifyOptions are verify's options, wherever they were given.
type verifyOptions struct {
	target           string // the package directory or zip
	ca, fingerprint  string
	acceptUnanchored bool
	rederive         bool
}

// verifyOptionsOf reads verify's flags and its package argument (checkArgs
// has made sure there is exactly one).
func verifyOptionsOf(c *cli.Context) verifyOptions {
	return verifyOptions{target: c.Args().First(), ca: c.String("ca"), fingerprint: c.String("signer-fingerprint"),
		acceptUnanchored: c.Bool("accept-unanchored"), rederive: c.Bool("rederive")}
}

// runVerify turns the trust options into checks and verifies the package.
func (env *environment) runVerify(ctx context.Context, v verifyOptions) error {
	var opts packager.VerifyOptions
	if f := v.ca; f != "" {
		pool, err := loadCAFile(f)
		if err != nil {
			return err
		}
		opts.Roots = pool
	}
	if s := v.fingerprint; s != "" {
		pin, err := parseFingerprint(s)
		if err != nil {
			return err
		}
		opts.Pin = pin
	}
	opts.AcceptUnanchored = v.acceptUnanchored
	if opts.AcceptUnanchored && (opts.Roots != nil || opts.Pin != nil) {
		return &usageError{"--accept-unanchored makes no sense with --ca or --signer-fingerprint"}
	}
	if err := env.verify(v.target, opts); err != nil || !v.rederive {
		if err != nil && v.rederive {
			fmt.Fprintln(env.stdout, "\nnot re-derived: the package did not verify")
		}
		return err
	}
	return env.rederive(ctx, v.target)
}

// verify opens a package directory or zip, runs every check and prints one
// line per check; a failed package is a *packager.VerifyError (exit 3).
func (env *environment) verify(target string, opts packager.VerifyOptions) error {
	rep, verr, err := verifyPackage(target, opts)
	if err != nil {
		return err
	}
	if rep != nil {
		for _, ch := range rep.Checks {
			status := "ok    "
			if !ch.OK {
				status = "FAILED"
			}
			name := ch.Name
			if ch.File != "" {
				name += " " + ch.File
			}
			fmt.Fprintf(env.stdout, "%s  %-40s %s\n", status, printable.String(name), printable.String(ch.Detail))
		}
	}
	if verr != nil {
		return verr
	}
	m := rep.Manifest
	fmt.Fprintf(env.stdout, "\nverified: %d files intact; signed by %s (%s); trust: %s\n",
		rep.Files, printable.String(rep.Signer.Subject.String()), packager.FormatFingerprint(signature.CertFingerprint(rep.Signer)), rep.Trust)
	if rep.Trust == packager.TrustNone {
		warnf(env.stderr, "UNTRUSTED: no anchor: accepted on request; this proves integrity, not who signed")
	}
	if m.Demo {
		warnf(env.stderr, "this is a DEMO package signed with a throwaway key; it is not evidence")
	}
	return nil
}

// verifyPackage verifies a directory, read through os.OpenRoot so that no
// symlink leads outside it, or a regular file as a zip, checked from its
// raw bytes. err is a failure to open; verr the verification's.
func verifyPackage(target string, opts packager.VerifyOptions) (rep *packager.Report, verr, err error) {
	fi, err := os.Stat(target)
	if err != nil {
		return nil, nil, &inputError{fmt.Errorf("package: %w", err)}
	}
	if fi.IsDir() {
		root, err := os.OpenRoot(target)
		if err != nil {
			return nil, nil, &inputError{err}
		}
		defer root.Close()
		rep, verr = packager.Verify(root.FS(), opts)
		return rep, verr, nil
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, &inputError{fmt.Errorf("%s is neither a directory nor a zip file", target)}
	}
	f, err := rootfs.Open(target, target)
	if err != nil {
		return nil, nil, inputFileError(target, err)
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, nil, &inputError{err}
	}
	rep, verr = packager.VerifyZip(f, fi.Size(), opts)
	if verr != nil {
		verr = fmt.Errorf("%s: %w", target, verr)
	}
	return rep, verr, nil
}

// loadCAFile reads trust anchors from a PEM file.
func loadCAFile(p string) (*x509.CertPool, error) {
	data, err := readUserFile(p, "--ca", maxCAFile)
	if err != nil {
		return nil, err
	}
	certs, err := signature.ParseCertificatesPEM(data)
	if err != nil {
		return nil, &inputError{fmt.Errorf("--ca %s: %w", p, err)}
	}
	pool := x509.NewCertPool()
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, nil
}

// parseFingerprint reads a SHA-256 fingerprint as openssl prints it
// ("sha256 Fingerprint=AB:CD:..."), as hex, or with a "sha256:" prefix.
func parseFingerprint(s string) ([]byte, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if i := strings.LastIndex(t, "="); i >= 0 {
		t = t[i+1:]
	}
	t = strings.ReplaceAll(strings.TrimPrefix(t, "sha256:"), ":", "")
	pin, err := hex.DecodeString(t)
	if err != nil || len(pin) != 32 {
		return nil, &usageError{fmt.Sprintf("--signer-fingerprint %q is not a SHA-256 (64 hex digits, colons allowed)", s)}
	}
	return pin, nil
}
