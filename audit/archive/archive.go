// Package archive reads zip archives that may be hostile, for every part
// of auditpack that accepts one: evidence bundles, audit packages and the
// results read back from a package.
//
// archive/zip trusts the central directory alone. A streaming extractor
// (unzip from a pipe, many Java and JavaScript tools) trusts the local
// headers instead, so an archive whose two views differ shows the
// reviewer one set of files and writes another: a local header named
// "../../x", an entry the central directory does not list, bytes hidden
// between entries, a program prepended to the archive. [Open] therefore
// parses the archive itself and accepts it only if every view agrees:
//
//   - the end record is the last thing in the file (a comment only where
//     the caller allows one, of exactly the declared length, holding no
//     zip signature);
//   - the central directory ends exactly where the end record (or the
//     zip64 end record) begins, and holds exactly the entries it declares;
//   - the entries, ordered by offset, start at byte 0 and follow one
//     another with no gap or overlap up to the central directory;
//   - each local header agrees with its central directory entry: name,
//     flags, method, CRC-32 and both sizes; with flag bit 3, the data
//     descriptor (with its signature) carries them and must agree too;
//   - an entry's comment and extra fields hold nothing a reader never
//     sees: no zip record signature, no unknown kind of extra field, and
//     no more than [MaxEntryComment] and [MaxExtra] bytes ([Options.Strict]
//     allows no comment and only the extra fields auditpack writes);
//   - reading an entry yields exactly the declared bytes with the declared
//     CRC-32, and a deflate stream ends exactly at the declared compressed
//     size, so no data hides inside an entry either.
//
// Entries must have clean, relative, unique names (ignoring case and
// Unicode normalisation, folders included: [Names]) that every system can
// hold ([CheckName]) and be regular files or directories, by the Unix mode
// whatever host wrote them, without setuid, setgid or sticky bits; sizes,
// counts and compression ratios are bounded by the caller's [Limits].
// Encryption, methods other than stored and deflate, split
// archives and stored entries with a data descriptor are refused.
package archive

import (
	"io"
)

// Limits bound what an archive may make auditpack read. Every entry must
// yield exactly the size its headers declare, so limits checked on the
// headers hold for the bytes actually read as well.
type Limits struct {
	MaxEntries  int   // files and directories
	MaxFileSize int64 // bytes of one file
	MaxTotal    int64 // bytes of all files together
	// MaxRatio bounds uncompressed to compressed size of an entry larger
	// than RatioFloor; 0 means no bound.
	MaxRatio   int64
	RatioFloor int64
}

// Options are a caller's rules on top of the ones every archive obeys.
type Options struct {
	Limits
	// Name, if set, is checked on every entry name (without the trailing
	// slash of a directory) after [CheckName].
	Name func(name string) error
	// RefuseNested refuses entries named like archives ([NestedExt]).
	RefuseNested bool
	// AllowComment accepts an archive comment; without it, any is refused.
	AllowComment bool
	// Strict holds every entry to what auditpack itself writes: no entry
	// comment, and no extra field but zip64 and the modification time
	// archive/zip adds. Without it, entries made by other tools may carry
	// a short comment and the extra fields common tools write, within
	// [MaxEntryComment] and [MaxExtra]; see [Open].
	Strict bool
}

// Open checks the whole archive in r (size bytes) and returns it as a file
// system, read in place. A refused archive gives a [Refusal] listing every
// problem found; problems found later, while reading an entry, are an
// [*Error] from Read.
func Open(r io.ReaderAt, size int64, opts Options) (*Reader, error) {
	p := &parser{r: r, size: size, opts: opts}
	entries := p.parse()
	if len(p.problems) > 0 {
		return nil, p.problems
	}
	return newReader(r, entries), nil
}
