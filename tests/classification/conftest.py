"""Fixture pages written by the team (fixtures/*.txt: a `key: value` header, `---`, the text),
and a fake OpenAI-compatible server with the settings that point the `llm` classifier at it."""

from pathlib import Path

import pytest

from apps.classification import Page, Vocabulary
from apps.classification.local import LocalClassifier
from tests.support.openai_server import OpenAIServer

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


@pytest.fixture
def server():
    with OpenAIServer() as server:
        yield server


@pytest.fixture
def llm_settings(settings, server):
    settings.SPYGLASS_LLM = {
        "base_url": server.base_url,
        "model": "test-model",
        "api_key": "",
        "output": "json_schema",
        "max_tokens_param": "max_tokens",
        "max_tokens": 1500,
        "temperature": 0.1,
        "timeout": 5.0,
        "text_budget": 6000,
    }
    return settings
