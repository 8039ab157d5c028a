// Package packager assembles and verifies auditpack's signed audit package: the
// rendered reports, the inputs exactly as read, optionally the evidence
// files, a schema-versioned manifest.json, a coreutils SHA256SUMS over every
// file and a detached CMS signature over SHA256SUMS, plus VERIFY.txt, which
// tells a third party how to check it all with openssl, sha256sum and pdfsig.
//
// # Building
//
// [Build] is pure: it takes bytes, hashes, a [signature.Signer] and times, and
// returns the files to write. No rendered artefact but the PDF report, which
// it signs in place, passes through it: the caller streams each [Artefact]
// into the package through [Artefact.Stream], copies large evidence files,
// and hands over the hashes, so no other artefact is held whole. The same
// inputs, key and times give byte-identical unsigned files; with RSA keys
// the signatures are identical too.
//
// # Verifying
//
// [Verify] reads a package through an [fs.FS] (a directory opened with
// os.OpenRoot, or an archive/zip reader) and fails closed: every file must be
// listed and match, nothing may be missing or extra, manifest.json must agree
// with SHA256SUMS and the files, and both signatures must verify under an
// explicit trust decision ([VerifyOptions]). It reports every failure it
// finds, each naming the file and the reason, not only the first.
//
// # What this package never does
//
// It never opens a path, reads the clock, prints or reaches the network.
package packager
