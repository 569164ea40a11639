"""Contract partners and processors: the registry (who may receive what, for which purpose,
under which written agreement), sealing their secrets, and the delivery channels."""
