import hashlib
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError

from apps.knowledge.models import Signal, Theme, ThemeRelation
from apps.records.backup import BackupError, Limits, backup_restore, backup_write
from apps.records.backup import restore as restore_module
from apps.sources.models import Source
from tests.records.conftest import snapshot, wipe

pytestmark = pytest.mark.django_db


def make_backup(**kwargs) -> bytes:
    out = io.BytesIO()
    backup_write(out, **kwargs)
    return out.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def edited_manifest(data: bytes, change) -> bytes:
    files = members(data)
    manifest = json.loads(files["manifest.json"])
    change(manifest)
    files["manifest.json"] = json.dumps(manifest).encode()
    return rezip(files)


def test_export_wipe_restore_gives_the_same_knowledge_base(knowledge_base):
    before = snapshot()
    data = make_backup()
    wipe()
    assert Source.objects.count() == 0

    result = backup_restore(io.BytesIO(data))

    assert snapshot() == before
    assert (result.created, result.updated, result.missing_users) == (8, 0, [])


def test_the_round_trip_keeps_what_the_markdown_cannot_say(knowledge_base):
    data = make_backup()
    wipe()

    backup_restore(data)

    seed = Source.objects.get(pk__isnull=False, canonical_url=knowledge_base.canonical_url)
    assert seed.title == "Google has no moat"
    assert seed.curated["title"]["by"] == "edna"
    assert seed.machine_values["title"].startswith("Leaked Google Document")
    assert seed.category.name == "strategy"
    signal = seed.signals.order_by("position").first()
    assert signal.description == "First line.\nSecond line."
    assert (signal.relevancy, signal.updated_by.username) == (5, "edna")
    added = seed.technologies.get(name="Editors add findings too")
    assert (added.origin, added.description) == ("editor", "=1+1")
    assert added.themes.get().slug == "resilience"
    assert not seed.themes.filter(slug="google").exists()
    # the removal is remembered under the restored theme's id, so a classifier keeps it out
    assert str(Theme.objects.get(slug="google").pk) in seed.curated["themes_removed"]
    assert "findings_removed" in seed.curated
    assert Theme.objects.get(slug="competition").merged_into.slug == "resilience"
    assert Theme.objects.get(slug="hype").status == Theme.Status.REJECTED
    relation = ThemeRelation.objects.get()
    assert {relation.theme_a.slug, relation.theme_b.slug} == {"resilience", "innovation"}
    assert relation.added_by.username == "edna"
    untitled = Source.objects.get(title="")
    assert (untitled.status, untitled.failure_code) == (Source.Status.FAILED, "http_404")


def test_the_zip_holds_one_record_per_source_and_a_manifest(knowledge_base):
    files = members(make_backup())
    manifest = json.loads(files.pop("manifest.json"))

    assert manifest["format"] == "spyglass-backup"
    assert manifest["counts"]["records"] == len(files) == 8
    entry = next(
        e for e in manifest["records"] if e["canonical_url"] == knowledge_base.canonical_url
    )
    assert entry["file"] == f"records/{knowledge_base.pk:06d}-google-has-no-moat.md"
    assert entry["sha256"] == hashlib.sha256(files[entry["file"]]).hexdigest()
    assert entry["submitted_by"] == "andy"
    assert entry["source"]["curated"]["title"]["by"] == "edna"
    assert files[entry["file"]].startswith(b"# __Google has no moat__")


def test_restoring_over_the_database_puts_the_backup_back(knowledge_base):
    before = snapshot()
    data = make_backup()
    signal = knowledge_base.signals.order_by("position").first()
    Signal.objects.filter(pk=signal.pk).update(name="Changed later", version=9, curated={})
    Signal.objects.create(source=knowledge_base, name="Added later", origin="editor", position=7)
    Theme.objects.filter(slug="hype").update(status=Theme.Status.APPROVED)

    result = backup_restore(data)

    assert snapshot() == before
    assert (result.created, result.updated) == (0, 8)


