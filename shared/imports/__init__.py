"""Bulk import of companies and contacts from CSV files, as a job on the bulk queue.

`csv_format` (the columns), `rows` + `fields` (reading and checking), `upsert` (COPY + MERGE),
`uploads` (the stored file), `service` (the import and its job handler).
"""
