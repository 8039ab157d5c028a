package main

import "github.com/auditpack/auditpack/audit/evidence/facts"

// readFacts reads the facts of an evidence file while it is hashed, for
// every command that verifies a bundle. It is a variable so that tests can
// add a format of their own beside the real ones.
var readFacts = facts.ReadAll