def test_a_user_that_is_gone_stays_a_name(knowledge_base):
    data = make_backup()
    wipe()
    get_user_model().objects.filter(username="edna").delete()

    result = backup_restore(data)

    assert result.missing_users == ["edna"]
    assert "no account for edna" in str(result)
    seed = Source.objects.get(canonical_url=knowledge_base.canonical_url)
    assert seed.updated_by is None
    assert seed.curated["title"]["by"] == "edna"


def test_a_backup_of_some_sources_holds_only_those(knowledge_base):
    data = make_backup(sources=Source.objects.filter(pk=knowledge_base.pk))

    assert [name for name in members(data) if name.startswith("records/")] == [
        f"records/{knowledge_base.pk:06d}-google-has-no-moat.md"
    ]


def seed_file(data: bytes) -> str:
    return next(name for name in members(data) if name.endswith("google-has-no-moat.md"))


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    return rezip({**members(data), name: content})


def broken_record(data: bytes) -> bytes:
    name = seed_file(data)
    text = members(data)[name].replace(b"| name ", b"| nom  ", 1)

    def change(manifest):
        entry = next(e for e in manifest["records"] if e["file"] == name)
        entry["sha256"] = hashlib.sha256(text).hexdigest()

    return with_member(edited_manifest(data, change), name, text)


def drop_records_key(manifest):
    del manifest["records"]


HOSTILE = {
    "not a zip": (lambda data: b"PK but not really", "not a zip archive"),
    "path traversal": (
        lambda data: with_member(data, "../../etc/evil.md", b"x"),
        "points outside it",
    ),
    "absolute path": (lambda data: with_member(data, "/tmp/evil.md", b"x"), "points outside"),
    "unlisted file": (lambda data: with_member(data, "records/extra.md", b"x"), "not listed"),
    "no manifest": (
        lambda data: rezip({k: v for k, v in members(data).items() if k != "manifest.json"}),
        "it has no manifest.json",
    ),
    "manifest not json": (
        lambda data: with_member(data, "manifest.json", b"{\n  nope"),
        "manifest.json:2: not valid JSON",
    ),
    "manifest without records": (
        lambda data: edited_manifest(data, drop_records_key),
        "manifest.json: records: Field required",
    ),
    "newer format": (
        lambda data: edited_manifest(data, lambda m: m.update(format_version=99)),
        "made by a newer Spyglass",
    ),
    "hash mismatch": (
        lambda data: with_member(data, seed_file(data), members(data)[seed_file(data)] + b"x"),
        "SHA-256 is not the one in manifest.json",
    ),
    "broken record": (broken_record, "google-has-no-moat.md:"),
    "manifest nested 100,000 levels deep": (
        lambda data: with_member(data, "manifest.json", b"[" * 100_000 + b"]" * 100_000),
        "nested too deeply",
    ),
    "manifest with a 5,000-digit number": (
        lambda data: with_member(
            data, "manifest.json", b'{"format_version": ' + b"9" * 5000 + b"}"
        ),
        "a number too long",
    ),
    "a field that is not editable": (
        lambda data: edited_manifest(
            data, lambda m: m["records"][0]["source"]["exact"].update(status="done")
        ),
        "sets fields that cannot be set: status",
    ),
}


@pytest.mark.parametrize("case", HOSTILE, ids=str)
def test_a_hostile_or_broken_zip_is_refused_and_nothing_written(knowledge_base, case):
    spoil, message = HOSTILE[case]
    data = spoil(make_backup())
    wipe()

    with pytest.raises(BackupError, match=message):
        backup_restore(data)

    assert (Source.objects.count(), Theme.objects.count()) == (0, 0)


