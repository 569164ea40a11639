"""Marketing and research campaigns: audience, rendering, send-time eligibility, opt-out."""
