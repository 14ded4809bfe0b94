"""Extraction of a pathological page: time and peak memory, pruned versus trafilatura alone.

A synthetic page like the one that took 1 GB: an article plus N links (181,000 by default,
about 9 MB). Each case runs in a fresh process so its peak resident memory (ru_maxrss) is
its own; the baseline is trafilatura on the whole markup, as Spyglass did before
pipeline/prune.py. Reports, never fails.

    .venv/bin/python benchmarks/extract_memory.py [--links N]
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASE = r"""
import json, resource, sys, time
import django
django.setup()
import trafilatura
from apps.sources.pipeline.extract import extract_html

links = "".join(f'<li><a href="/p/{n}">Link number {n}</a></li>' for n in range(LINKS))
article = "<article><h1>Tidal batteries</h1>" + "".join(
    f"<p>Harbour town {n} installs tidal batteries; {n + 2} more are planned.</p>"
    for n in range(30)
) + "</article>"
markup = f"<html><head><title>Big</title></head><body>{article}<ul>{links}</ul></body></html>"
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
if sys.argv[1] == "pruned":
    text = extract_html(markup, url="https://example.org/big").text
else:
    text = trafilatura.bare_extraction(markup, url="https://example.org/big").text or ""
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "before_mb": before / 1024,
    "markup_mb": len(markup) / 1e6,
    "text_chars": len(text),
}))
"""


def run(case: str, links: int) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    done = subprocess.run(
        [sys.executable, "-c", CASE.replace("LINKS", str(links)), case],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=181_000)
    links = parser.parse_args().links
    baseline, pruned = run("baseline", links), run("pruned", links)
    print(f"page: {pruned['markup_mb']:.1f} MB with {links:,} links")
    print(f"{'case':<28}{'seconds':>10}{'peak MB':>10}{'text':>8}")
    for name, case in (("trafilatura alone (before)", baseline), ("pruned first (now)", pruned)):
        print(f"{name:<28}{case['seconds']:>10.1f}{case['peak_mb']:>10.0f}{case['text_chars']:>8}")
    print(
        f"ratio now/before: time {pruned['seconds'] / baseline['seconds']:.3f}, "
        f"peak memory {pruned['peak_mb'] / baseline['peak_mb']:.2f} "
        f"(the process starts at about {pruned['before_mb']:.0f} MB)"
    )


if __name__ == "__main__":
    main()
