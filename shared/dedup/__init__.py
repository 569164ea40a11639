"""Finding and merging duplicate companies and contacts.

normalize (comparable keys; nicknames) -> blocking (which pairs are compared) -> scoring
(explainable match weights) -> clustering (candidate groups, guarded against chains).
loading reads records, service runs jobs, queue is the review queue, incremental checks new
records against the register through indexes (and warns on create); merge (survivorship),
repoint (what moves, the most protective state) and undo.
"""
