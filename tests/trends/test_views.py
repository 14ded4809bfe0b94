"""/trends/ and /trends/emerging/: charts and tables with their figures, errors named."""

import datetime as dt
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import SignalFactory, SignalThemeFactory, SourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def signal(days_ago: int, *themes):
    source = SourceFactory(published_on=timezone.localdate() - dt.timedelta(days=days_ago))
    item = SignalFactory(source=source)
    for theme in themes:
        SignalThemeFactory(signal=item, theme=theme)


def svgs(html: str) -> list[ElementTree.Element]:
    """Each chart's SVG, parsed as XML (it must be well-formed)."""
    parts = html.split("<svg ")[1:]
    return [ElementTree.fromstring("<svg " + part.split("</svg>")[0] + "</svg>") for part in parts]


def test_the_page_charts_everything_each_theme_and_each_category(reader_client):
    tidal = ThemeFactory(name='tidal <power> & "co"')
    for days in (0, 1, 8, 30):
        signal(days, tidal)

    html = reader_client.get(reverse("trends:index")).content.decode()

    charts = svgs(html)
    assert len(charts) == 3  # everything, the theme, the category
    assert all(
        chart.find("title") is not None and chart.find("desc") is not None for chart in charts
    )
    assert "tidal &lt;power&gt; &amp; &quot;co&quot;" in html
    assert html.count('class="chart-hit"') == 3 * 26  # one per week of the default half year
    assert "Figures as a table" in html
    assert "style=" not in html.split("<main")[1]


def test_months_and_a_date_range(reader_client):
    signal(0)
    params = {"period": "month", "date_from": "2026-01-01", "date_to": "2026-03-31"}

    html = reader_client.get(reverse("trends:index"), params).content.decode()

    assert html.count('class="chart-hit"') == 3  # everything: January to March
    assert "Jan 2026" in html and "Mar 2026" in html


def test_wrong_filters_are_named_and_the_others_apply(reader_client):
    params = {"period": "day", "theme": "nope", "date_from": "2020-01-01", "date_to": "2026-01-05"}

    html = reader_client.get(reverse("trends:index"), params).content.decode()

    assert "Per: choose “week” or “month”." in html
    assert "no theme is known as “nope”" in html
    assert "a chart shows at most 156 weeks" in html


def test_the_trends_page_makes_a_bounded_number_of_queries(
    reader_client, django_assert_max_num_queries
):
    themes = [ThemeFactory(name=f"theme {n}") for n in range(12)]
    for n in range(40):
        signal(n * 3, themes[n % 12])
    with django_assert_max_num_queries(25):
        reader_client.get(reverse("trends:index"))


def test_the_emerging_page_shows_the_rule_and_the_figures(reader_client):
    rising = ThemeFactory(name="rising")
    for days in (0, 1, 2, 8):
        signal(days, rising)
    signal(60)

    html = reader_client.get(reverse("trends:emerging")).content.decode()

    assert "The rule" in html and "(count + 2) ÷ (all signals + 4)" in html
    assert '<a href="/themes/rising/">rising</a> <span class="tag">new</span>' in html
    assert 'href="/trends/?theme=rising&amp;period=week"' in html
    assert "Baseline share" in html


def test_the_emerging_page_with_no_data_and_wrong_windows(reader_client):
    html = reader_client.get(
        reverse("trends:emerging"), {"recent": "0", "baseline": "x", "period": "month"}
    ).content.decode()

    assert "Recent periods: give 1 to 26." in html
    assert "Baseline periods: give a whole number." in html
    assert "No theme has 3 or more signals in the last 3 months" in html
