"""The schema and the docs page, which must work offline under the CSP."""

from django.contrib.staticfiles import finders


def test_the_schema_is_served(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Spyglass API"
    assert "/api/v1/me" in schema["paths"]


def test_the_docs_load_swagger_from_this_server(client, db):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert finders.find("ninja/swagger-ui-bundle.js") and finders.find("ninja/swagger-ui-init.js")
    # The CSP allows scripts from this server only, and the page has no inline script body
    # other than the settings, a JSON data block the browser does not run.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert html.count("<script>") == 0
