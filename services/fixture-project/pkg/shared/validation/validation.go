// Package validation holds the field checks and the error list every service's API types use.
package validation

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
	labelKey = regexp.MustCompile(`^([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`)
)

// IsDNSLabel reports whether s is an RFC 1123 label.
func IsDNSLabel(s string) bool { return dnsLabel.MatchString(s) }

// IsLabelKey reports whether s is a Kubernetes label key.
func IsLabelKey(s string) bool { return labelKey.MatchString(s) }

// Errors collects field errors.
type Errors struct{ list []string }

// Add records one field error.
func (e *Errors) Add(field, format string, args ...interface{}) {
	e.list = append(e.list, field+": "+fmt.Sprintf(format, args...))
}

// Err is nil without errors, else one error naming them all.
func (e *Errors) Err() error {
	if len(e.list) == 0 {
		return nil
	}
	return fmt.Errorf("invalid: %s", strings.Join(e.list, "; "))
}
