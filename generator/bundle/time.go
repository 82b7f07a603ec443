package bundle

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultTime is the modification time of every entry of a bundle when
// SOURCE_DATE_EPOCH is not set: 2000-01-01 00:00:00 UTC.
var DefaultTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// EnvEpoch is the environment variable of reproducible builds that sets the
// time of every entry, in seconds since 1970-01-01 00:00:00 UTC.
const EnvEpoch = "SOURCE_DATE_EPOCH"

// EntryTime is the time every entry of a bundle carries: SOURCE_DATE_EPOCH
// when getenv (os.Getenv) says it is set, else DefaultTime.
func EntryTime(getenv func(string) string) (time.Time, error) {
	v := strings.TrimSpace(getenv(EnvEpoch))
	if v == "" {
		return DefaultTime, nil
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil || sec < 0 {
		return time.Time{}, fmt.Errorf("%s=%q is not a whole number of seconds since 1970; set it to one, such as %d, or unset it", EnvEpoch, v, DefaultTime.Unix())
	}
	return time.Unix(sec, 0).UTC(), nil
}

// The range of MS-DOS times, which a zip's entries carry.
var (
	dosFirst = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	dosLast  = time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC)
)

// dosTime is t (DefaultTime when zero) as the MS-DOS date and time of a zip
// entry: in UTC, brought into 1980–2107, to the even second below.
func dosTime(t time.Time) (date, clock uint16) {
	if t.IsZero() {
		t = DefaultTime
	}
	t = t.UTC()
	if t.Before(dosFirst) {
		t = dosFirst
	}
	if t.After(dosLast) {
		t = dosLast
	}
	date = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	clock = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, clock
}
