"""Candidate groups from scored pairs, guarded against chains — and the whole in-memory matching.

Connected components alone chain different people through one weak link (A~B, B~C, so A=C).
Here a component is split around centres: the record with the strongest links is the centre,
and only records linked *directly* to it above the threshold join its group; the rest form
groups of their own the same way. Records that must never be together (two companies with
different valid business IDs) are kept apart even when both link to the centre. A group's score
is its weakest link to the centre, so an automatic merge needs every member to be sure.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from shared.dedup.blocking import (COMPANY_KEYS, CONTACT_KEYS, CONTACT_NEIGHBOURHOODS, MAX_BLOCK, BlockingStats,
                                   candidate_pairs)
from shared.dedup.learning import learn as learn_weights
from shared.dedup.scoring import (
    COMPANY_FREQUENCY_FIELDS,
    CONTACT_FREQUENCY_FIELDS,
    CompanyScorer,
    ContactScorer,
    CountedFrequencies,
    Frequencies,
    PairScore,
)

LINK_PROBABILITY = 0.5  # a pair at or above this is a candidate link
APART_PROBABILITY = 0.001  # a compared pair below this is clearly two records: never in one group


@dataclass
class Group:
    centre: int
    members: list[int]  # centre first, then by strength of the link to the centre
    score: float  # the weakest member-to-centre link (probability)
    links: list[PairScore]  # member-to-centre links, the explanation

    @property
    def key(self) -> str:
        return ",".join(str(i) for i in sorted(self.members))


def cluster(links: Iterable[PairScore], *, threshold: float = LINK_PROBABILITY,
            cannot_link: Callable[[int, int], bool] | None = None, apart: set[int] | None = None) -> list[Group]:
    """Groups of two or more, each member linked directly to its group's centre. `apart` holds
    pairs (a << 32 | b, a < b) compared and found clearly different: they never share a group."""
    edges: dict[int, dict[int, PairScore]] = defaultdict(dict)
    for link in links:
        if link.probability >= threshold and link.a != link.b:
            edges[link.a][link.b] = link
            edges[link.b][link.a] = link
    keep_apart = apart or set()

    def separate(a: int, b: int) -> bool:
        return ((min(a, b) << 32) | max(a, b)) in keep_apart or bool(cannot_link and cannot_link(a, b))

    groups: list[Group] = []
    for component in _components(edges):
        groups.extend(_split(component, edges, threshold, separate))
    return groups


def _components(edges: dict[int, dict[int, PairScore]]) -> list[set[int]]:
    seen: set[int] = set()
    found = []
    for start in edges:
        if start in seen:
            continue
        stack, component = [start], {start}
        while stack:
            for other in edges[stack.pop()]:
                if other not in component:
                    component.add(other)
                    stack.append(other)
        seen |= component
        found.append(component)
    return found


def _split(component: set[int], edges, threshold: float, separate: Callable[[int, int], bool]) -> list[Group]:
    """Take the best-linked record as a centre; a record joins it only if the centre is its
    strongest link and it is not clearly different from anyone already in; repeat."""
    remaining = set(component)
    groups = []
    while len(remaining) >= 2:
        def strength(node: int) -> tuple[float, int]:
            return (sum(link.weight for other, link in edges[node].items() if other in remaining), -node)

        centre = max(remaining, key=strength)
        near = sorted(((link.weight, other) for other, link in edges[centre].items()
                       if other in remaining and link.probability >= threshold), reverse=True)
        members, kept = [centre], []
        for weight, other in near:
            elsewhere = max((link.weight for x, link in edges[other].items()
                             if x in remaining and x not in members and x != centre), default=-math.inf)
            if elsewhere > weight or any(separate(other, m) for m in members):
                continue  # it belongs with another record, or it is not the same as one already in
            members.append(other)
            kept.append(edges[centre][other])
        if len(members) < 2:
            remaining.discard(centre)
            continue
        groups.append(Group(centre=centre, members=members, score=min(link.probability for link in kept),
                            links=kept))
        remaining -= set(members)
    return groups


@dataclass
class MatchResult:
    groups: list[Group]
    blocking: BlockingStats
    compared: list[tuple[int, int]] = field(default_factory=list)  # id pairs
    links: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    weights: dict = field(default_factory=dict)  # {"source": "learned" | "hand-set", …the learnt ones}

    def stats(self) -> dict:
        return {**self.blocking.as_dict(), "links": self.links, "groups": len(self.groups), "weights": self.weights,
                "grouped_records": sum(len(g.members) for g in self.groups),
                "seconds": {k: round(v, 3) for k, v in self.seconds.items()}}


ENTITIES = {  # blocking keys, sorted neighbourhoods, scorer, fields counted for term frequencies
    "contacts": (CONTACT_KEYS, CONTACT_NEIGHBOURHOODS, ContactScorer, CONTACT_FREQUENCY_FIELDS),
    "companies": (COMPANY_KEYS, (), CompanyScorer, COMPANY_FREQUENCY_FIELDS),
}
LEARNED = frozenset({"contacts"})  # companies keep the hand-set weights (business IDs decide most)


def scorer_for(entity: str, freq: Frequencies, learned=None):
    return ENTITIES[entity][2](freq, learned)


def cannot_link_for(entity: str, records: dict[int, object]) -> Callable[[int, int], bool] | None:
    if entity != "companies":
        return None

    def different_business_ids(a: int, b: int) -> bool:
        x, y = records[a].business_id, records[b].business_id
        return bool(x and y and x != y)

    return different_business_ids


def match_records(entity: str, records: Sequence, *, threshold: float = LINK_PROBABILITY,
                  max_block: int = MAX_BLOCK, keep_compared: bool = False,
                  progress: Callable[[float], None] | None = None, learn: bool = False) -> MatchResult:
    """Block, score and cluster records of one entity (the same for runs, bench and evaluation).
    `learn`: weights learnt from the records (shared.dedup.learning) where there are enough of
    them — off by default: on the mixed profile they cost precision (see bench/REPORT.md)."""
    families, neighbourhoods, scorer_class, frequency_fields = ENTITIES[entity]
    timings: dict[str, float] = {}
    started = time.perf_counter()
    pairs, stats = candidate_pairs(records, families, max_block=max_block, neighbourhoods=neighbourhoods)
    timings["blocking"] = time.perf_counter() - started
    started = time.perf_counter()
    frequencies = CountedFrequencies(records, frequency_fields)
    learned = learn_weights(scorer_class, frequencies, records, pairs) if learn and entity in LEARNED else None
    timings["learning"] = time.perf_counter() - started
    scorer = scorer_class(frequencies, learned)
    started = time.perf_counter()
    links, apart, score = [], set(), scorer.score
    step = max(1, len(pairs) // 20)
    for n, (i, j) in enumerate(pairs):
        result = score(records[i], records[j])
        if result.probability >= threshold:
            links.append(result)
        elif result.probability < APART_PROBABILITY:
            apart.add((min(result.a, result.b) << 32) | max(result.a, result.b))
        if progress and n % step == 0:
            progress(n / max(1, len(pairs)))
    timings["scoring"] = time.perf_counter() - started
    started = time.perf_counter()
    by_id = {r.id: r for r in records}
    groups = cluster(links, threshold=threshold, cannot_link=cannot_link_for(entity, by_id), apart=apart)
    timings["clustering"] = time.perf_counter() - started
    compared = [(records[i].id, records[j].id) for i, j in pairs] if keep_compared else []
    weights = {"source": "learned", **learned.as_dict()} if learned else {"source": "hand-set"}
    return MatchResult(groups=groups, blocking=stats, compared=compared, links=len(links), seconds=timings,
                       weights=weights)


def pair_metrics(groups: Iterable[Group], truth: set[tuple[int, int]], *,
                 min_score: float = 0.0) -> dict[str, float]:
    """Pairwise precision, recall and F1 of the groups (scoring at least min_score) against the
    true pairs (a < b); `predicted` pairs counted."""
    predicted = {(min(a, b), max(a, b)) for g in groups if g.score >= min_score
                 for x, a in enumerate(g.members) for b in g.members[x + 1:]}
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "predicted": len(predicted)}
