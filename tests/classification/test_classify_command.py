"""`manage.py classify FILE`: extract, classify and print, saving nothing."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.classification.schema import normalise
from apps.records.parser import parse_record
from apps.sources.models import ClassificationRun, Source
from tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
PARAGRAPHS = (FIXTURES / "city.txt").read_text(encoding="utf-8").split("---\n", 1)[1]
TITLE = "Rotterdam doubles its protected bike lanes as e-bikes take over the commute"
HTML = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
    f"<title>{TITLE}</title></head><body><nav><a href='/'>Home</a> <a href='/x'>News</a></nav>"
    f"<article><h1>{TITLE}</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS.split("\n\n") if p.strip())
    + "</article><footer>Copyright City Lab</footer></body></html>"
)
RECORD = {
    "summary": "Rotterdam doubles its protected bike lanes as e-bike commuting triples.",
    "keywords": ["e-bikes", "bike lanes", "Rotterdam"],
    "themes": ["mobility"],
    "category": "city",
    "type": "news",
    "signals": [
        {
            "name": "E-bikes replace car commutes",
            "description": "Suburban residents ride to the centre.",
            "change": "From cars to e-bikes.",
            "ten_year": "Most commutes by e-bike.",
            "driving_force": "Cheaper, faster e-bikes.",
            "relevancy": 5,
        }
    ],
    "behaviors": [{"name": "Riding 15 km to work", "description": "", "relevancy": 4}],
    "technologies": [{"name": "Electric bikes", "description": "Bikes.", "relevancy": 5}],
    "issues": [{"name": "Fewer parking spaces", "description": "Shops fear.", "relevancy": 3}],
}


@pytest.fixture
def html_file(tmp_path) -> Path:
    path = tmp_path / "rotterdam.html"
    path.write_text(HTML, encoding="utf-8")
    return path


@pytest.fixture
def text_file(tmp_path) -> Path:
    path = tmp_path / "rotterdam notes.txt"
    path.write_text(f"{TITLE}\n\n{PARAGRAPHS}", encoding="utf-8")
    return path


@pytest.fixture
def llm(settings, server):
    settings.SPYGLASS_LLM = {
        **settings.SPYGLASS_LLM,
        "base_url": server.base_url,
        "model": "test-model",
        "output": "json_schema",
        "timeout": 2.0,
    }
    return server


def run(*args) -> str:
    out = StringIO()
    call_command("classify", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("name", ["html_file", "text_file"])
def test_json_output_is_a_result_in_the_schema(request, name, settings):
    settings.SPYGLASS_CLASSIFIER = "local"
    ThemeFactory(name="mobility")

    data = json.loads(run(request.getfixturevalue(name), "--format", "json"))

    assert normalise(data).model_dump() == data
    assert data["summary"] and data["keywords"]
    assert data["category"] == "city"
    # The approved theme when it fits the page, else up to three proposals for editors.
    assert data["themes"] == ["mobility"] or 1 <= len(data["themes"]) <= 3
    assert not Source.objects.exists() and not ClassificationRun.objects.exists()


def test_json_is_the_default_format(text_file):
    assert json.loads(run(text_file, "--classifier", "local"))["summary"]


def test_markdown_from_html_parses_back_as_a_record(html_file):
    out = run(
        html_file,
        "--classifier",
        "local",
        "--format",
        "markdown",
        "--url",
        "https://www.citylab.example.com/rotterdam",
    )

    record = parse_record(out)
    assert record.title == TITLE
    assert record.url == "https://www.citylab.example.com/rotterdam"
    assert record.summary and record.keywords
    assert record.category == "city"
    assert not Source.objects.exists()


def test_markdown_from_text_uses_the_first_line_and_a_placeholder_url(text_file):
    record = parse_record(run(text_file, "--classifier", "local", "--format", "markdown"))

    assert record.title == TITLE
    assert record.url == "https://example.invalid/rotterdam%20notes.txt"


def test_llm_answer_printed_as_json_and_markdown(llm, text_file):
    llm.answer(json.dumps(RECORD))
    assert json.loads(run(text_file, "--classifier", "llm")) == normalise(RECORD).model_dump()

    llm.answer(json.dumps(RECORD))
    record = parse_record(run(text_file, "--classifier", "llm", "--format", "markdown"))
    assert record.summary == RECORD["summary"]
    assert record.keywords == RECORD["keywords"]
    assert record.themes == ["mobility"]
    assert (record.category, record.source_type) == ("city", "news")
    assert [
        (s.name, s.change, s.ten_year, s.driving_force, s.relevancy) for s in record.signals
    ] == [
        (
            "E-bikes replace car commutes",
            "From cars to e-bikes.",
            "Most commutes by e-bike.",
            "Cheaper, faster e-bikes.",
            5,
        )
    ]
    assert [t.name for t in record.technologies] == ["Electric bikes"]
    # The page went to the model fenced, with its first line as the title.
    assert TITLE in llm.requests[0].json["messages"][1]["content"]
    assert not Source.objects.exists() and not ClassificationRun.objects.exists()


def test_the_setting_chooses_the_classifier_by_default(llm, settings, text_file):
    settings.SPYGLASS_CLASSIFIER = "llm"
    llm.answer(json.dumps(RECORD))

    assert json.loads(run(text_file))["summary"] == RECORD["summary"]
    assert len(llm.requests) == 1


def test_an_llm_answering_garbage_twice_fails_with_the_reason(llm, text_file):
    llm.answer("this is not json at all")
    llm.answer('{"summary": "half a record"')

    with pytest.raises(CommandError, match="did not fit the schema, twice") as caught:
        run(text_file, "--classifier", "llm")
    assert str(caught.value).startswith("classification failed")
    assert len(llm.requests) == 2


def test_an_unreachable_endpoint_fails_with_the_reason(llm, text_file):
    llm.stop()

    with pytest.raises(CommandError, match=r"could not reach http://127\.0\.0\.1"):
        run(text_file, "--classifier", "llm")


def test_an_unconfigured_llm_says_what_to_set(settings, text_file):
    settings.SPYGLASS_LLM = {**settings.SPYGLASS_LLM, "base_url": "", "model": ""}

    with pytest.raises(CommandError, match="SPYGLASS_LLM_BASE_URL"):
        run(text_file, "--classifier", "llm")


def test_an_unknown_classifier_is_refused(settings, text_file):
    with pytest.raises(CommandError, match="invalid choice: 'gpt'"):
        run(text_file, "--classifier", "gpt")
    settings.SPYGLASS_CLASSIFIER = "gpt"
    with pytest.raises(CommandError, match="unknown classifier 'gpt'"):
        run(text_file)


def test_an_unreadable_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"cannot read .*missing\.txt"):
        run(tmp_path / "missing.txt")
    with pytest.raises(CommandError, match="cannot read"):
        run(tmp_path)  # a folder
    (tmp_path / "empty.txt").write_text("  \n")
    with pytest.raises(CommandError, match="empty"):
        run(tmp_path / "empty.txt")


def test_an_html_page_without_text_is_refused(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><body><p>Hi.</p></body></html>")

    with pytest.raises(CommandError, match="cannot extract"):
        run(path, "--classifier", "local")
