"""The classify stage through the pipeline (in-process, the code the tasks run), with the
`llm` classifier against a fake OpenAI-compatible server and the `local` one offline."""

import copy
import json
import time

import pytest
from django.urls import reverse

from apps.classification.models import LLMEndpoint
from apps.classification.prompt import PROMPT_VERSION
from apps.core.curation import editor_update
from apps.core.models import Origin
from apps.knowledge.models import Behavior, Issue, Signal, Technology, Theme, ThemeSuggestion
from apps.knowledge.themes import theme_reject, theme_suggest
from apps.records.format import FindingRow, Record
from apps.records.services import record_import
from apps.sources.models import ClassificationRun, Source, SourceTheme
from apps.sources.pipeline.inline import run_until_final
from apps.sources.services import source_reclassify
from tests.accounts.factories import UserFactory
from tests.factories import CategoryFactory, SourceFactory, SourceTypeFactory, ThemeFactory
from tests.support.llm_answers import HARBOUR_RECORD
from tests.support.openai_server import OpenAIServer

pytestmark = pytest.mark.django_db

TEXT = (
    "Three harbour towns store the energy of the tides in community batteries.\n\n"
    "A cooperative of fishermen and shop owners paid for them; members buy shares and get "
    "cheaper power. Critics point to the cost of maintenance in salt water.\n\n"
    "Five more towns plan cooperatives of their own, and the regional utility is studying "
    "how to buy the stored power at peak hours. Engineers say the batteries last ten years."
)
# Only the two themes of the vocabulary fixture: proposals have a test of their own below.
RECORD = {**HARBOUR_RECORD, "themes": ["energy", "cooperatives"]}
USAGE = {"prompt_tokens": 812, "completion_tokens": 240}


@pytest.fixture
def server():
    with OpenAIServer() as server:
        yield server


@pytest.fixture
def llm(settings, server):
    settings.SPYGLASS_CLASSIFIER = "llm"
    settings.SPYGLASS_LLM = {
        **settings.SPYGLASS_LLM,
        "base_url": server.base_url,
        "model": "test-model",
        "output": "json_schema",
        "timeout": 2.0,
    }
    settings.SPYGLASS_PIPELINE = {
        **settings.SPYGLASS_PIPELINE,
        "max_attempts": 3,
        "backoff_base": 0.1,
        "backoff_max": 2.0,
        "host_delay": 0.0,
    }
    return server


@pytest.fixture
def vocabulary(db):
    CategoryFactory(name="technology")
    SourceTypeFactory(name="news")
    return {
        "energy": ThemeFactory(name="energy"),
        "cooperatives": ThemeFactory(name="cooperatives"),
    }


def queued_source(**values) -> Source:
    defaults = {
        "status": Source.Status.QUEUED,
        "stage": Source.Stage.CLASSIFY,
        "extracted_text": TEXT,
        "title": "Tidal batteries reach small harbour towns",
        "summary": "",
        "category": None,
        "source_type": None,
    }
    return SourceFactory(**{**defaults, **values})


def answer(server, record=RECORD, usage=USAGE):
    server.answer(json.dumps(record), usage=usage)


def signals(source):
    return list(Signal.objects.filter(source=source).order_by("position"))


def names(model, source):
    return sorted(model.objects.filter(source=source).values_list("name", flat=True))


def test_a_valid_answer_is_stored_exactly(llm, vocabulary):
    answer(llm)
    source = run_until_final(queued_source().pk)

    assert source.status == Source.Status.DONE
    assert source.summary == RECORD["summary"]
    assert source.category.name == "technology" and source.source_type.name == "news"
    assert [k.label for k in source.keyword_links.order_by("position")] == RECORD["keywords"]
    [signal] = signals(source)
    fields = ("name", "description", "change", "ten_year", "driving_force", "relevancy")
    assert {field: getattr(signal, field) for field in (*fields, "confidence")} == {
        key: value for key, value in RECORD["signals"][0].items() if key != "themes"
    }
    assert signal.origin == Origin.AI
    # The finding's own themes are machine links on the finding.
    assert [(link.theme.name, link.origin) for link in signal.theme_links.all()] == [
        ("energy", Origin.AI),
        ("cooperatives", Origin.AI),
    ]
    for model, kind in ((Behavior, "behaviors"), (Technology, "technologies"), (Issue, "issues")):
        stored = [
            {
                "name": f.name,
                "description": f.description,
                "relevancy": f.relevancy,
                "themes": [theme.name for theme in f.themes.all()],
                "confidence": f.confidence,
            }
            for f in model.objects.filter(source=source)
        ]
        assert stored == RECORD[kind]
    assert source.machine_values["category_confidence"] == 0.5
    assert sorted(source.themes.values_list("name", flat=True)) == ["cooperatives", "energy"]
    [run] = ClassificationRun.objects.filter(source=source)
    assert run.outcome == ClassificationRun.Outcome.APPLIED
    assert run.classifier == "llm" and run.model == "test-model"
    assert run.prompt_version == PROMPT_VERSION
    assert run.raw_response == json.dumps(RECORD)
    assert (run.prompt_tokens, run.completion_tokens) == (812, 240)
    assert run.attempts == 1
    assert run.result == RECORD


