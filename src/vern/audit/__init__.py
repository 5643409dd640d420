"""The tamper-evident audit log (issue 6): one append-only, HMAC-chained table of events."""
