"""The question log and answer feedback (pseudonymous, within the retention)."""
