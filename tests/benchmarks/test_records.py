"""benchmarks/records.py end to end on a tiny gold set of our own, and without the corpus."""

import json

from benchmarks import records
from tests.support.openai_server import OpenAIServer, Reply, completion

RECORD = """# __Cities switch their buses to electric__

__[External link](https://example.org/buses)__

## Themes

* electric vehicles
* public transport

## Other

* Category: technology
* Page: bus-page

## Signals

| name | description | change |
|:--|:--|:--|
| Electric city buses | Cities replace diesel buses with electric ones. | From diesel to EVs. |
| Depot charging networks | Operators build charging depots. | From fuel to charging depots. |
"""
PAGE = """# Cities switch their buses to electric
More and more cities are replacing diesel buses with battery electric buses. Oslo expects
its whole fleet to be electric by 2028, up from a quarter today. Operators are building
charging depots, and battery prices have fallen by half in five years, which makes electric
buses cheaper to run than diesel ones over their lifetime.
"""


def test_it_scores_another_gold_set_on_another_folder_of_pages(tmp_path, capsys):
    gold, pages = _folders(tmp_path)
    vocabulary = tmp_path / "themes.txt"
    vocabulary.write_text("# approved\nelectric vehicles: EV; EVs\nhousing\n", encoding="utf-8")
    out = tmp_path / "figures.json"

    status = records.main(
        [
            *("--gold", str(gold), "--pages", str(pages), "--vocabulary", str(vocabulary)),
            *("--classifiers", "local", "--json", str(out)),
        ]
    )

    assert status == 0
    printed = capsys.readouterr().out
    assert "1 gold records" in printed and "junk names" in printed and ">= 0.9" in printed
    figures = json.loads(out.read_text(encoding="utf-8"))["classifiers"]["local"]
    assert figures["pages"] == 1
    for key in ("theme_precision", "signal_recall", "junk_rate", "copied_rate", "targets"):
        assert key in figures

    # The same run as a baseline prints before/after columns.
    records.main(
        [
            *("--gold", str(gold), "--pages", str(pages), "--vocabulary", str(vocabulary)),
            *("--classifiers", "local", "--baseline", str(out)),
        ]
    )
    assert "before (1 pages) / after (1 pages)" in capsys.readouterr().out


def _folders(tmp_path):
    gold, pages = tmp_path / "gold", tmp_path / "pages"
    gold.mkdir()
    pages.mkdir()
    (gold / "anything.md").write_text(RECORD, encoding="utf-8")
    (pages / "bus-page.txt").write_text(PAGE, encoding="utf-8")
    return gold, pages


ANSWER = {
    "summary": "Cities replace diesel buses with battery buses.",
    "keywords": ["electric buses"],
    "themes": ["electric vehicles", "urban transport"],
    "category": "technology",
    "type": "news",
    "signals": [
        {
            "name": "Electric city buses",
            "description": "Cities replace diesel buses with battery electric buses.",
            "change": "From diesel to battery buses.",
            "ten_year": "Whole fleets are electric.",
            "driving_force": "Battery prices fell by half.",
            "relevancy": 5,
        }
    ],
    "behaviors": [],
    "technologies": [],
    "issues": [],
}


def test_it_scores_the_llm_classifier_when_an_endpoint_is_configured(tmp_path, settings):
    gold, pages = _folders(tmp_path)
    out = tmp_path / "figures.json"
    with OpenAIServer() as server:
        server.responder = lambda request: Reply(status=200, body=completion(json.dumps(ANSWER)))
        settings.SPYGLASS_LLM = {
            **settings.SPYGLASS_LLM,
            "base_url": server.base_url,
            "model": "test-model",
        }
        status = records.main(
            [
                *("--gold", str(gold), "--pages", str(pages), "--classifiers", "local,llm"),
                *("--json", str(out)),
            ]
        )

    assert status == 0
    figures = json.loads(out.read_text(encoding="utf-8"))["classifiers"]
    assert figures["llm"]["failures"] == 0
    assert figures["llm"]["signal_recall"] == 0.5  # one of the two gold signals
    assert figures["llm"]["theme_recall"] == 0.5  # "electric vehicles", not "public transport"
    assert figures["llm"]["copied_rate"] == 0.0
    assert figures["llm"]["pages_with_theme"] == figures["llm"]["pages_with_signal"] == 1.0
    assert figures["local"]["pages"] == 1


def test_it_skips_with_a_message_when_the_corpus_is_absent(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(records, "DEFAULT_PAGES", tmp_path / "no-corpus")

    assert records.main(["--classifiers", "local"]) == 0
    assert "skipped: the corpus is absent" in capsys.readouterr().out


def test_the_llm_classifier_is_skipped_when_no_endpoint_is_configured(settings):
    settings.SPYGLASS_LLM = {**settings.SPYGLASS_LLM, "base_url": "", "model": ""}

    assert records.build_classifier("llm").startswith("skipped: ")
