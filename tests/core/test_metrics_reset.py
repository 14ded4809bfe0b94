"""`manage.py metrics_reset` empties the workers' metrics folder, and only of metrics files."""

from io import StringIO

from django.core.management import call_command


def test_it_removes_the_metrics_files_of_earlier_runs(settings, tmp_path):
    settings.METRICS_DIR = tmp_path
    for pid in (101, 102, 103):
        (tmp_path / f"histogram_{pid}.db").write_bytes(b"\0" * 16)
    (tmp_path / "README").write_text("not ours to delete")
    out = StringIO()

    call_command("metrics_reset", stdout=out)

    assert sorted(path.name for path in tmp_path.iterdir()) == ["README"]
    assert out.getvalue().startswith("Removed 3 metrics files from ")
