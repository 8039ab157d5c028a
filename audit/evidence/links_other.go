//go:build !unix

package evidence

import "io/fs"

type fileID struct{ dev, ino uint64 }

// linkInfo knows no link counts on this system: fs.FileInfo does not carry
// them, so no hard link is reported.
func linkInfo(fs.FileInfo) (fileID, uint64, bool) { return fileID{}, 0, false }
