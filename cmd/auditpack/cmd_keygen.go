package main

import (
	"context"
	"crypto/rand"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/auditpack/auditpack/audit/config"
	"github.com/auditpack/auditpack/audit/rootfs"
	"github.com/auditpack/auditpack/reports/packager"
	"github.com/auditpack/auditpack/reports/signature"
	"github.com/urfave/cli/v2"
)

// Names of the files keygen writes.
const (
	keyFileName  = "signing-key.pem"
	certFileName = "signing-cert.pem"
	csrFileName  = "signing.csr"
)

// pkcs12PasswordEnv holds the PKCS #12 password, so it never appears in a
// command line or a configuration file.
const pkcs12PasswordEnv = "AUDITPACK_PKCS12_PASSWORD"

func (env *environment) keygenCommand() *cli.Command {
	return &cli.Command{
		Name:  "keygen",
		Usage: "create a package signing key with a self-signed certificate or a certificate request",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "write the key and certificate (or request) into `DIR` (required)"},
			&cli.StringFlag{Name: "alg", Value: signature.AlgECDSAP256, Usage: "key algorithm: ecdsa-p256, rsa-2048 or rsa-3072"},
			&cli.StringFlag{Name: "subject", Value: "CN=auditpack package signer", Usage: "certificate subject, e.g. \"CN=Acme Pay compliance,O=Acme Pay Ltd,C=GB\""},
			&cli.BoolFlag{Name: "csr", Usage: "write a certificate request for your CA instead of a self-signed certificate"},
			&cli.IntFlag{Name: "days", Value: 365, Usage: "validity of the self-signed certificate in `DAYS`"},
		},
		Action: func(c *cli.Context) error {
			return env.runKeygen(c.Context, keygenOptions{dir: c.String("out"), alg: c.String("alg"), subject: c.String("subject"),
				csr: c.Bool("csr"), days: c.Int("days")})
		},
	}
}

// keygenOptions are keygen's options.
type keygenOptions struct {
	dir          string // where the key and the certificate (or request) go
	alg, subject string
	csr          bool // a certificate request instead of a self-signed certificate
	days         int  // the self-signed certificate's validity
}

// runKeygen writes a PKCS #8 key (mode 0600) and a self-signed certificate
// or a CSR into the options' directory. It never overwrites: a signing key
// that silently replaced another would orphan every package signed with the
// old one.
//
// The self-signed certificate is valid from now, never before: a package
// is signed when it is built, not at its as-of date, so no signature
// needs a certificate older than the key.
func (env *environment) runKeygen(_ context.Context, o keygenOptions) (err error) {
	if o.dir == "" {
		return &usageError{"keygen needs --out DIR"}
	}
	switch o.alg {
	case signature.AlgECDSAP256, signature.AlgRSA2048, signature.AlgRSA3072:
	default:
		return &usageError{fmt.Sprintf("--alg %q: use ecdsa-p256, rsa-2048 or rsa-3072", o.alg)}
	}
	if o.days < 1 || o.days > 3650 {
		return &usageError{"--days must be between 1 and 3650"}
	}
	name, err := parseSubject(o.subject)
	if err != nil {
		return &usageError{fmt.Sprintf("--subject: %v", err)}
	}
	second := certFileName
	if o.csr {
		second = csrFileName
	}
	keyPath, secondPath := filepath.Join(o.dir, keyFileName), filepath.Join(o.dir, second)
	for _, p := range []string{keyPath, secondPath} {
		if _, err := os.Lstat(p); err == nil {
			return &usageError{fmt.Sprintf("%s already exists; keygen never overwrites a key", p)}
		}
	}
	key, err := signature.GenerateKey(o.alg, rand.Reader)
	if err != nil {
		return err
	}
	keyPEM, err := signature.EncodePrivateKeyPEM(key)
	if err != nil {
		return err
	}
	var secondPEM []byte
	fingerprint := ""
	var notBefore, notAfter time.Time
	if o.csr {
		der, err := signature.CreateCSR(key, name, rand.Reader)
		if err != nil {
			return err
		}
		secondPEM = signature.EncodeCSRPEM(der)
	} else {
		notBefore = env.now().UTC().Truncate(time.Second)
		notAfter = notBefore.AddDate(0, 0, o.days)
		cert, err := signature.SelfSigned(key, name, notBefore, notAfter, rand.Reader)
		if err != nil {
			return err
		}
		secondPEM = signature.EncodeCertificatesPEM(cert)
		fingerprint = packager.FormatFingerprint(signature.CertFingerprint(cert))
	}
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return &inputError{err}
	}
	if err := createExclusive(keyPath, keyPEM, 0o600); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(keyPath)
		}
	}()
	if err := createExclusive(secondPath, secondPEM, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wrote %s (private key, mode 0600: keep it secret)\n", keyPath)
	if o.csr {
		fmt.Fprintf(env.stdout, "wrote %s: send it to your CA and save the certificate it issues\n", secondPath)
		return nil
	}
	fmt.Fprintf(env.stdout, "wrote %s (self-signed, valid from %s to %s, %d days)\n", secondPath,
		notBefore.Format(time.RFC3339), notAfter.Format(time.RFC3339), o.days)
	fmt.Fprintf(env.stdout, "certificate SHA-256 fingerprint: %s\n", fingerprint)
	fmt.Fprintln(env.stdout, "give this fingerprint to whoever verifies your packages, through a channel other than the package")
	return nil
}

