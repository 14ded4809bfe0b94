import csv
import io
import json
from datetime import date

import pytest

from apps.knowledge.explorer import findings_filtered
from apps.knowledge.models import Behavior, Signal
from apps.records.findings_export import (
    FLUSH_CHARS,
    csv_chunks,
    findings_csv,
    findings_json,
    json_chunks,
    safe_cell,
)
from tests.factories import (
    BehaviorFactory,
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeFactory,
)
from tests.records.conftest import many_sources

pytestmark = pytest.mark.django_db


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_signals_csv_has_the_signal_columns_source_and_themes():
    source = SourceFactory(
        title="Heat pumps", url="https://example.org/a", published_on=date(2024, 3, 1)
    )
    signal = SignalFactory(source=source, name="Heat pumps win", relevancy=4)
    SignalThemeFactory(signal=signal, theme=ThemeFactory(name="Energy"))
    SourceThemeFactory(source=source, theme=ThemeFactory(name="Homes"))

    header, row = rows(findings_csv(Signal.objects.all(), kind="signals"))

    assert header == [
        "id",
        "name",
        "description",
        "change",
        "10-year",
        "driving-force",
        "relevancy",
        "themes",
        "source_id",
        "source_title",
        "source_url",
        "date",
    ]
    assert row == [
        str(signal.pk),
        "Heat pumps win",
        "Why it matters.",
        "From this to that.",
        "Everyone does that.",
        "It is cheaper.",
        "4",
        "Energy; Homes",
        str(source.pk),
        "Heat pumps",
        "https://example.org/a",
        "2024-03-01",
    ]


def test_other_kinds_have_name_description_relevancy():
    BehaviorFactory(relevancy=None)

    header, row = rows(findings_csv(Behavior.objects.all(), kind="behaviors"))

    assert header[:4] == ["id", "name", "description", "relevancy"]
    assert row[3] == ""


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_cells_a_spreadsheet_would_run_are_quoted(cell):
    SignalFactory(name=cell, description=cell, source=SourceFactory(title=cell))

    row = rows(findings_csv(Signal.objects.all(), kind="signals"))[1]

    assert row[1] == row[2] == row[9] == "'" + cell
    assert safe_cell("a=b") == "a=b"


def test_json_rows_carry_values_themes_and_source():
    signal = SignalFactory(name="Quiet streets", relevancy=2)
    SignalThemeFactory(signal=signal, theme=ThemeFactory(name="Cities"))

    (row,) = findings_json(Signal.objects.all(), kind="signals")

    assert row["name"] == "Quiet streets"
    assert row["relevancy"] == 2
    assert row["themes"] == ["Cities"]
    assert (row["own_themes"], row["confidence"], row["draft"]) == (["Cities"], None, False)
    assert row["source"]["id"] == signal.source_id
    assert row["date"] == signal.source.submitted_at.date().isoformat()


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind"):
        findings_csv([], kind="rumours")


@pytest.mark.parametrize("count", [2, 12])
def test_the_query_count_does_not_grow_with_the_rows(count, django_assert_num_queries):
    for _ in range(count):
        signal = SignalFactory()
        SignalThemeFactory(signal=signal)
        SourceThemeFactory(source=signal.source)

    with django_assert_num_queries(3):
        findings_csv(Signal.objects.all(), kind="signals")


@pytest.mark.parametrize(("rows", "chunk", "chunks"), [(2, 5, 1), (12, 5, 3), (10, 5, 2)])
def test_the_query_count_grows_by_chunk_not_by_row(rows, chunk, chunks, django_assert_num_queries):
    many_sources(rows // 2)  # two signals each

    # One query for the findings, then the two prefetches (own themes, source themes) for
    # each chunk; an empty last chunk costs nothing.
    with django_assert_num_queries(1 + 2 * chunks):
        text = "".join(csv_chunks(Signal.objects.order_by("pk"), kind="signals", chunk_size=chunk))

    assert len(list(csv.reader(io.StringIO(text)))) == rows + 1


def test_a_chunked_export_writes_what_an_unchunked_one_writes():
    many_sources(40)
    findings = findings_filtered("signals", {})
    whole = list(findings)  # read at once, prefetched: the rows as they were built before

    streamed = "".join(csv_chunks(findings, kind="signals", chunk_size=7))

    assert streamed == findings_csv(whole, kind="signals")
    assert "'=Signal 1 of 0" in streamed  # formula-safe across chunks
    assert "".join(json_chunks(findings, kind="signals", chunk_size=7)) == json.dumps(
        findings_json(whole, kind="signals")
    )


def test_json_chunks_join_to_the_same_text_as_json_dumps_in_every_layout():
    many_sources(3)
    findings = Signal.objects.order_by("pk")
    rows = findings_json(findings, kind="signals")

    pretty = "".join(json_chunks(findings, kind="signals", indent=2, ensure_ascii=False))

    assert pretty == json.dumps(rows, indent=2, ensure_ascii=False)
    assert "".join(json_chunks(findings, kind="signals")) == json.dumps(rows)
    for indent in (None, 2):
        assert "".join(json_chunks(Signal.objects.none(), kind="signals", indent=indent)) == "[]"


def test_a_long_export_comes_in_pieces_of_bounded_size():
    many_sources(1)
    long = "x" * 2000
    Signal.objects.update(description=long)
    SignalFactory.create_batch(80, description=long)

    pieces = list(csv_chunks(Signal.objects.order_by("pk"), kind="signals"))

    assert len(pieces) >= 2
    assert all(len(piece) < FLUSH_CHARS + 4 * len(long) for piece in pieces)
    assert len(rows("".join(pieces))) == 83
