"""Scoring a classifier's records against gold records, on tiny team-written inputs."""

from benchmarks.records_scoring import (
    aggregate,
    copied_fields,
    score_page,
    signal_matches,
    theme_matches,
)

GOLD = {
    "themes": ["cloud gaming", "subscription economy", "broadband access"],
    "category": "technology",
    "signals": [
        {
            "name": "Cloud game streaming",
            "description": "Games run in data centres and are streamed to any screen.",
            "change": "From consoles to the cloud.",
        },
        {
            "name": "Bandwidth as the gaming divide",
            "description": "Streaming works where bandwidth is good, not in remote areas.",
            "change": "From hardware to network quality as the barrier.",
        },
    ],
}
PAGE = "Google launched Stadia. Games are streamed from data centres to phones and TVs."


def test_themes_match_by_stems_not_by_spelling():
    assert theme_matches("Cloud Gaming", "cloud gaming")
    assert theme_matches("broadband", "broadband access")  # half the stems
    assert theme_matches("subscription economies", "subscription economy")
    assert not theme_matches("cloud computing", "cloud gaming storage")  # 1 of 4 stems
    assert not theme_matches("", "")


def test_a_gold_signal_is_found_by_name_or_by_description():
    wanted = GOLD["signals"][0]
    assert signal_matches(wanted, {"name": "Cloud game streaming services"})  # 3 of 4 stems
    assert signal_matches(wanted, {"name": "Game streaming"})  # contained, two stems
    assert signal_matches(
        wanted,
        {"name": "Stadia", "description": "Games are streamed from data centres to screens."},
    )
    assert not signal_matches(wanted, {"name": "Streaming"})  # one stem is not enough
    assert not signal_matches(wanted, {"name": "Google", "description": "Google launched Stadia."})


def test_copied_fields_are_equal_after_normalisation():
    assert copied_fields({"description": "Sales rose.", "ten_year": "sales rose"}) == ["ten_year"]
    assert copied_fields({"description": "x", "change": "More EVs", "driving_force": "more EVs."})
    assert copied_fields({"description": "Sales rose.", "change": "From cars to EVs."}) == []
    assert copied_fields({"description": "", "change": "", "ten_year": ""}) == []


def test_score_page_and_aggregate():
    result = {
        "themes": ["Cloud gaming", "video games"],
        "category": "technology",
        "signals": [
            {"name": "Game streaming", "description": "Games are streamed.", "change": ""},
            {"name": "People", "description": "People play.", "ten_year": "People play."},
        ],
        "technologies": [{"name": "Stadia", "description": "Google launched Stadia."}],
        "issues": [{"name": "Google", "description": "Google launched Stadia."}],
    }
    score = score_page("abc", GOLD, result, PAGE, approved={"cloud gaming"})

    assert (score.themes_predicted, score.themes_approved, score.themes_correct) == (2, 1, 1)
    assert score.themes_found == 1
    assert (score.signals_found, score.signals_found_any) == (1, 1)
    assert score.missed == ["Bandwidth as the gaming divide"]
    assert score.copied_names == ["People"]
    # "People" is generic, "Google" a lone entity; "Stadia" is allowed as a technology.
    assert sorted(score.junk_names) == [
        ("issues", "Google", "lone entity"),
        ("signals", "People", "generic word"),
    ]

    empty = score_page("def", GOLD, {}, PAGE, approved=set())
    figures = aggregate([score, empty])
    assert figures["pages"] == 2
    assert figures["theme_precision"] == 0.5
    assert figures["theme_recall"] == round(1 / 6, 4)
    assert figures["category_accuracy"] == 0.5
    assert figures["signal_recall"] == 0.25
    assert figures["junk_rate"] == 0.5
    assert figures["copied_rate"] == 0.5
    assert figures["pages_with_theme"] == figures["pages_with_signal"] == 0.5
    assert figures["multiword_signal_rate"] == 0.5
    assert figures["category_confusion"] == {"technology": {"": 1, "technology": 1}}


def test_proposed_themes_and_theme_objects_count_as_themes():
    result = {"themes": [{"name": "cloud gaming", "confidence": 0.9}], "proposed_themes": ["x"]}

    score = score_page("abc", GOLD, result, PAGE, approved={"cloud gaming"})

    assert (score.themes_predicted, score.themes_approved, score.themes_correct) == (2, 1, 1)
