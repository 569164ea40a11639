"""Real PostgreSQL, Redis and an SMTP catcher started locally, for `rekisteri up` and the tests.

Production never uses these: there the URLs point at real servers and nothing is started.
"""
