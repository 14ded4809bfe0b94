"""Pages that are mostly links are cut down before trafilatura, or refused with a reason."""

import pytest

from apps.sources.pipeline import prune
from apps.sources.pipeline.extract import extract_html
from apps.sources.pipeline.failures import Failure

ARTICLE = (
    "<article><h1>Tidal batteries reach small harbour towns</h1>"
    + "".join(
        f"<p>Harbour town number {n} is installing tidal batteries to store what the sea "
        f"gives, and its council expects {n + 2} more by the end of the decade.</p>"
        for n in range(12)
    )
    + "</article>"
)


def page_with_links(count: int) -> str:
    links = "".join(f'<li><a href="/p/{n}">Link number {n}</a></li>' for n in range(count))
    return f"<html><head><title>Big</title></head><body>{ARTICLE}<ul>{links}</ul></body></html>"


def test_ordinary_pages_are_not_parsed_twice():
    assert not prune.needs_pruning(page_with_links(100))


def test_a_page_of_thirty_thousand_links_still_gives_its_article():
    markup = page_with_links(30_000)
    assert prune.needs_pruning(markup)

    found = extract_html(markup, url="https://example.org/big")

    assert "tidal batteries to store" in found.text
    assert "Link number" not in found.text


def test_only_blocks_that_are_mostly_links_are_dropped():
    prose = "<div>" + "<p>Words, not links, in a long paragraph. <a href='/x'>one</a></p>" * 40
    markup = (
        f"<html><body>{prose}</div>{'<i></i>' * 20_001}<ul>"
        + "".join(f"<li><a href='/{n}'>link {n}</a></li>" for n in range(40))
        + "</ul></body></html>"
    )

    tree = prune.pruned_tree(markup)

    assert len(tree.findall(".//p")) == 40
    assert tree.find(".//ul") is None


def test_a_page_too_big_even_without_its_links_is_refused_with_the_reason():
    markup = "<html><body>" + "<p>text</p>" * 110_000 + "</body></html>"

    with pytest.raises(Failure) as refused:
        extract_html(markup)

    assert refused.value.code == "too_complex" and not refused.value.transient
    assert "110,002 HTML elements" in refused.value.message
