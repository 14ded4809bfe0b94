import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.sources.models import Source
from tests.records.conftest import FIXTURES, SEED

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def mixed_folder(tmp_path):
    folder = tmp_path / "records"
    shutil.copytree(FIXTURES / "variants", folder / "good")
    shutil.copy(FIXTURES / "bad" / "cell_count.md", folder / "broken.md")
    (folder / "nested").mkdir()
    (folder / "nested" / "crlf.txt").write_bytes(SEED.read_bytes().replace(b"\n", b"\r\n"))
    (folder / "picture.png").write_bytes(b"\x89PNG")
    return folder


def test_a_folder_imports_the_good_files_and_names_the_bad_one(mixed_folder):
    err = StringIO()
    with pytest.raises(CommandError, match="7 created, 0 updated, 0 unchanged; 1 failed"):
        call_command("import_markdown", str(mixed_folder), stdout=StringIO(), stderr=err)

    assert f"{mixed_folder / 'broken.md'}:10: expected 3 cells" in err.getvalue()
    assert Source.objects.count() == 7
    assert not Source.objects.filter(canonical_url__contains="broken-row").exists()


def test_a_missing_path_is_reported_and_the_rest_imported(tmp_path):
    with pytest.raises(CommandError, match=r"1 created.*1 failed"):
        call_command("import_markdown", str(SEED), str(tmp_path / "nope"), stdout=StringIO(),
                     stderr=StringIO())  # fmt: skip

    assert Source.objects.count() == 1


def test_import_reports_created_then_unchanged():
    out, _ = run("import_markdown", str(SEED))
    again, _ = run("import_markdown", str(SEED))

    assert "created" in out
    assert "1 created, 0 updated, 0 unchanged" in out
    assert "0 created, 0 updated, 1 unchanged" in again


def test_export_prints_one_record_as_it_was_imported():
    run("import_markdown", str(SEED))
    source = Source.objects.get()

    out, _ = run("export_markdown", str(source.pk))

    assert out == SEED.read_text().rstrip("\n") + "\n"


def test_export_all_then_reimport_gives_the_same_text(tmp_path):
    run("import_markdown", str(FIXTURES / "variants"), str(SEED))
    run("export_markdown", "--all", "--out", str(tmp_path / "first"))
    Source.objects.all().delete()

    run("import_markdown", str(tmp_path / "first"))
    run("export_markdown", "--all", "--out", str(tmp_path / "second"))

    first = sorted(path.read_text() for path in (tmp_path / "first").iterdir())
    second = sorted(path.read_text() for path in (tmp_path / "second").iterdir())
    assert len(first) == 7
    assert first == second


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("export_markdown", "999"), "There is no source #999."),
        (("export_markdown",), "Give either a SOURCE_ID, --all --out DIR or --zip FILE."),
        (("export_markdown", "--all"), "--all needs --out DIR"),
    ],
)
def test_export_explains_what_is_wrong(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_export_zip_then_import_zip_restores_the_base(knowledge_base, tmp_path):
    from tests.records.conftest import snapshot, wipe

    before = snapshot()
    backup = tmp_path / "spyglass.zip"
    out, _ = run("export_markdown", "--zip", str(backup))
    wipe()

    restored, _ = run("import_markdown", str(backup))

    assert "Wrote 8 records" in out and str(backup) in out
    assert not (tmp_path / "spyglass.zip.partial").exists()
    assert "backup restored (8 created, 0 reset to the backup" in restored
    assert restored.splitlines()[-1] == "1 of 1 backup restored"
    assert snapshot() == before


def test_a_bad_backup_zip_fails_the_command_and_writes_nothing(tmp_path):
    backup = tmp_path / "broken.zip"
    backup.write_bytes(b"not a zip at all")
    err = StringIO()

    with pytest.raises(
        CommandError, match="1 created, 0 updated, 0 unchanged, 0 of 1 backup restored; 1 failed"
    ):
        call_command("import_markdown", str(backup), str(SEED), stdout=StringIO(), stderr=err)

    assert "broken.zip: nothing restored: this is not a Spyglass backup" in err.getvalue()
    assert Source.objects.count() == 1  # the seed file beside it was imported


def test_export_refuses_mixed_choices(tmp_path):
    with pytest.raises(CommandError, match="either a SOURCE_ID, --all --out DIR or --zip FILE"):
        run("export_markdown", "--all", "--zip", str(tmp_path / "x.zip"))


def test_a_record_with_an_unreadable_link_fails_alone_and_the_run_goes_on(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    text = SEED.read_text()
    broken = text.replace("https://simonwillison.net/2023/May/4/no-moat/", "http://[::1")
    (folder / "a-broken.md").write_text(broken)
    (folder / "b-seed.md").write_text(text)
    err = StringIO()

    with pytest.raises(CommandError, match="1 created, 0 updated, 0 unchanged; 1 failed"):
        call_command("import_markdown", str(folder), stdout=StringIO(), stderr=err)

    assert "a-broken.md" in err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert Source.objects.count() == 1
