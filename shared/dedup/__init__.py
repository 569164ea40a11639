"""Finding and merging duplicate companies and contacts.

normalize (comparable keys) -> blocking (which pairs are compared) -> scoring (explainable match
weights) -> clustering (candidate groups, guarded against chains) -> service (runs, the review
queue, incremental checks) -> merge (survivorship, re-pointing, the most protective state, undo).
"""
