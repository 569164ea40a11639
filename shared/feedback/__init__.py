"""Customer feedback and how it was handled."""