def test_a_zip_bomb_is_refused_before_unpacking(knowledge_base):
    data = make_backup()

    with pytest.raises(BackupError, match=r"unpacks to .* more than the limit"):
        backup_restore(data, limits=Limits(total_bytes=10_000))
    with pytest.raises(BackupError, match="holds 9 files, more than the limit of 5"):
        backup_restore(data, limits=Limits(members=5))
    bomb = rezip({"manifest.json": b" " * 50_000_000})
    assert len(bomb) < 100_000
    with pytest.raises(BackupError, match="unpacks to 47 MB"):
        backup_restore(bomb, limits=Limits(total_bytes=10 * 1024 * 1024))


def test_a_database_error_halfway_leaves_nothing_behind(knowledge_base, monkeypatch):
    data = make_backup()
    wipe()
    calls = []
    original = restore_module._restore_source

    def fail_on_third(source, entry, *args, **kwargs):
        calls.append(entry.file)
        if len(calls) == 3:
            raise DatabaseError("disk full")
        original(source, entry, *args, **kwargs)

    monkeypatch.setattr(restore_module, "_restore_source", fail_on_third)

    with pytest.raises(BackupError, match=r"records/.*\.md: could not be stored \(disk full\)"):
        backup_restore(data)

    assert (Source.objects.count(), Theme.objects.count()) == (0, 0)


def test_writing_a_backup_takes_the_same_queries_for_more_sources():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import SignalFactory, SignalThemeFactory, SourceThemeFactory

    def build(count: int) -> None:
        for _ in range(count):
            signal = SignalFactory()
            SignalThemeFactory(signal=signal)
            SourceThemeFactory(source=signal.source)

    counts = []
    for count in (1, 5):
        build(count)
        with CaptureQueriesContext(connection) as queries:
            make_backup()
        counts.append(len(queries))

    # sources, keywords, theme links, extra sections, 4 kinds of findings, signal theme
    # links (kinds without findings need none), theme slugs, the vocabulary with see-also
    assert counts[0] == counts[1] <= 15


def test_the_knowledge_base_backup_is_exact(knowledge_base):
    summary = backup_write(io.BytesIO())

    assert summary.inexact == []
    assert str(summary).startswith("8 records (")


def test_what_markdown_cannot_hold_is_reported_not_hidden():
    from tests.factories import SourceFactory

    source = SourceFactory(summary="Intro.\n\n## Not a section\n\nMore.")

    summary = backup_write(io.BytesIO())

    assert summary.inexact == [f"source #{source.pk}: extra_sections"]


def test_a_backup_of_a_few_hundred_sources_restores_identically():
    from tests.records.conftest import many_sources

    many_sources(210)  # two chunks of the export (EXPORT_BATCH = 200)
    before = snapshot()
    data = make_backup()
    wipe()

    result = backup_restore(io.BytesIO(data))

    assert (result.created, result.updated) == (210, 0)
    assert snapshot() == before


def test_the_manifest_is_laid_out_as_one_json_dump(knowledge_base):
    # Written piece by piece, it must still read as json.dumps(manifest, indent=1) wrote it.
    text = members(make_backup())["manifest.json"].decode("utf-8")
    manifest = json.loads(text)

    assert text == json.dumps(manifest, ensure_ascii=False, indent=1)
    assert list(manifest)[-1] == "records" and len(manifest["records"]) == 8
    assert manifest["counts"]["records"] == 8


def test_a_backup_of_nothing_is_a_valid_empty_backup():
    text = members(make_backup())["manifest.json"].decode("utf-8")

    assert json.loads(text)["records"] == []
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=1)
    assert backup_restore(make_backup()).created == 0


def test_a_backup_takes_queries_by_chunk_of_sources_not_by_source():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.records.conftest import many_sources

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            make_backup()
        return len(captured)

    counts = []
    for count, start in ((1, 0), (199, 1), (1, 200), (200, 201)):
        many_sources(count, start=start)
        counts.append(queries())
    one, two_hundred, two_hundred_one, four_hundred_one = counts
    per_chunk = two_hundred_one - two_hundred
    assert one == two_hundred and per_chunk > 0  # the prefetches of one more chunk
    assert four_hundred_one == two_hundred_one + per_chunk
