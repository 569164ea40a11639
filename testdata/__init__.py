"""Test data generators for the tests and the benchmarks (never imported by `shared` or
`services`): `testdata.synthetic` (Finnish-looking companies and contacts, and the duplicate mode
with its truth) and `testdata.business_ids` (valid business IDs). Importable from the repository
root: pytest puts it on the path (pyproject.toml `pythonpath`), `python -m bench…` runs there."""
