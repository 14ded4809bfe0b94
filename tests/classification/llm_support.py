"""The page, vocabulary and answer the `llm` classifier tests send and get, and helpers."""

from datetime import date

from apps.classification.base import Page, Vocabulary
from tests.support.llm_answers import HARBOUR_ANSWER as ANSWER
from tests.support.llm_answers import HARBOUR_RECORD as RECORD

__all__ = ["ANSWER", "PAGE", "RECORD", "VOCABULARY", "configure", "messages"]

PAGE = Page(
    url="https://harbour.example/tidal-batteries",
    title="Tidal batteries reach small harbour towns",
    text=(
        "Three harbour towns store the energy of the tides in community batteries.\n\n"
        "A cooperative of fishermen and shop owners paid for them; members buy shares.\n\n"
        "Five more towns plan cooperatives of their own."
    ),
    site_name="Harbour News",
    description="Community storage on the coast.",
    published=date(2026, 3, 1),
    language="en",
)
# "coastal towns" in the answer is outside it: the classifier passes unknown themes on.
VOCABULARY = Vocabulary.build(
    {"energy": ["power", "electricity"], "cooperatives": ["co-ops"], "climate": []}
)


def configure(settings, **values):
    settings.SPYGLASS_LLM = {**settings.SPYGLASS_LLM, **values}


def messages(request):
    return request.json["messages"]
