import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import SignalFactory, SignalThemeFactory, SourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("export_findings", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def findings():
    energy = ThemeFactory(name="Energy")
    hot = SignalFactory(name="Heat pumps win", relevancy=5)
    SignalThemeFactory(signal=hot, theme=energy)
    SignalFactory(name="=cmd|' /C calc'!A0", relevancy=2, source=SourceFactory())
    return hot


def test_csv_of_a_theme_as_the_explorer_filters_it(findings):
    rows = list(csv.reader(io.StringIO(run("signals", "--theme", "energy"))))

    assert rows[0][:2] == ["id", "name"]
    assert [row[1] for row in rows[1:]] == ["Heat pumps win"]


def test_json_sorted_and_formula_text_kept_as_text(findings):
    rows = json.loads(run("signals", "--format", "json", "--sort", "relevancy"))

    assert [row["relevancy"] for row in rows] == [2, 5]
    assert rows[0]["name"] == "=cmd|' /C calc'!A0"  # JSON is data, not a spreadsheet
    assert "'=cmd" in run("signals")


def test_a_bad_filter_names_the_option_and_exports_nothing(findings, tmp_path):
    target = tmp_path / "out.csv"

    with pytest.raises(CommandError) as error:
        run("signals", "--theme", "nope", "--from", "yesterday", "--out", str(target))

    assert "--theme: no theme is known as “nope”" in str(error.value)
    assert "--from: give a date as YYYY-MM-DD." in str(error.value)
    assert not target.exists()


def test_out_writes_a_file(findings, tmp_path):
    target = tmp_path / "signals.csv"

    run("signals", "--min-relevancy", "4", "--out", str(target))

    assert target.read_bytes().count(b"\r\n") == 2


def test_streamed_output_is_the_text_it_was_when_built_at_once(findings, tmp_path):
    from apps.knowledge.models import Signal
    from apps.records.findings_export import findings_json

    rows = findings_json(Signal.objects.order_by("-relevancy", "pk"), kind="signals")

    assert (
        run("signals", "--format", "json") == json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    )
    run("signals", "--format", "json", "--out", str(tmp_path / "out.json"))
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == json.dumps(
        rows, indent=2, ensure_ascii=False
    )
    assert not (tmp_path / "out.json.partial").exists()
