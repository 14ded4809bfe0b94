import csv
import io
from datetime import date

import pytest

from apps.knowledge.models import Behavior, Signal
from apps.records.findings_export import findings_csv, findings_json, safe_cell
from tests.factories import (
    BehaviorFactory,
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeFactory,
)

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
