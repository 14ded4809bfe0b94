"""The source page's reads (apps/sources/page.py): every kind of finding and every theme link
in one query each, left where the templates read them, whatever the source holds."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from apps.core.audit import audit_record
from apps.core.models import AuditEntry, Origin
from apps.knowledge.models import Theme
from apps.sources import details
from apps.sources.page import source_findings, source_page
from apps.sources.selectors import FINDING_TITLES
from tests.accounts.factories import UserFactory
from tests.factories import (
    FINDING_FACTORIES,
    ExtraSectionFactory,
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceKeywordFactory,
    SourceThemeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = FINDING_FACTORIES


def rich_source(findings: int):
    """A source with `findings` findings of every kind, each with two themes (in reverse
    order of position), two themes of its own, keywords and extra sections."""
    source = SourceFactory()
    energy, water = named_theme("energy"), named_theme("water")
    SourceThemeFactory(source=source, theme=water, position=2)
    SourceThemeFactory(source=source, theme=energy, position=1)
    for n in range(findings):
        for kind, factory in FACTORIES.items():
            finding = factory(source=source, position=findings - n, name=f"{kind} {n}")
            for position, theme in ((2, energy), (1, water)):
                link = finding.themes.through
                owner = finding._meta.model_name
                link.objects.create(**{owner: finding}, theme=theme, position=position)
    SourceKeywordFactory(source=source, label="heat", position=2)
    SourceKeywordFactory(source=source, label="Cold", position=1)
    ExtraSectionFactory(source=source, heading="Concerns", body="| a |\n|---|\n| b |")
    return source


def named_theme(name: str) -> Theme:
    return Theme.objects.filter(name=name).first() or ThemeFactory(name=name)


def queries(read) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        result = read()
    return result, len(captured)


def test_it_reads_a_source_with_any_number_of_findings_in_five_queries():
    few, many = rich_source(findings=1), rich_source(findings=8)
    source_page(few.pk)  # Django caches the content types the audit trail is read by

    _, for_few = queries(lambda: source_page(few.pk))
    page, for_many = queries(lambda: source_page(many.pk))

    assert for_few == for_many == 5
    assert [len(table.rows) for table in page.tables] == [8, 8, 8, 8]


def test_it_shows_every_kind_in_table_order_with_its_own_fields():
    source = rich_source(findings=3)
    SignalFactory(source=source, position=0, change="more heat pumps", ten_year="most homes")

    page = source_page(source.pk)

    assert [(t.kind, t.title) for t in page.tables] == list(FINDING_TITLES.items())
    signals = page.tables[0].rows
    assert [row.position for row in signals] == [0, 1, 2, 3]
    assert (signals[0].change, signals[0].ten_year) == ("more heat pumps", "most homes")
    for table in page.tables:
        assert {type(row)._meta.verbose_name_plural.lower() for row in table.rows} == {
            table.title.lower()
        }
        assert all(row.source is page.source for row in table.rows)


def test_nothing_the_page_reads_of_a_finding_or_a_theme_costs_a_query():
    source = rich_source(findings=2)
    page = source_page(source.pk)

    seen = []

    def read_all():
        for table in page.tables:
            assert table.show_themes
            for row in table.rows:
                seen.append((row.name, row.description, row.version, row.draft, row.relevancy))
                seen.extend(
                    (link.theme.pk, link.theme.name, link.theme.get_absolute_url())
                    for link in row.theme_links.all()
                )
        seen.extend(theme.get_absolute_url() for theme in page.themes)
        seen.extend(link.theme.name for link in page.source.theme_links.all())

    _, count = queries(read_all)
    assert count == 0


def test_theme_links_are_in_position_order_for_the_source_and_each_finding():
    source = rich_source(findings=1)

    page = source_page(source.pk)

    assert [theme.name for theme in page.themes] == ["energy", "water"]
    for table in page.tables:
        [row] = table.rows
        assert [link.theme.name for link in row.theme_links.all()] == ["water", "energy"]
    assert page.keywords == ["Cold", "heat"]
    [(section, table)] = page.extra_sections
    assert section.heading == "Concerns" and [c.text for c in table.rows[0]] == ["b"]


def test_a_finding_without_themes_reads_none_without_a_query():
    source = SourceFactory()
    themed = SignalFactory(source=source, position=1)
    SignalThemeFactory(signal=themed)
    bare = SignalFactory(source=source, position=2)

    page = source_page(source.pk)

    rows, count = queries(lambda: [list(row.theme_links.all()) for row in page.tables[0].rows])
    assert count == 0
    assert [len(links) for links in rows] == [1, 0]
    assert page.tables[0].rows[1].pk == bare.pk
    assert page.themes == [] and not page.tables[1].rows


def test_the_json_of_machine_values_stays_in_the_database():
    source = SourceFactory()
    SignalFactory(source=source, machine_values={"name": "x" * 1000})

    [row] = source_findings(source)["signals"]

    assert {"machine_values", "curated"} <= row.get_deferred_fields()


def test_an_unknown_source_is_404():
    with pytest.raises(Http404):
        source_page(999_999)


def test_the_import_entry_is_read_with_the_source_as_source_import_reads_it():
    source = SourceFactory()
    editor = UserFactory(username="ines", role="editor")
    how = {"file": "001_abc.txt", "via": "manage.py import_markdown"}
    for at_file in (how, {"file": "later.txt"}):  # the first import says where it came from
        audit_record(
            source, action=AuditEntry.Action.IMPORT, origin=Origin.IMPORT, actor=editor, new=at_file
        )

    page = source_page(source.pk)

    assert page.imported == details.source_import(type(source).objects.get(pk=source.pk))
    assert (page.imported.by, page.imported.file, page.imported.via) == (
        "ines",
        "001_abc.txt",
        "manage.py import_markdown",
    )
    assert source_page(SourceFactory().pk).imported is None
