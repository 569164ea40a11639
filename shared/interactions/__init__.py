"""Interactions with companies and contact persons: offers, purchases, meetings, calls…"""
