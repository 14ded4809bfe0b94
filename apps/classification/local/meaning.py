"""Similarity by meaning: WordLlama's static word embeddings, loaded once per process.

WordLlama (the `wordllama` package) ships its 256-dimension weights and tokenizer in the
wheel, so nothing is downloaded: the package folder is given as the cache and downloads are
disabled. The model is loaded lazily, on the first call, once per process (about a second);
an embedding is then the mean of the token vectors, so a phrase or a page costs about a
millisecond. Vectors of short strings (theme names, category examples, proposals) are cached.
"""

import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

_LOCK = threading.Lock()
_MODEL = None
_CACHE: OrderedDict[str, np.ndarray] = OrderedDict()
CACHE_SIZE = 20_000
DIMENSIONS = 256


def model():
    """The WordLlama model, loaded on first use from the files inside the installed wheel."""
    global _MODEL
    if _MODEL is None:
        with _LOCK:
            if _MODEL is None:
                import wordllama
                from wordllama import WordLlama

                _MODEL = WordLlama.load(
                    cache_dir=Path(wordllama.__file__).parent, disable_download=True
                )
    return _MODEL


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors, one row per text (a text without any known token gives zeros)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(model().embed(list(texts), norm=False), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def embed_cached(texts: list[str]) -> np.ndarray:
    """As `embed`, remembering each text's vector (for names compared again and again)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    found = {text: _CACHE.get(text) for text in dict.fromkeys(texts)}
    missing = [text for text, vector in found.items() if vector is None]
    if missing:
        found.update(zip(missing, embed(missing), strict=True))
        with _LOCK:  # threads of one process may share the cache
            _CACHE.update((text, found[text]) for text in missing)
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
    return np.stack([found[text] for text in texts])


def similarities(one: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Cosine similarity of every row of `one` with every row of `other`."""
    if not len(one) or not len(other):
        return np.zeros((len(one), len(other)), dtype=np.float32)
    return one @ other.T
