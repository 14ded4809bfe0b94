import pytest

from apps.records.format import RecordError
from apps.records.parser import parse_record
from tests.records.conftest import fixture_text


def test_it_reads_every_field_of_the_seed(seed_text):
    record = parse_record(seed_text)

    assert record.title == (
        "Leaked Google Document Highlights Challenges from Open-Source Language Model Development"
    )
    assert record.via_label == "6692.0"
    assert record.via_url == "https://kghosh.substack.com/p/6692.0"
    assert record.url == "https://simonwillison.net/2023/May/4/no-moat/"
    assert record.keywords == [
        "leaked document", "language models", "OpenAI", "Google", "LLMs",
        "open source models", "LoRA",
    ]  # fmt: skip
    assert record.themes[:3] == ["google", "openai", "llaama"]
    assert len(record.themes) == 8
    assert (record.category, record.source_type) == ("technology", "blog post")
    assert record.summary.startswith("A leaked Google document reveals concerns")
    assert record.summary.endswith("collaborative efforts in open-source research.")
    kinds = ("signals", "behaviors", "technologies", "issues")
    assert [len(record.findings(kind)) for kind in kinds] == [
        5, 6, 7, 7,
    ]  # fmt: skip
    signal = record.signals[0]
    assert signal.name == "Open Source LLM Innovation"
    assert signal.change == "Shift from proprietary to open-source development in language models."
    assert signal.ten_year.startswith("Open-source language models dominate the market")
    assert signal.driving_force.startswith("Increased accessibility and reduced cost")
    assert signal.relevancy == 5
    assert [issue.relevancy for issue in record.issues] == [5, 4, 4, 5, 4, 3, 4]
    assert record.extra_sections == []


def test_it_reads_tables_without_a_relevancy_column():
    record = parse_record(fixture_text("variants/no_relevancy.md"))

    assert record.signals[0].relevancy is None
    assert record.signals[0].driving_force == "Hiring pressure."
    assert record.behaviors[0].name == "Trialling schedules"
    assert record.issues[0].relevancy is None


def test_it_reads_relevancy_on_signals_only():
    record = parse_record(fixture_text("variants/relevancy_on_signals_only.md"))

    assert [s.relevancy for s in record.signals] == [4, 2]
    assert record.behaviors[0].relevancy is None
    assert record.technologies == []


def test_it_keeps_unknown_sections_and_other_fields():
    record = parse_record(fixture_text("variants/concerns_section.md"))

    assert [extra.heading for extra in record.extra_sections] == ["Concerns", "Notes"]
    assert "| Uninsurable regions |" in record.extra_sections[0].body
    assert record.extra_sections[1].body == "Checked against two other reports."
    assert record.other_fields == [("Language", "en")]


def test_it_reads_a_record_with_missing_sections_and_no_via_link():
    record = parse_record(fixture_text("variants/missing_sections.md"))

    assert record.title == "A short note on quantum sensors"
    assert record.via_url == record.via_label == ""
    assert record.keywords == record.themes == []
    assert record.category == ""
    assert record.technologies[0].relevancy == 3


def test_it_reads_the_older_signals_table_with_summary_first():
    record = parse_record(fixture_text("variants/old_signals_table.md"))

    signal = record.signals[1]
    assert signal.name == "Repair cafés"
    assert signal.description == ""
    assert signal.change == "Neighbourhood repair events grow."
    assert signal.ten_year == "Every town has one."
    assert signal.driving_force == "Cost of living."
    assert record.summary.startswith("Volunteer repair cafés")
    assert record.keywords == ["repair", "circular economy"]


def test_it_unescapes_pipes_in_cells():
    record = parse_record(fixture_text("variants/escaped_pipes.md"))

    assert record.signals[0].name == "A | B testing"
    assert record.signals[0].driving_force == "Cheap experimentation | tooling."
    assert record.issues[0].description == "A false choice | a real one."


def test_crlf_line_endings_read_the_same(seed_text):
    assert parse_record(seed_text.replace("\n", "\r\n")) == parse_record(seed_text)


def test_it_reads_bytes_with_a_byte_order_mark(seed_text):
    assert parse_record(b"\xef\xbb\xbf" + seed_text.encode()) == parse_record(seed_text)


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("bad/cell_count.md", 10, "expected 3 cells in this Behaviors row"),
        ("bad/relevancy.md", 13, "relevancy must be a whole number from 1 to 5, found '9'"),
        ("bad/no_link.md", 1, "no source link"),
        ("bad/unknown_column.md", 7, "unknown column 'maturity' in the Technologies table"),
    ],
)
def test_a_bad_file_is_reported_with_its_line(name, line, words):
    with pytest.raises(RecordError) as caught:
        parse_record(fixture_text(name), path=name)

    assert caught.value.line == line
    assert words in caught.value.message
    assert str(caught.value).startswith(f"{name}:{line}: ")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfe# title", "not UTF-8"),
        (b"\x00\x01binary", "binary file"),
        (b"Just some prose.\n", "expected the title line"),
        (b"# __T__\n\n__[External link](ftp://example.org/x)__\n", "only http and https"),
        (b"# __T__\n\n__[External link](https://e.org/)__\n\nstray text\n", "found 'stray text'"),
        (b"# __T__\n__[External link](https://e.org/)__\n## Themes\n\nnot a bullet\n", "bullet"),
        (b"# __T__\n__[External link](https://e.org/)__\n## Other\n\n* no colon\n", "Label: value"),
        (
            b"# __T__\n__[External link](https://e.org/)__\n## Themes\n* a\n## Themes\n* b\n",
            "a second '## Themes' section (the first is on line 3)",
        ),
        (
            b"# __T__\n__[External link](https://e.org/)__\n## Issues\n| name |\n| name |\n",
            "separator row",
        ),
        (
            b"# __T__\n__[External link](https://e.org/)__\n## Issues\n| name |\n|--|\n|  |\n",
            "empty name cell",
        ),
    ],
)
def test_malformed_text_gets_a_plain_message(text, words):
    with pytest.raises(RecordError) as caught:
        parse_record(text)

    assert words in caught.value.message


def test_a_title_keeps_its_own_parentheses_and_commas():
    text = "# __Cities, from (below): a view__\n\n__[External link](https://e.org/a_(b))__\n"

    record = parse_record(text)

    assert record.title == "Cities, from (below): a view"
    assert record.url == "https://e.org/a_(b)"
