// Package signature creates and checks the signatures of an audit package.
//
// It signs two things: detached CMS signatures (RFC 5652, DER) over files
// such as SHA256SUMS, and PDF reports, which get one PAdES B-B incremental
// update (ETSI EN 319 142-1) so the unsigned report stays a byte-exact prefix
// of the signed one. Both formats are checked by standard tools (openssl cms,
// pdfsig), so an auditor never has to trust auditpack itself; the strict
// verifiers here exist so that `auditpack verify` fails closed on anything
// unexpected.
//
// # Keys
//
// Only ECDSA P-256 (the default) and RSA keys of at least 2048 bits are
// accepted: OpenSSL 3.0 and poppler cannot verify Ed25519 CMS signatures.
// Every signature goes through [crypto.Signer], so a hardware key can replace
// a key file later without changing the formats.
//
// # What this package never does
//
// It never opens a path, prints, reads the clock or reaches the network:
// callers pass bytes, readers and times. Given the same inputs, an RSA
// signature (PKCS #1 v1.5) is byte-for-byte reproducible.
package signature
