"""Small things a person notices: the tab's icon, and "1 signal" rather than "1 signals"."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from apps.records.backup.results import BackupSummary, RestoreResult
from tests.factories import SignalFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_every_page_names_the_svg_icon_and_it_exists(reader_client):
    html = reader_client.get(reverse("dashboard")).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert finders.find("img/favicon.svg")


def test_favicon_ico_leads_to_the_icon_without_logging_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url == "/static/img/favicon.svg"


def test_the_explorer_says_1_signal_and_2_signals(reader_client):
    SignalFactory(name="Only one")
    html = reader_client.get(reverse("explore:index")).content.decode()
    assert 'data-announce="1 signal found"' in html
    assert "data-swap-focus>1 signal</h2>" in html
    assert "Download the 1 signal:" in html

    SignalFactory(name="Another")
    html = reader_client.get(reverse("explore:index")).content.decode()
    assert "data-swap-focus>2 signals</h2>" in html
    assert (
        "1 signals"
        not in reader_client.get(reverse("explore:kind", args=["issues"])).content.decode()
    )


def test_the_dashboard_labels_a_count_of_one_in_the_singular(reader_client):
    SourceFactory()
    board = reader_client.get(reverse("dashboard")).context["board"]
    labels = {count.key: (count.value, count.label) for count in board.counts}
    assert labels["sources"] == (1, "Source")
    assert labels["technologies"] == (0, "Technologies")


def test_backup_and_restore_summaries_count_in_words():
    summary = BackupSummary(sources=1, findings={"signals": 1, "technologies": 2}, themes=1)
    assert str(summary) == "1 record (1 signal, 2 technologies), 1 theme, 0 aliases"
    assert str(RestoreResult(created=1, themes=1)) == (
        "1 created, 0 reset to the backup, 1 theme restored"
    )


def test_the_extracted_text_of_one_character_says_character(reader_client):
    source = SourceFactory(extracted_text="x")
    html = reader_client.get(reverse("sources:detail", args=[source.pk])).content.decode()
    assert "(1 character)" in html