def test_invalid_json_twice_fails_with_the_schema_problem(llm, vocabulary):
    llm.answer("this is not json")
    llm.answer('{"summary": "cut off"')
    source = run_until_final(queued_source().pk)

    assert source.status == Source.Status.FAILED
    assert "schema" in source.failure_message
    assert source.failure_message.startswith("the classifier gave no usable record")
    assert source.summary == ""
    [run] = ClassificationRun.objects.filter(source=source)
    assert run.outcome == ClassificationRun.Outcome.FAILED
    assert "schema" in run.error
    assert run.attempts == 2
    assert "this is not json" in run.raw_response and "cut off" in run.raw_response
    assert not Signal.objects.filter(source=source).exists()


def test_429_with_retry_after_then_success_ends_done(llm, vocabulary):
    llm.reply(
        {"error": {"message": "slow down", "type": "rate_limit"}},
        status=429,
        headers={"Retry-After": "1"},
    )
    answer(llm)
    started = time.monotonic()
    source = run_until_final(queued_source().pk, timeout=30)

    assert source.status == Source.Status.DONE
    assert source.summary == RECORD["summary"]
    assert time.monotonic() - started >= 0.9  # Retry-After: 1 honoured, not the 0.1 s backoff
    outcomes = list(
        ClassificationRun.objects.filter(source=source)
        .order_by("id")
        .values_list("outcome", flat=True)
    )
    assert outcomes == [ClassificationRun.Outcome.FAILED, ClassificationRun.Outcome.APPLIED]
    assert len(llm.requests) == 2


def test_themes_approved_linked_unknown_proposed_rejected_dropped(llm, vocabulary):
    theme_suggest("crypto hype", source=SourceFactory())
    theme_reject(Theme.objects.get(name="crypto hype"), user=None)
    record = {**RECORD, "themes": ["Energy", "sea farming", "crypto hype"]}
    answer(llm, record)

    source = run_until_final(queued_source().pk)

    assert source.status == Source.Status.DONE
    assert list(source.themes.values_list("name", flat=True)) == ["energy"]
    proposal = Theme.objects.get(name="sea farming")
    assert proposal.status == Theme.Status.PROPOSED
    assert ThemeSuggestion.objects.filter(theme=proposal, source=source).exists()
    assert Theme.objects.get(name="crypto hype").status == Theme.Status.REJECTED
    assert not ThemeSuggestion.objects.filter(theme__name="crypto hype").exists()


def test_curated_values_survive_a_reclassify(llm, vocabulary):
    editor = UserFactory(role="editor")
    answer(llm)
    source = run_until_final(queued_source().pk)
    [signal] = signals(source)
    editor_update(signal, user=editor, values={"relevancy": 2}, expected_version=signal.version)
    source = editor_update(
        source,
        user=editor,
        values={"summary": "An editor's summary."},
        expected_version=source.version,
    )
    Behavior.objects.create(
        source=source, name="Editors' own finding", relevancy=3, position=9, origin=Origin.EDITOR
    )
    climate = ThemeFactory(name="climate")
    SourceTheme.objects.create(source=source, theme=climate, position=9, origin=Origin.EDITOR)

    second = copy.deepcopy(RECORD)
    second["summary"] = "A different machine summary."
    second["signals"][0]["relevancy"] = 4
    second["behaviors"] = [{"name": "Selling power at peak", "description": "", "relevancy": 3}]
    second["technologies"] = []
    answer(llm, second)
    assert source_reclassify(source, user=editor)
    source = run_until_final(source.pk)

    assert source.status == Source.Status.DONE
    assert source.summary == "An editor's summary."
    assert source.machine_values["summary"] == "A different machine summary."
    [signal] = signals(source)
    assert signal.relevancy == 2 and signal.machine_values["relevancy"] == 4
    assert names(Behavior, source) == ["Editors' own finding", "Selling power at peak"]
    assert names(Technology, source) == []
    assert SourceTheme.objects.filter(source=source, theme=climate, origin=Origin.EDITOR).exists()
    assert ClassificationRun.objects.filter(source=source).count() == 2


