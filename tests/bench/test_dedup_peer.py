"""The dedup benchmark's peer (bench/dedup_peer.py: Splink 5 on DuckDB), run tiny: it finds
duplicates in each profile, answers in the rows' string ids, and `bench.dedup --profiles` prints
both F1s and both times per profile."""

import subprocess
import sys

import pytest

from bench import dedup_peer
from testdata.synthetic_profiles import PROFILES, profile


@pytest.mark.parametrize("name", PROFILES)
def test_splink_finds_duplicates_in_each_profile(name):
    rows, truth = profile(name, 1000, seed=3)
    groups, stats = dedup_peer.splink_groups(rows, u_pairs=1e5)
    ids = {r["id"] for r in rows}
    assert groups and all(len(g) > 1 and set(g) <= ids for g in groups)
    f = dedup_peer.evaluate(rows, truth, u_pairs=1e5)
    # a working peer on these registers, not a strawman: it finds most true pairs
    assert f["recall"] > 0.4 and f["precision"] > 0.1, f
    assert f["predictions"] > 0 and f["predicted"] > 0
    assert f["seconds"] > 0


def test_benchmark_prints_both_f1s_and_times_per_profile():
    out = subprocess.run([sys.executable, "-m", "bench.dedup", "--profiles", "--contacts", "800",
                          "--profile", "directory", "--profile", "mixed"],
                         capture_output=True, text=True, check=True, timeout=300).stdout
    peers = [line for line in out.splitlines() if line.startswith("PEER ")]
    assert [p.split()[1] for p in peers] == ["profile=directory", "profile=mixed"]
    for line in peers:
        fields = dict(part.split("=", 1) for part in line.split()[1:])
        assert 0 < float(fields["splink_f1"]) <= 1 and 0 < float(fields["ours_f1"]) <= 1
        assert float(fields["splink_seconds"]) > 0
        assert float(fields["f1_ratio"]) == pytest.approx(float(fields["ours_f1"]) / float(fields["splink_f1"]), abs=0.01)
