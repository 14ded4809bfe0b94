"""An imported record's page says where it came from and shows no fetch facts it lacks."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.records.services import record_import_file
from apps.sources.models import Source
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_9386fc493d557855.txt"


def page(client, source) -> str:
    return client.get(reverse("sources:detail", args=[source.pk])).content.decode()


def between(html: str, start: str, end: str) -> str:
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


@pytest.fixture
def seeded(db) -> Source:
    call_command("import_markdown", str(SEED), stdout=StringIO())
    return Source.objects.get()


def test_the_seed_says_where_it_came_from_and_not_that_it_waits_for_a_fetch(reader_client, seeded):
    html = page(reader_client, seeded)

    details = between(html, '<section id="source-details"', "</section>")
    assert "Imported from a record file (<code>000_9386fc493d557855.txt</code>) on" in details
    assert "with manage.py import_markdown." in details
    assert "Spyglass has not fetched this page itself" in details
    for absent in ("Fetched", "not fetched yet", "not yet", "Not classified yet", "HTTP status"):
        assert absent not in details, absent
    assert "No text extracted yet" not in details
    ingest = between(html, '<section id="pipeline"', "</section>")
    assert "<dt>Came in</dt>" in ingest and "Imported from a record file" in ingest
    assert "<dt>Submitted</dt>" not in ingest


def test_the_via_link_reads_as_the_record_wrote_it(reader_client, seeded):
    html = page(reader_client, seeded)

    # The seed's title line: `, from ([6692.0](https://kghosh.substack.com/p/6692.0).)`. The
    # "6692.0" is in the file itself (a number written as a float by the tool that made it),
    # not made by Spyglass: it is shown as written, with the link's site beside it.
    assert seeded.via_label == "6692.0"
    via = '<a href="https://kghosh.substack.com/p/6692.0" rel="noopener noreferrer nofollow">'
    assert f'from {via}6692.0</a> <span class="muted">kghosh.substack.com</span>' in html
    assert "<dt>Via link</dt>" in html


def test_the_import_keeps_the_file_byte_identical_on_export(seeded):
    out = StringIO()
    call_command("export_markdown", str(seeded.pk), stdout=out)
    assert out.getvalue() == SEED.read_text(encoding="utf-8").rstrip("\n") + "\n"


def test_a_person_who_imported_is_named(reader_client):
    erin = UserFactory(username="erin", role="editor")
    source = record_import_file(SEED, actor=erin).source
    assert "Imported from a record file (<code>000_9386fc493d557855.txt</code>) on" in page(
        reader_client, source
    )
    assert " by erin." in page(reader_client, source)


def test_once_spyglass_fetches_it_the_fetch_facts_come_back(reader_client, seeded):
    Source.objects.filter(pk=seeded.pk).update(
        fetched_at=timezone.now(), http_status=200, final_url=seeded.url
    )
    details = between(page(reader_client, seeded), '<section id="source-details"', "</section>")
    assert "Imported from a record file" in details
    assert "<dt>HTTP status</dt><dd>200</dd>" in details
    assert "Spyglass has not fetched this page itself" not in details


def test_a_submitted_source_still_shows_the_fetch_it_waits_for(reader_client):
    from tests.factories import SourceFactory

    source = SourceFactory(origin="ai", status=Source.Status.QUEUED)
    details = between(page(reader_client, source), '<section id="source-details"', "</section>")
    assert "Imported" not in details
    assert "not yet" in details and "Not classified yet" in details


def test_the_history_says_how_it_was_imported(reader_client, seeded):
    url = reverse("source_curation:history", args=[seeded.pk])
    html = reader_client.get(url).content.decode()
    assert "imported from 000_9386fc493d557855.txt with manage.py import_markdown" in html
    assert "file:" not in html
