package facts

import (
	"fmt"
	"time"
)

// lastUnixSecond is the last second of year 9999 (UTC). The vocabulary's
// dates have four-digit years, so a file stating a later time states no
// date auditpack can hold, and is refused rather than read as a date with
// a longer year that every later step would misread.
const lastUnixSecond = 253402300799

// errTimeOutOfRange says a time lies beyond the vocabulary's dates.
var errTimeOutOfRange = fmt.Errorf("time lies beyond year 9999")

// unixTime is sec as a UTC time, or errTimeOutOfRange past year 9999.
func unixTime(sec int64) (time.Time, error) {
	if sec > lastUnixSecond {
		return time.Time{}, fmt.Errorf("%d seconds after 1970: %w", sec, errTimeOutOfRange)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// addSeconds is start plus d seconds, refused past year 9999 (which a
// duration of that many seconds would overflow long before).
func addSeconds(start time.Time, d int64) (time.Time, error) {
	if d > lastUnixSecond-start.Unix() {
		return time.Time{}, fmt.Errorf("%d seconds after %s: %w", d, start.Format(time.RFC3339), errTimeOutOfRange)
	}
	return start.Add(time.Duration(d) * time.Second), nil
}
