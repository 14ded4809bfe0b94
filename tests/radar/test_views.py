"""/radar/ and its downloads: BYOR's CSV and JSON, a well-formed SVG, hostile names escaped."""

import csv
import io
import json
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> & =SUM(A1)'
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def techs(technology):
    technology("Kelp farms", 4, 30, category="food")
    technology("Wave buoys", 3, 250, category="energy")
    technology(HOSTILE, 5, 500, category="energy")


def test_the_csv_is_build_your_own_radars_with_rings_in_order(reader_client, techs):
    response = reader_client.get(reverse("radar:csv"))

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="spyglass-radar.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["name", "ring", "quadrant", "isNew", "description"]
    assert [row[:4] for row in rows[1:]] == [
        ["Kelp farms", "adopt", "Food", "TRUE"],
        ["Wave buoys", "assess", "Energy", "FALSE"],
        [HOSTILE, "hold", "Energy", "FALSE"],
    ]


def test_a_name_a_spreadsheet_would_run_is_kept_as_text(reader_client, technology):
    technology("=HYPERLINK(1)", 4, 10)
    rows = list(csv.reader(io.StringIO(reader_client.get(reverse("radar:csv")).content.decode())))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_the_json_is_a_list_of_the_same_rows(reader_client, techs):
    response = reader_client.get(reverse("radar:json"))

    data = json.loads(response.content)
    assert data[0] == {
        "name": "Kelp farms",
        "ring": "adopt",
        "quadrant": "Food",
        "isNew": "TRUE",
        "description": data[0]["description"],
    }
    assert [row["name"] for row in data] == ["Kelp farms", "Wave buoys", HOSTILE]


def test_the_svg_download_is_well_formed_with_its_styles_and_escapes_names(reader_client, techs):
    response = reader_client.get(reverse("radar:svg"))

    assert response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}style") is not None
    titles = [a.find(f"{SVG}title").text for a in root.iter(f"{SVG}a")]
    assert any(HOSTILE in title for title in titles)
    assert b"<script>" not in response.content
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert all(link.startswith("http://testserver/sources/") for link in links)


def test_the_page_draws_every_blip_as_a_link_with_its_details(reader_client, techs):
    response = reader_client.get(reverse("radar:index"))

    html = response.content.decode()
    assert html.count('<a class="radar-blip ') == 3
    assert html.count('class="radar-detail"') == 3
    assert "<style>" not in html  # the CSP: styles come from the static file
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert "Seen in the last 180 days" in html


def test_a_wrong_filter_is_named_and_the_rest_applies(reader_client, technology):
    tidal = ThemeFactory(name="tidal power")
    technology("Kept", 4, 10, themes=[tidal])
    technology("Filtered out", 4, 10)

    response = reader_client.get(
        reverse("radar:index"), {"theme": [tidal.slug, "nope"], "period": "7"}
    )

    html = response.content.decode()
    assert "no theme is known as “nope”" in html
    assert "Seen in: choose one of the listed periods." in html
    assert "Kept" in html and "Filtered out" not in html


def test_an_empty_radar_says_so(reader_client):
    response = reader_client.get(reverse("radar:index"))
    assert "No technology matches these filters yet." in response.content.decode()


def test_the_page_makes_a_bounded_number_of_queries(
    reader_client, technology, django_assert_max_num_queries
):
    for n in range(30):
        technology(f"tech {n}", 1 + n % 5, n * 10, category=f"cat {n % 5}")
    with django_assert_max_num_queries(12):
        reader_client.get(reverse("radar:index"))
