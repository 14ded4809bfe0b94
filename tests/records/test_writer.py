import pytest

from apps.records.parser import parse_record
from apps.records.writer import render_record
from tests.records.conftest import FIXTURES


def test_the_seed_is_written_back_exactly(seed_text):
    assert render_record(parse_record(seed_text)) == seed_text.rstrip("\n") + "\n"


@pytest.mark.parametrize("path", sorted((FIXTURES / "variants").glob("*.md")), ids=lambda p: p.stem)
def test_writing_is_stable_for_every_variant(path):
    once = render_record(parse_record(path.read_text()))

    assert render_record(parse_record(once)) == once
    assert parse_record(once) == parse_record(path.read_text())


def test_pipes_in_cells_are_escaped():
    text = render_record(parse_record((FIXTURES / "variants/escaped_pipes.md").read_text()))

    assert "| A \\| B testing " in text


def test_tables_without_relevancy_are_written_without_the_column():
    text = render_record(parse_record((FIXTURES / "variants/no_relevancy.md").read_text()))

    assert "relevancy" not in text
