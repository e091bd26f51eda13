# Fixture stand-in for kubernaut's pkg/aianalysis/testdata/policies/approval.rego: the package and the two rules the
# AI analysis controller reads (require_approval, reason), with a minimal rule written for kubernaut-e2e's tests.
package aianalysis.approval

import rego.v1

default require_approval := false

require_approval if lower(input.environment) == "production"

default reason := "Auto-approved"

reason := "Production requires approval" if require_approval
