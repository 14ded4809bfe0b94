"""Vectors of signals: WordLlama offline by default, an LLM provider's embeddings when set.

The method in force is named ("wordllama", or "llm:<model>") and stored beside each vector:
vectors of two methods are never compared, and `manage.py clusters rebuild` re-embeds when
the method changes. Every vector is a float32 unit vector, stored as bytes.
"""

import hashlib

import httpx
import numpy as np
from django.conf import settings

from apps.clusters.grouping import unit

WORDLLAMA = "wordllama"
BATCH = 64  # texts per embeddings request


class EmbeddingError(Exception):
    """The embeddings provider could not give vectors; the message says why."""

    def __init__(self, message: str, *, transient: bool = False):
        super().__init__(message)
        self.transient = transient


def signal_text(name: str, description: str, change: str = "") -> str:
    """What a signal is compared by: its name, description and the change it names."""
    return " ".join(part.strip() for part in (name, description, change) if part and part.strip())


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def current_method() -> str:
    model = settings.SPYGLASS_EMBEDDINGS["model"]
    return f"llm:{model}" if model else WORDLLAMA


def threshold() -> float:
    """The similarity at or above which signals are the same change, for the method in force."""
    config = settings.SPYGLASS_EMBEDDINGS
    if config["threshold"] is not None:
        return config["threshold"]
    return WORDLLAMA_THRESHOLD if current_method() == WORDLLAMA else LLM_THRESHOLD


# Chosen on the paraphrase set (benchmarks/clusters.py, docs/clusters.md).
WORDLLAMA_THRESHOLD = 0.55
# Not measured (no embedding model on these machines): a common cut for sentence embeddings.
LLM_THRESHOLD = 0.8


def embed(texts: list[str]) -> np.ndarray:
    """Unit float32 vectors, one row per text, by the method in force."""
    if current_method() == WORDLLAMA:
        from apps.classification.local import meaning

        return meaning.embed(texts).astype(np.float32)
    rows = [
        row for start in range(0, len(texts), BATCH) for row in _llm(texts[start : start + BATCH])
    ]
    return unit(np.asarray(rows, dtype=np.float32)) if rows else np.zeros((0, 1), np.float32)


def _llm(texts: list[str]) -> list[list[float]]:
    """POST {base}/embeddings, as OpenAI and the servers that copy it answer it."""
    config = settings.SPYGLASS_EMBEDDINGS
    base = config["base_url"] or settings.SPYGLASS_LLM["base_url"]
    if not base:
        raise EmbeddingError(
            "SPYGLASS_EMBEDDINGS_MODEL is set but no server is: set SPYGLASS_EMBEDDINGS_BASE_URL "
            "or SPYGLASS_LLM_BASE_URL"
        )
    key = config["api_key"] or settings.SPYGLASS_LLM["api_key"]
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    url = base.rstrip("/") + "/embeddings"
    try:
        response = httpx.post(
            url,
            json={"model": config["model"], "input": texts},
            headers=headers,
            timeout=config["timeout"],
        )
    except httpx.HTTPError as error:
        raise EmbeddingError(
            f"the embeddings server at {url} did not answer: {error}", transient=True
        ) from None
    if response.status_code != 200:
        raise EmbeddingError(
            f"the embeddings server at {url} answered HTTP {response.status_code}: "
            f"{response.text[:200]}",
            transient=response.status_code == 429 or response.status_code >= 500,
        )
    try:
        data = sorted(response.json()["data"], key=lambda item: item.get("index", 0))
        rows = [[float(x) for x in item["embedding"]] for item in data]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise EmbeddingError(f"the embeddings server at {url} gave no embeddings list") from None
    if len(rows) != len(texts) or len({len(row) for row in rows}) > 1:
        raise EmbeddingError(
            f"the embeddings server at {url} gave {len(rows)} vectors for {len(texts)} texts"
        )
    return rows


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float32)
