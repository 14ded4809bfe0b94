"""The `local` classifier: see classifier.py and docs/classification.md."""

from .classifier import LocalClassifier

__all__ = ["LocalClassifier"]
