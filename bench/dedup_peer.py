"""The dedup benchmark's peer: Splink 5 on DuckDB, run on the same records in the same run.

Configured the way Splink's tutorial configures a deduplication, and fixed before the truth was
looked at: the records lower-cased and trimmed, empty cells NULL; comparisons from its comparison
library for the columns a profile has (`NameComparison` with term frequencies for both names,
`EmailComparison`, exact phone and business ID, Jaro–Winkler company and street, Levenshtein
postcode, exact town with term frequencies); blocking rules of pairs of columns; the chance that
two random records match from deterministic rules (recall 0.7), u by random sampling (10M pairs),
m by expectation–maximisation over blocking rules on both names, then on the email, postcode or
phone (a session Splink 5 refuses — an m of 0 for a level no pair in that block reaches — is
skipped and reported); predictions at match probability ≥ 0.5, clustered (connected components)
at 0.95 as its tutorial does. A contact at a company carries the company's address, so there the
address is left out (Splink's guidance on columns predictable from another). Pairs within a
cluster are its answer, scored against the truth with the same `pair_metrics` as ours.

Run by `python -m bench.dedup --profiles [--profile directory] [--contacts 20000]` beside ours; a
module of that benchmark, not a benchmark of its own.

Needs the `bench` extra (splink, duckdb: `make venv` installs it); not a dependency of the services.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any

SEED = 1


def _clean(value: Any) -> str | None:
    text = str(value or "").strip().lower()
    return " ".join(text.split()) or None


def _phone(value: Any) -> str | None:
    """Digits in the international form (040 123 → 35840123), the standardising Splink asks for."""
    digits = "".join(c for c in str(value or "") if c.isdigit())
    if digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = "358" + digits[1:]
    return digits or None


def _settings(columns: set[str], *, unique_emails: bool) -> tuple[list, list, list, list]:
    """Comparisons, prediction blocking rules, deterministic rules and EM blocking rules for the
    columns present (a directory has names and an address; a web form names and an email).
    Where no two records share an email (a register that keeps emails unique), Splink 5's EM
    cannot train the exact-email level (its m comes out 0 and is refused), so the email is then
    compared by its user name, as the tutorial's EmailComparison does at its other levels."""
    import splink.comparison_library as cl
    from splink import ColumnExpression, block_on

    comparisons = [cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
                   cl.NameComparison("last_name").configure(term_frequency_adjustments=True)]
    blocking = [block_on("first_name", "last_name"),
                block_on("substr(first_name, 1, 2)", "substr(last_name, 1, 2)", "substr(last_name, -2, 2)")]
    deterministic: list = []
    em = [block_on("first_name", "last_name")]
    if "email" in columns and unique_emails:
        user = ColumnExpression("email").regex_extract("^[^@]+")
        comparisons.append(cl.JaroWinklerAtThresholds(user, [0.88]))
        blocking.append(block_on(user))
    elif "email" in columns:
        comparisons.append(cl.EmailComparison("email"))
        blocking += [block_on("email"), block_on(ColumnExpression("email").regex_extract("^[^@]+"))]
        deterministic.append(block_on("email"))
        em.append(block_on("email"))
    if "phone" in columns:
        comparisons.append(cl.ExactMatch("phone"))
        blocking.append(block_on("phone"))
        deterministic.append(block_on("phone", "last_name"))
        em.append(block_on("phone"))
    if "company" in columns:
        comparisons.append(cl.JaroWinklerAtThresholds("company", [0.9, 0.7]))
        blocking += [block_on("company", "last_name"), block_on("company", "first_name")]
    if "business_id" in columns:
        comparisons.append(cl.ExactMatch("business_id"))
    if "street" in columns:
        comparisons.append(cl.JaroWinklerAtThresholds("street", [0.95, 0.85]))
        blocking.append(block_on("street"))
        deterministic.append(block_on("first_name", "last_name", "street"))
    if "postcode" in columns:
        comparisons.append(cl.LevenshteinAtThresholds("postcode", [1]))
        blocking += [block_on("postcode", "last_name"), block_on("postcode", "first_name")]
        em.append(block_on("postcode"))
    if "city" in columns:
        comparisons.append(cl.ExactMatch("city").configure(term_frequency_adjustments=True))
        blocking.append(block_on("city", "last_name"))
    if not deterministic:
        deterministic.append(block_on("first_name", "last_name"))
    return comparisons, blocking, deterministic, em


