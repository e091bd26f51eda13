// Package config reads a service's YAML configuration file the way kubernaut's binaries take theirs: the file a
// -config/--config flag or the CONFIG_PATH variable names must exist and parse, or the service does not start.
//
// Standard library only, so it reads the subset of YAML these configuration files use: block mappings of scalars
// (plain, 'single' or "double" quoted, | and > block text), nested by indentation, flattened to dotted keys
// ("server.listenAddr"). A sequence or a flow collection is kept as present, with its text as its value.
package config

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// File is one configuration file, read.
type File struct {
	Path   string
	values map[string]string
}

// Load reads and parses the file at path; a missing or unreadable file is an error naming the path.
func Load(path string) (*File, error) {
	if path == "" {
		return nil, errors.New("no configuration file given")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("configuration file: %w", err)
	}
	values, err := Parse(string(data))
	if err != nil {
		return nil, fmt.Errorf("configuration file %s: %w", path, err)
	}
	return &File{Path: path, values: values}, nil
}

// Has says whether the file sets key.
func (f *File) Has(key string) bool {
	_, ok := f.values[key]
	return ok
}

// String is key's value, or def when the file does not set it.
func (f *File) String(key, def string) string {
	if v, ok := f.values[key]; ok && v != "" {
		return v
	}
	return def
}

// Int is key's value as an integer, or def when the file does not set it.
func (f *File) Int(key string, def int) (int, error) {
	v, ok := f.values[key]
	if !ok || v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s: %s is not an integer", key, v)
	}
	return n, nil
}

type level struct {
	indent int
	key    string
}

// Parse flattens a YAML block mapping into dotted keys.
func Parse(text string) (map[string]string, error) {
	values := map[string]string{}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var stack []level
	for i := 0; i < len(lines); i++ {
		line := stripComment(lines[i])
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || trimmed == "---" {
			continue
		}
		if strings.HasPrefix(line, "\t") {
			return nil, fmt.Errorf("line %d: indented with a tab", i+1)
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		if strings.HasPrefix(trimmed, "- ") || trimmed == "-" {
			// A sequence under the enclosing key: kept as present, its items skipped.
			for i+1 < len(lines) {
				next := stripComment(lines[i+1])
				nextIndent := len(next) - len(strings.TrimLeft(next, " "))
				item := strings.HasPrefix(strings.TrimSpace(next), "-")
				if strings.TrimSpace(next) != "" && (nextIndent < indent || (nextIndent == indent && !item)) {
					break
				}
				i++
			}
			continue
		}
		colon := keyEnd(trimmed)
		if colon < 0 {
			return nil, fmt.Errorf("line %d: expected key: value, got %q", i+1, trimmed)
		}
		key := unquote(strings.TrimSpace(trimmed[:colon]))
		value := strings.TrimSpace(trimmed[colon+1:])
		path := key
		if len(stack) > 0 {
			path = stack[len(stack)-1].key + "." + key
		}
		switch {
		case value == "":
			values[path] = ""
			stack = append(stack, level{indent: indent, key: path})
		case value == "|" || value == ">" || value == "|-" || value == ">-":
			var block []string
			for i+1 < len(lines) {
				next := lines[i+1]
				if strings.TrimSpace(next) != "" && len(next)-len(strings.TrimLeft(next, " ")) <= indent {
					break
				}
				block = append(block, strings.TrimSpace(next))
				i++
			}
			sep := "\n"
			if strings.HasPrefix(value, ">") {
				sep = " "
			}
			values[path] = strings.Join(block, sep)
		default:
			values[path] = unquote(value)
		}
	}
	return values, nil
}

// keyEnd is the index of the colon that ends a mapping key (followed by a space or the end of the line), outside
// quotes; -1 if there is none.
func keyEnd(s string) int {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == ':' && (i+1 == len(s) || s[i+1] == ' '):
			return i
		}
	}
	return -1
}

// stripComment drops a # comment (at the start of the line or after a space), outside quotes.
func stripComment(line string) string {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || line[i-1] == ' '):
			return strings.TrimRight(line[:i], " ")
		}
	}
	return strings.TrimRight(line, " ")
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
		return s[1 : len(s)-1]
	}
	return s
}