def test_imported_findings_are_not_replaced_by_a_reclassify(llm, vocabulary):
    imported = record_import(
        Record(
            title="Tidal batteries",
            url="https://harbour.example/tidal",
            summary="Imported summary.",
            technologies=[FindingRow(name="Imported technology", relevancy=4)],
            issues=[
                FindingRow(name="Maintenance in salt water", description="Imported.", relevancy=1)
            ],
        )
    ).source
    Source.objects.filter(pk=imported.pk).update(extracted_text=TEXT)
    imported.refresh_from_db()
    answer(llm)

    assert source_reclassify(imported)
    source = run_until_final(imported.pk)

    assert source.status == Source.Status.DONE
    assert names(Technology, source) == ["Imported technology", "Tidal batteries"]
    [issue] = Issue.objects.filter(source=source)
    assert (issue.description, issue.relevancy, issue.origin) == ("Imported.", 1, Origin.IMPORT)


def test_a_llama_cpp_server_is_negotiated_once_and_the_run_records_the_mode(
    llm, settings, vocabulary, client
):
    settings.SPYGLASS_LLM = {**settings.SPYGLASS_LLM, "output": "auto"}
    llm.refuse("json_schema")  # HTTP 500, as llama-cpp-python's server answers
    answer(llm)
    answer(llm)

    first = run_until_final(queued_source().pk)
    second = run_until_final(queued_source(url="https://harbour.example/2").pk)

    assert first.status == second.status == Source.Status.DONE
    assert ClassificationRun.objects.count() == 2  # the refusal was no failure to retry
    sent = [request.json["response_format"]["type"] for request in llm.requests]
    assert sent == ["json_schema", "json_object", "json_object"]  # the second page asks once
    runs = ClassificationRun.objects.order_by("started_at")
    assert [(run.output_mode, run.chunks) for run in runs] == [("json_object_schema", 1)] * 2
    assert (runs[0].prompt_tokens, runs[0].completion_tokens) == (812, 240)
    endpoint = LLMEndpoint.objects.get()
    assert (endpoint.base_url, endpoint.model) == (llm.base_url, "test-model")
    assert endpoint.output_mode == "json_object_schema"
    assert endpoint.refused_list == ["json_schema"]
    client.force_login(UserFactory(username="rory", role="reader"))
    page = client.get(reverse("sources:pipeline")).content.decode()
    assert "<code>json_object_schema</code> (negotiated" in page
    assert "refused: <code>json_schema</code>" in page


def test_a_forced_mode_the_endpoint_refuses_fails_at_once_naming_the_setting(llm, vocabulary):
    llm.refuse("json_schema")

    source = run_until_final(queued_source().pk)

    assert source.status == Source.Status.FAILED
    assert source.failure_code == "llm_output_unsupported"
    assert "SPYGLASS_LLM_OUTPUT" in source.failure_message
    assert len(llm.requests) == 1  # no backoff loop
    [run] = ClassificationRun.objects.filter(source=source)
    assert run.outcome == ClassificationRun.Outcome.FAILED


def test_a_long_page_in_parts_keeps_the_parts_that_fit_and_says_which_not(
    llm, settings, vocabulary
):
    settings.SPYGLASS_LLM = {**settings.SPYGLASS_LLM, "text_budget": 300, "max_chunks": 2}
    long_text = "\n\n".join(f"Paragraph {n}: tidal batteries store power." * 4 for n in range(30))
    answer(llm)
    llm.answer("not json")
    llm.answer("still not json")

    source = run_until_final(queued_source(extracted_text=long_text).pk)

    assert source.status == Source.Status.DONE
    assert source.summary == RECORD["summary"]
    [run] = ClassificationRun.objects.filter(source=source)
    assert run.outcome == ClassificationRun.Outcome.APPLIED
    assert (run.chunks, run.attempts, run.output_mode) == (2, 3, "json_schema")
    assert run.error.startswith("part 2 of 2 left out: the model's answer did not fit")


def test_the_local_classifier_end_to_end(settings, vocabulary):
    settings.SPYGLASS_CLASSIFIER = "local"
    source = run_until_final(queued_source().pk)

    assert source.status == Source.Status.DONE
    assert source.summary
    assert source.keyword_links.exists()
    assert source.category is not None
    [run] = ClassificationRun.objects.filter(source=source)
    assert run.classifier == "local" and run.outcome == ClassificationRun.Outcome.APPLIED
