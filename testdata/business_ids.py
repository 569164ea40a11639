"""Valid Finnish business IDs for tests and synthetic data."""

from shared.common.validation import business_id_check_digit


def valid_business_id(seed: int) -> str:
    """The first valid business ID at or after the seven-digit number `seed`."""
    n = seed % 10_000_000
    while (check := business_id_check_digit(f"{n:07d}")) is None:
        n = (n + 1) % 10_000_000
    return f"{n:07d}-{check}"
