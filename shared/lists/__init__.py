"""Mailing lists and subscriptions to them."""
