"""Classification: a page in, a horizon-scanning record (schema.ClassificationResult) out.

Pure Python: callers pass a base.Page and a base.Vocabulary built from the knowledge app's
approved themes, categories and types, and store the result themselves. The one table here
(models.LLMEndpoint) is the `llm` classifier's memory of the endpoints it talked to.
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
        from .endpoints import DatabaseMemory
        from .llm import LLMClassifier

        return LLMClassifier(memory=DatabaseMemory())
    raise ValueError(f"unknown classifier {name!r}; use local or llm")
