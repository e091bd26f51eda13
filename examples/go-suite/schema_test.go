package gosuite

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// schemaDoc is the run result's reference, which holds the JSON Schema the CLI checks every result against.
const schemaDoc = "docs/reference/run-result.md"

// findSchemaDoc walks up from the test's folder to kubernaut-e2e's repository root. A copy of this example in
// another repository (a kubernaut checkout) does not have the reference: there, this test is skipped.
func findSchemaDoc(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		candidate := filepath.Join(d, schemaDoc)
		if _, err := os.Stat(candidate); err == nil {
			return candidate
		}
		if filepath.Dir(d) == d {
			t.Skipf("%s is not above %s: this copy of the example lives outside kubernaut-e2e's repository", schemaDoc, wd)
		}
	}
}

// schemaBranch is the part of a JSON Schema branch this test reads.
type schemaBranch struct {
	OneOf      []schemaBranch `json:"oneOf"`
	Required   []string       `json:"required"`
	Properties map[string]struct {
		Const json.RawMessage `json:"const"`
	} `json:"properties"`
}

// The fields Parse requires are the ones the published schema requires, for each command and outcome: when the
// schema changes, this test names the branch that no longer matches.
func TestParseRequiresWhatTheSchemaRequires(t *testing.T) {
	text, err := os.ReadFile(findSchemaDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	// The schema is the fenced JSON block that starts with "$schema".
	blocks := strings.Split(string(text), "```json\n")
	var raw string
	for _, block := range blocks[1:] {
		end := strings.Index(block, "\n```")
		if end < 0 {
			continue
		}
		if body := block[:end]; strings.HasPrefix(body, "{\n  \"$schema\"") {
			raw = body
		}
	}
	if raw == "" {
		t.Fatalf("no JSON block with \"$schema\" in %s", schemaDoc)
	}
	var root schemaBranch
	if err := json.Unmarshal([]byte(raw), &root); err != nil {
		t.Fatalf("%s: the schema: %v", schemaDoc, err)
	}

	var leaves []schemaBranch
	var walk func(schemaBranch)
	walk = func(b schemaBranch) {
		if len(b.OneOf) == 0 {
			leaves = append(leaves, b)
		}
		for _, sub := range b.OneOf {
			walk(sub)
		}
	}
	walk(root)

	checked := 0
	for _, leaf := range leaves {
		var command string
		if err := json.Unmarshal(leaf.Properties["command"].Const, &command); err != nil {
			t.Fatalf("a branch of the schema without a constant command: %v", err)
		}
		// ok is constant in up's branches (success, failure) and free in down's: check both outcomes then.
		outcomes := []bool{true, false}
		if c := leaf.Properties["ok"].Const; len(c) > 0 {
			var ok bool
			if err := json.Unmarshal(c, &ok); err != nil {
				t.Fatal(err)
			}
			outcomes = []bool{ok}
		}
		for _, ok := range outcomes {
			want := append([]string{}, leaf.Required...)
			got := required(command, ok)
			sort.Strings(want)
			sort.Strings(got)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, ok %v: Parse requires %v; the schema requires %v", command, ok, got, want)
			}
			checked++
		}
	}
	// up (success, failure) and down (either outcome).
	if checked != 4 {
		t.Errorf("checked %d command/outcome pairs; the schema has up's success and failure, and down's", checked)
	}
}
