# Fixture stand-in for kubernaut's charts/kubernaut/examples/signalprocessing-policy.rego: the package and the rules
# the signal processing controller evaluates (environment, severity, priority, labels), with minimal rules written
# for kubernaut-e2e's tests.
package signalprocessing

import rego.v1

default environment := {"environment": "unknown", "source": "default"}

environment := {"environment": lower(value), "source": "namespace-labels"} if {
	value := input.namespace.labels["kubernaut.ai/environment"]
	value != ""
}

default severity := "unknown"

severity := lower(input.signal.severity) if {
	lower(input.signal.severity) in {"critical", "high", "warning", "info"}
}

default priority := {"priority": "P3", "policy_name": "default"}

priority := {"priority": "P0", "policy_name": "fixture-production-critical"} if {
	environment.environment == "production"
	severity == "critical"
}

default labels := {}