def splink_groups(rows: Iterable[Mapping[str, Any]], *, seed: int = SEED,
                  u_pairs: float = 1e7) -> tuple[list[list[str]], dict[str, Any]]:
    """Splink's clusters (lists of the rows' ids, two or more) and what it compared."""
    import pyarrow as pa
    from splink import DuckDBAPI, Linker, SettingsCreator

    rows = list(rows)
    columns = {c for row in rows for c, v in row.items() if c != "id" and v}
    if "company" in columns:  # the address is then the company's: predictable from it, left out as
        columns -= {"street", "postcode", "city"}  # Splink's guidance says of correlated columns
    used = [c for c in ("first_name", "last_name", "email", "phone", "company", "business_id", "street",
                        "postcode", "city") if c in columns]
    table = {"unique_id": [str(r["id"]) for r in rows]}
    for column in used:
        clean = _phone if column == "phone" else _clean
        table[column] = [clean(r.get(column)) for r in rows]
    emails = [e for e in table.get("email", []) if e]
    comparisons, blocking, deterministic, em = _settings(set(used), unique_emails=len(set(emails)) == len(emails))
    db_api = DuckDBAPI()
    frame = db_api.register(pa.table(table), dataset_display_name="records")
    settings = SettingsCreator(link_type="dedupe_only", comparisons=comparisons,
                               blocking_rules_to_generate_predictions=blocking, retain_intermediate_calculation_columns=False)
    linker = Linker(frame, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    skipped = []
    for rule in em:
        before = copy.deepcopy(linker._settings_obj)
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except ValueError:  # Splink 5 refuses an m of 0 (a level no pair in this block reaches)
            linker._settings_obj = before  # and would keep the session's half-way parameters
            skipped.append(rule.get_blocking_rule("duckdb").blocking_rule_sql)
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    compared = db_api.duckdb_con.execute(f"SELECT count(*) FROM {predictions.physical_name}").fetchall()[0][0]
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold_match_probability=0.95)
    members: dict[str, list[str]] = {}
    for unique_id, cluster_id in db_api.duckdb_con.execute(
            f"SELECT unique_id, cluster_id FROM {clusters.physical_name}").fetchall():
        members.setdefault(str(cluster_id), []).append(str(unique_id))
    return [m for m in members.values() if len(m) > 1], {"predictions": compared, "em_skipped": skipped}


def evaluate(rows: list[Mapping[str, Any]], truth: Iterable[tuple[str, str]], *, seed: int = SEED,
             u_pairs: float = 1e7) -> dict[str, Any]:
    """Splink's precision, recall and F1 over pairs against the truth (pairs of the rows' ids),
    and its seconds from the rows to clusters."""
    from shared.dedup.clustering import Group, pair_metrics

    started = time.perf_counter()
    groups, stats = splink_groups(rows, seed=seed, u_pairs=u_pairs)
    seconds = time.perf_counter() - started
    numbers = {str(r["id"]): n for n, r in enumerate(rows, start=1)}
    true_pairs = {(min(numbers[a], numbers[b]), max(numbers[a], numbers[b])) for a, b in truth}
    found = [Group(centre=numbers[g[0]], members=[numbers[i] for i in g], score=1.0, links=[]) for g in groups]
    return {**pair_metrics(found, true_pairs), "seconds": seconds, "groups": len(groups), **stats}
