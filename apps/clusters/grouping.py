"""The clustering rule itself, on vectors in memory: where one new signal goes.

Kept apart from the database so the benchmark (benchmarks/clusters.py) measures exactly the
rule the product runs. A signal joins the cluster whose centroid is most similar to it, at
or above the threshold; failing that, it pairs with its most similar unclustered signal from
another source, at or above the threshold, into a new cluster; failing that, it waits alone
(it may still be chosen as a partner by a later signal). "Not the same" pairs block both: a
signal never joins a cluster holding a signal it was marked different from, and never pairs
with such a signal.
"""

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Placement:
    """What to do with one signal: join `cluster`, or pair with `partner`, or nothing."""

    cluster: object = None
    partner: object = None
    similarity: float = 0.0

    @property
    def alone(self) -> bool:
        return self.cluster is None and self.partner is None


def unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def centroid(vectors: list[np.ndarray]) -> np.ndarray:
    """The unit mean of unit vectors: what a cluster is compared by."""
    return unit(np.mean(np.stack(vectors), axis=0)).astype(np.float32)


def place(
    vector: np.ndarray,
    *,
    source,
    clusters: list[tuple[object, np.ndarray]],
    pool: list[tuple[object, object, np.ndarray]],
    blocked_clusters: set,
    blocked_signals: set,
    threshold: float,
) -> Placement:
    """Where a signal goes: `clusters` are (key, centroid), `pool` (signal key, source key,
    vector) of unclustered signals; every vector a unit vector of one method."""
    candidates = [(key, c) for key, c in clusters if key not in blocked_clusters]
    if candidates:
        scores = np.stack([c for _, c in candidates]) @ vector
        best = int(np.argmax(scores))
        if scores[best] >= threshold:
            return Placement(cluster=candidates[best][0], similarity=float(scores[best]))
    partners = [
        (key, v) for key, other, v in pool if other != source and key not in blocked_signals
    ]
    if partners:
        scores = np.stack([v for _, v in partners]) @ vector
        best = int(np.argmax(scores))
        if scores[best] >= threshold:
            return Placement(partner=partners[best][0], similarity=float(scores[best]))
    return Placement()


@dataclass
class MemoryClusters:
    """The rule applied to signals one after another, all in memory (the benchmark's)."""

    threshold: float
    members: dict[int, list] = field(default_factory=dict)  # cluster -> signal keys
    vectors: dict = field(default_factory=dict)  # signal key -> vector
    sources: dict = field(default_factory=dict)  # signal key -> source key
    cluster_of: dict = field(default_factory=dict)  # signal key -> cluster
    not_same: set = field(default_factory=set)  # frozenset pairs

    def add(self, key, source, vector: np.ndarray) -> Placement:
        self.vectors[key], self.sources[key] = vector, source
        blocked_signals = {o for pair in self.not_same if key in pair for o in pair if o != key}
        placement = place(
            vector,
            source=source,
            clusters=[
                (c, centroid([self.vectors[m] for m in ms])) for c, ms in self.members.items()
            ],
            pool=[
                (k, self.sources[k], v)
                for k, v in self.vectors.items()
                if k != key and k not in self.cluster_of
            ],
            blocked_clusters={self.cluster_of[s] for s in blocked_signals if s in self.cluster_of},
            blocked_signals=blocked_signals,
            threshold=self.threshold,
        )
        if placement.cluster is not None:
            self._join(placement.cluster, key)
        elif placement.partner is not None:
            number = len(self.members) + 1
            self.members[number] = []
            self._join(number, placement.partner)
            self._join(number, key)
        return placement

    def _join(self, cluster, key) -> None:
        self.members[cluster].append(key)
        self.cluster_of[key] = cluster
