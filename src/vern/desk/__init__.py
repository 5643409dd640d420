"""The desk: what a staff member sees of a case at a glance, derived once (issue 14).

It sits above the domain apps (cases, assessments, consent, police, relocation, childwelfare)
and below the API and documents; the domain apps never import it (docs/architecture.md)."""
