"""Accuracy of the production matching on any file with known duplicates (`rekisteri dedup
evaluate`, bench/dedup.py): precision, recall and F1 over pairs, and the blocking recall.

A file's ids are strings of any shape ('P-00017', a UUID, '17'); the matcher numbers the rows
itself and answers in the file's ids. Every column but `id` may be missing or empty.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from shared.dedup.blocking import recall
from shared.dedup.clustering import match_records, pair_metrics
from shared.dedup.loading import gc_paused
from shared.dedup.normalize import ContactRecord, contact_record

COLUMNS = ("first_name", "last_name", "email", "phone", "company", "business_id", "position", "street",
           "postcode", "city")


class EvaluationError(ValueError):
    """A file the evaluation cannot read: says which row and what is wrong."""


def records_of(rows: Iterable[Mapping[str, Any]]) -> tuple[list[ContactRecord], dict[str, int]]:
    """The matcher's records of rows with an `id` (any string) and any of COLUMNS; and each
    row's id with the number the matcher knows it by."""
    records, numbers = [], {}
    for n, row in enumerate(rows, start=1):
        key = str(row.get("id") or "").strip()
        if not key:
            raise EvaluationError(f"row {n}: no id")
        if key in numbers:
            raise EvaluationError(f"row {n}: id {key} appears twice")
        numbers[key] = n
        records.append(contact_record(id=n, **{c: (row.get(c) or None) for c in COLUMNS}))
    return records, numbers


def truth_of(rows: Iterable[Mapping[str, Any]], numbers: Mapping[str, int]) -> set[tuple[int, int]]:
    """True pairs (id_a, id_b, the file's ids) as the matcher's numbers, a < b."""
    pairs = set()
    for n, row in enumerate(rows, start=1):
        a, b = (str(row.get(k) or "").strip() for k in ("id_a", "id_b"))
        if a not in numbers or b not in numbers:
            raise EvaluationError(f"truth row {n}: id {a if a not in numbers else b} is not among the records")
        x, y = numbers[a], numbers[b]
        if x != y:
            pairs.add((min(x, y), max(x, y)))
    return pairs


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"id", "id_a"} & set(reader.fieldnames):
            raise EvaluationError(f"{path.name}: the first line names the columns (id, … or id_a,id_b)")
        return list(reader)


def evaluate_rows(rows: list[Mapping[str, Any]], truth_rows: list[Mapping[str, Any]], *,
                  learn: bool = False) -> dict[str, Any]:
    """Match the rows as a full run does and compare with the truth."""
    started = time.perf_counter()
    records, numbers = records_of(rows)
    truth = truth_of(truth_rows, numbers)
    with gc_paused():
        result = match_records("contacts", records, keep_compared=True, learn=learn)
    figures = pair_metrics(result.groups, truth)
    return {**figures, "records": len(records), "true_pairs": len(truth), "pairs_compared": result.blocking.pairs,
            "blocking_recall": recall(result.compared, truth), "groups": len(result.groups),
            "weights": result.weights, "seconds": time.perf_counter() - started,
            "pairs_by_key": result.blocking.pairs_by_key}


def evaluate_files(records: Path, truth: Path, *, learn: bool = False) -> dict[str, Any]:
    return evaluate_rows(_read(records), _read(truth), learn=learn)
