from benchmarks.export_memory import _arguments, report


def test_the_report_gives_each_export_and_the_ratio_largest_to_smallest(capsys):
    rows = [
        {"sources": 500, "csv_theme": {"traced_mb": 7.0, "rss_mb": 0.0}},
        {"sources": 8000, "csv_theme": {"traced_mb": 14.0, "rss_mb": 3.0}},
    ]

    report(rows)

    lines = capsys.readouterr().out.splitlines()
    assert "csv_theme" in lines[2]
    assert lines[-1].split()[:2] == ["ratio", "16x"]
    # 14.0 / 7.0; RSS growth from 0 is measured against 0.1 MB, not divided by zero
    assert lines[-1].split()[2:] == ["2.0", "/", "30.0"]


def test_the_default_sizes_are_500_2000_8000_on_sqlite():
    args = _arguments([])

    assert (args.sizes, args.database, args.no_rss, args.restore) == (
        "500,2000,8000",
        None,
        False,
        False,
    )
