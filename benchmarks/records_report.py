"""The records benchmark's targets, printed table, and before/after comparison."""

# (key, label, how to compare, target); None as target: reported, no target.
MEASURES = (
    ("theme_precision", "theme precision", None, None),
    ("theme_recall", "theme recall", None, None),
    ("category_accuracy", "category accuracy", None, None),
    ("signal_recall", "gold signal recall (signals)", None, None),
    ("signal_recall_any_finding", "gold signal recall (any finding)", None, None),
    ("junk_rate", "junk names (all findings)", "<=", 0.02),
    ("copied_rate", "copied fields (signals)", "<=", 0.0),
    ("pages_with_theme", "pages with a theme", ">=", 0.90),
    ("pages_with_signal", "pages with a signal", ">=", 0.70),
    ("multiword_signal_rate", "multi-word signal names", ">=", 0.80),
    ("pages_per_second_cpu", "pages/s per process (CPU)", ">=", 10.0),
    ("pages_per_second_wall", "pages/s per process (wall)", None, None),
    ("themes_per_page", "themes per page", None, None),
    ("themes_approved_share", "share of themes approved", None, None),
    ("signals_per_page", "signals per page", None, None),
)


def verdict(value, how: str | None, target) -> str:
    if how is None or value is None:
        return ""
    passed = value <= target if how == "<=" else value >= target
    return "PASS" if passed else "MISS"


def targets(figures: dict) -> dict[str, bool]:
    return {
        key: verdict(figures.get(key), how, target) == "PASS"
        for key, _, how, target in MEASURES
        if how is not None
    }


# Figures that are not shares of 1 (printed with one decimal).
_COUNTS = {"pages_per_second_cpu", "pages_per_second_wall", "themes_per_page", "signals_per_page"}


def _fmt(value, key: str = "") -> str:
    if value is None:
        return "-"
    return f"{value:.1f}" if key in _COUNTS else f"{value:.3f}"


def _target(how, target) -> str:
    return f"{how} {target:g}" if how else "report"


def print_table(name: str, figures: dict) -> None:
    print(f"\n{name}: {figures['pages']} pages")
    print(f"  {'measure':34} {'value':>9}  {'target':>8}")
    for key, label, how, target in MEASURES:
        value = figures.get(key)
        mark = verdict(value, how, target)
        print(f"  {label:34} {_fmt(value, key):>9}  {_target(how, target):>8}  {mark}")
    by_kind = ", ".join(f"{k} {_fmt(v)}" for k, v in figures["junk_rate_by_kind"].items())
    print(f"  junk by kind: {by_kind}")
    print(f"  findings: {figures['findings']}")
    if figures.get("failures"):
        print(f"  failed pages: {figures['failures']} (counted as empty records)")


def print_comparison(name: str, before: dict, after: dict) -> None:
    """Before/after columns and after/before ratios for one classifier."""
    print(f"\n{name}: before ({before['pages']} pages) / after ({after['pages']} pages)")
    print(f"  {'measure':34} {'before':>9} {'after':>9} {'ratio':>7}  {'target':>8}")
    for key, label, how, target in MEASURES:
        old, new = before.get(key), after.get(key)
        ratio = f"{new / old:.2f}" if old and new is not None else "-"
        columns = f"{_fmt(old, key):>9} {_fmt(new, key):>9} {ratio:>7}"
        print(f"  {label:34} {columns}  {_target(how, target):>8}  {verdict(new, how, target)}")


def print_details(scores) -> None:
    """Per page: gold signals found and missed, junk names, copied signals."""
    for score in scores:
        category = score.category_predicted or "-"
        print(f"\n  [{score.key[:12]}] category {category} (gold {score.category_gold})")
        for gold_name, found in score.matched:
            print(f"    found   {gold_name!r} <- {found!r}")
        for gold_name in score.missed:
            print(f"    missed  {gold_name!r}")
        for kind, name, reason in score.junk_names:
            print(f"    junk    {kind}: {name!r} ({reason})")
        for name in score.copied_names:
            print(f"    copied  {name!r}")
