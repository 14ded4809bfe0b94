"""A PATCH with a stale version is refused with 409 even when it would change nothing.

The rule is one for every write: the version says which state the client saw; if that is
not the current one, the client has not seen what changed, so the write is refused and the
409 carries the current finding (docs/api.md, "Conflicts").
"""

from tests.factories import SignalFactory


def test_a_stale_patch_equal_to_the_current_value_is_a_409(editor_api):
    signal = SignalFactory(description="Now.", relevancy=3)
    first = editor_api.send(
        "patch", f"findings/signals/{signal.pk}", {"relevancy": 4, "version": 1}
    )
    assert first.status_code == 200

    # A client still holding version 1 sends what is already there.
    stale = editor_api.send(
        "patch", f"findings/signals/{signal.pk}", {"relevancy": 4, "version": 1}
    )

    assert stale.status_code == 409
    assert stale.json()["details"]["current"]["version"] == 2


def test_a_stale_patch_that_sends_nothing_new_is_a_409(editor_api):
    signal = SignalFactory(description="Now.", relevancy=3)
    editor_api.send(
        "patch", f"findings/signals/{signal.pk}", {"description": "Later.", "version": 1}
    )

    stale = editor_api.send(
        "patch", f"findings/signals/{signal.pk}", {"relevancy": 3, "version": 1}
    )

    assert stale.status_code == 409


def test_a_current_patch_that_changes_nothing_is_a_200_and_keeps_the_version(editor_api):
    signal = SignalFactory(description="Now.", relevancy=3)

    same = editor_api.send("patch", f"findings/signals/{signal.pk}", {"relevancy": 3, "version": 1})

    assert same.status_code == 200
    assert same.json()["version"] == 1
