"""Helpers for cluster tests: the paraphrase set as sources and signals in the database."""

import json
from itertools import combinations
from pathlib import Path

from apps.clusters.models import ClusterMember
from tests.factories import SignalFactory, SourceFactory

FIXTURE = Path(__file__).parent / "fixtures/paraphrases.json"


def paraphrases() -> list[dict]:
    return json.loads(FIXTURE.read_text())["signals"]


def make_signals(rows: list[dict], sources: dict | None = None) -> dict:
    """One source per publication named in the rows, one signal per row: signal -> group."""
    sources = {} if sources is None else sources
    groups = {}
    for row in rows:
        if row["source"] not in sources:
            sources[row["source"]] = SourceFactory(title=row["source"])
        signal = SignalFactory(
            source=sources[row["source"]],
            name=row["name"],
            description=row["description"],
            change="",
            relevancy=row.get("relevancy", 4),
        )
        groups[signal.pk] = row["group"]
    return groups


def pairwise(groups: dict) -> tuple[float, float]:
    """Pairwise precision and recall of the clusters in the database against `groups`."""
    clusters: dict[int, list[int]] = {}
    for cluster, signal in ClusterMember.objects.values_list("cluster", "signal"):
        clusters.setdefault(cluster, []).append(signal)
    gold = {
        frozenset(p)
        for p in combinations(groups, 2)
        if groups[p[0]] is not None and groups[p[0]] == groups[p[1]]
    }
    found = {frozenset(p) for members in clusters.values() for p in combinations(members, 2)}
    hits = len(gold & found)
    return hits / max(1, len(found)), hits / max(1, len(gold))


def members_of(cluster) -> set[int]:
    return set(cluster.members.values_list("signal_id", flat=True))
