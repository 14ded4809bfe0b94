"""The sources list's Words filter reads the search index: title, summary, text, keywords, link."""

import pytest

from apps.sources.filters import source_filter
from apps.sources.selectors import sources_filtered
from tests.factories import KeywordFactory, SourceFactory, SourceKeywordFactory

pytestmark = pytest.mark.django_db


def titles(q: str) -> set[str]:
    form = source_filter({"q": q})
    assert not form.errors, form.errors
    return {source.title for source in sources_filtered(form.cleaned_data)}


def test_words_are_looked_for_in_the_text_and_keywords_too():
    SourceFactory(title="A", summary="", extracted_text="Kelp farming grows in Maine.")
    keyword = KeywordFactory(key="aquaculture", name="aquaculture")
    SourceKeywordFactory(source=SourceFactory(title="B", summary=""), keyword=keyword)
    SourceFactory(title="C", summary="")

    assert titles("kelp") == {"A"}
    assert titles("aquacult") == {"B"}
    assert titles("kelp OR aquaculture") == {"A", "B"}


def test_a_text_without_words_is_named():
    form = source_filter({"q": "*"})
    assert form.errors["q"] == ["“*” has no words to search for."]