// createExclusive writes a new file with mode perm, failing if it exists.
func createExclusive(p string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &usageError{fmt.Sprintf("%s already exists; keygen never overwrites a key", p)}
		}
		return &inputError{err}
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(p)
		return &inputError{err}
	}
	return nil
}

// parseSubject reads "CN=name,O=org,OU=unit,L=city,ST=state,C=GB". Values
// cannot contain commas; that keeps the syntax obvious.
func parseSubject(s string) (pkix.Name, error) {
	var n pkix.Name
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		v = strings.TrimSpace(v)
		if !ok || v == "" {
			return n, fmt.Errorf("%q is not KEY=VALUE", part)
		}
		switch strings.ToUpper(strings.TrimSpace(k)) {
		case "CN":
			n.CommonName = v
		case "O":
			n.Organization = append(n.Organization, v)
		case "OU":
			n.OrganizationalUnit = append(n.OrganizationalUnit, v)
		case "L":
			n.Locality = append(n.Locality, v)
		case "ST":
			n.Province = append(n.Province, v)
		case "C":
			n.Country = append(n.Country, v)
		default:
			return n, fmt.Errorf("unknown attribute %q (use CN, O, OU, L, ST, C)", k)
		}
	}
	if n.CommonName == "" {
		return n, errors.New("a CN is required")
	}
	return n, nil
}

// signingFlags name the signing key of build; they win over the
// configuration's signing: section.
func signingFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "key", Usage: "signing key `FILE` (PEM, mode 0600)"},
		&cli.StringFlag{Name: "cert", Usage: "signing certificate `FILE` (PEM; further certificates form the chain)"},
		&cli.StringFlag{Name: "chain", Usage: "intermediate certificates `FILE` (PEM)"},
		&cli.StringFlag{Name: "pkcs12", Usage: "key and certificates in one PKCS #12 `FILE`; password from " + pkcs12PasswordEnv},
	}
}

// signerSource is the loaded signing identity of a run.
type signerSource struct {
	signer *signature.Signer
	// files are the key, certificate, chain and PKCS #12 files read, which
	// no output may replace.
	files []string
}

// signingOptions name the signing files on the command line
// (signingFlags).
type signingOptions struct {
	key, cert, chain, pkcs12 string
	// given is whether --key, --cert or --pkcs12 was given: then the
	// flags replace the configuration's signing: section.
	given bool
}

func signingOptionsOf(c *cli.Context) signingOptions {
	return signingOptions{key: c.String("key"), cert: c.String("cert"), chain: c.String("chain"), pkcs12: c.String("pkcs12"),
		given: c.IsSet("key") || c.IsSet("cert") || c.IsSet("pkcs12")}
}

