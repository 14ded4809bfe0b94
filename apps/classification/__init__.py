"""Classification: a page in, a horizon-scanning record (schema.ClassificationResult) out.

Pure Python, no database: callers pass a base.Page and a base.Vocabulary built from the
knowledge app's approved themes, categories and types, and store the result themselves.
"""

from .base import Classifier, Page, Vocabulary
from .schema import ClassificationError, ClassificationResult, normalise

__all__ = [
    "ClassificationError",
    "ClassificationResult",
    "Classifier",
    "Page",
    "Vocabulary",
    "get_classifier",
    "normalise",
]


def get_classifier(name: str = "local") -> Classifier:
    """The classifier registered under `name`: "local" or "llm"."""
    if name == "local":
        from .local import LocalClassifier

        return LocalClassifier()
    if name == "llm":
        from .llm import LLMClassifier

        return LLMClassifier()
    raise ValueError(f"unknown classifier {name!r}; use local or llm")
