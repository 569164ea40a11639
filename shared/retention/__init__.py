"""Storage limitation (GDPR Art. 5(1)(e)): the retention policy (policy.toml, overridable by
settings), the nightly sweep and its plan (sweep.py), and legal holds (holds.py).

Nothing is imported here: subject_requests/erasure.py imports `holds`, and `sweep` imports the
erasure machinery, so this package must stay import-free to keep that free of cycles."""
