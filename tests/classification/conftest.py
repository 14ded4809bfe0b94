"""Fixture pages written by the team (fixtures/*.txt: a `key: value` header, `---`, the text)."""

from pathlib import Path

import pytest

from apps.classification import Page, Vocabulary
from apps.classification.local import LocalClassifier

FIXTURES = Path(__file__).parent / "fixtures"


def load_page(name: str) -> Page:
    head, text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").split("---\n", 1)
    meta = dict(line.split(": ", 1) for line in head.strip().splitlines())
    return Page(text=text, **meta)


@pytest.fixture(scope="session")
def classifier() -> LocalClassifier:
    return LocalClassifier()


@pytest.fixture(scope="session")
def vocabulary() -> Vocabulary:
    return Vocabulary.build(
        {
            "open source": ["open-source"],
            "language models": ["LLMs", "large language model"],
            "artificial intelligence": ["AI"],
            "e-bikes": ["electric bike"],
            "coral reefs": [],
            "climate change": ["global warming"],
            "packaging": [],
            "cryptocurrency": ["bitcoin"],
            "space exploration": [],
        }
    )