// loadSigner loads the key named by flags (relative to the working
// directory) or by the configuration (relative to cfgDir). A key file that
// group or others can read is refused: a copied key signs anything.
func loadSigner(o signingOptions, cfg *config.Signing, cfgDir string) (*signerSource, error) {
	var key, cert, chain, p12 string
	if cfg != nil {
		rel := func(p string) string {
			if p == "" || filepath.IsAbs(p) {
				return p
			}
			return filepath.Join(cfgDir, filepath.FromSlash(p))
		}
		key, cert, chain, p12 = rel(cfg.Key), rel(cfg.Certificate), rel(cfg.Chain), rel(cfg.PKCS12)
	}
	if o.given {
		key, cert, chain, p12 = o.key, o.cert, o.chain, o.pkcs12
	}
	var s *signature.Signer
	switch {
	case p12 != "" && (key != "" || cert != ""):
		return nil, &usageError{"give either a PKCS #12 file or a key and a certificate, not both"}
	case p12 != "":
		data, err := readKeyFile(p12)
		if err != nil {
			return nil, err
		}
		if s, err = signature.LoadPKCS12(data, os.Getenv(pkcs12PasswordEnv)); err != nil {
			return nil, &inputError{fmt.Errorf("%s: %w", p12, err)}
		}
	case key != "" && cert != "":
		keyPEM, err := readKeyFile(key)
		if err != nil {
			return nil, err
		}
		certPEM, err := readUserFile(cert, "signing certificate", maxKeyFile)
		if err != nil {
			return nil, err
		}
		if chain != "" {
			more, err := readUserFile(chain, "certificate chain", maxKeyFile)
			if err != nil {
				return nil, err
			}
			if _, err := signature.ParseChainPEM(more); err != nil {
				return nil, &inputError{fmt.Errorf("certificate chain %s: %w", chain, err)}
			}
			certPEM = append(append(certPEM, '\n'), more...)
		}
		if s, err = signature.LoadPEM(keyPEM, certPEM); err != nil {
			return nil, &inputError{fmt.Errorf("%s, %s: %w", key, cert, err)}
		}
	case key != "" || cert != "":
		return nil, &usageError{"a signing key needs both --key and --cert (or signing.key and signing.certificate)"}
	default:
		return nil, &usageError{"no signing key: set signing: in auditpack.yaml or pass --key and --cert (or --pkcs12); " +
			"`auditpack keygen --out DIR` creates one"}
	}
	return &signerSource{signer: s, files: []string{key, cert, chain, p12}}, nil
}

// readKeyFile reads a private key file after checking that only its owner
// can read it.
// The check is made on the open handle, which is then read.
func readKeyFile(p string) ([]byte, error) {
	f, err := rootfs.Open(p, p)
	if err != nil {
		return nil, &inputError{fmt.Errorf("signing key: %w", inputFileError(p, err))}
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &inputError{fmt.Errorf("signing key: %w", err)}
	}
	if err := signature.CheckKeyFilePerm(fi); err != nil {
		f.Close()
		return nil, &inputError{fmt.Errorf("%s: %w", p, err)}
	}
	data, err := rootfs.Read(f, p, maxKeyFile)
	if err != nil {
		return nil, &inputError{fmt.Errorf("signing key: %w", inputFileError(p, err))}
	}
	return data, nil
}

// demoSigner makes the throwaway key of `auditpack demo`: a fresh ECDSA key
// and a self-signed certificate named as a demo, valid from now, when the
// demo package is signed, for 30 days. It is never written anywhere.
func demoSigner(now time.Time) (*signerSource, error) {
	key, err := signature.GenerateKey(signature.AlgECDSAP256, rand.Reader)
	if err != nil {
		return nil, err
	}
	from := now.UTC().Truncate(time.Second)
	name := pkix.Name{CommonName: "auditpack DEMO throwaway key (not evidence)", Organization: []string{"auditpack demo"}}
	cert, err := signature.SelfSigned(key, name, from, from.AddDate(0, 0, 30), rand.Reader)
	if err != nil {
		return nil, err
	}
	s, err := signature.NewSigner(key, cert, nil)
	if err != nil {
		return nil, err
	}
	return &signerSource{signer: s}, nil
}
