"""Filter forms let the newest change win: htmx's default (drop) ignores a change made
while the previous request is still loading, so the page would show the older filter."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/sources/", "/themes/", "/explore/"])
def test_each_filter_form_replaces_a_request_still_loading(reader_client, url):
    html = reader_client.get(url).content.decode()

    forms = re.findall(r"<form[^>]*hx-push-url[^>]*>", html)
    assert forms, "the page has an HTMX filter form"
    assert all('hx-sync="this:replace"' in form for form in forms)
