"""The radar as Build Your Own Radar (Thoughtworks) reads it: CSV and JSON.

BYOR wants the columns `name,ring,quadrant,isNew,description`, rings in lower case, isNew as
the text TRUE or FALSE (its JSON too: it reads the value as text), and draws the rings in the
order they first appear, so rows go adopt, trial, assess, hold. Descriptions are plain text
(BYOR sanitises HTML; ours holds none). A CSV cell that a spreadsheet would run as a formula
starts with an apostrophe, as in every CSV Spyglass writes.
"""

import csv
import io
import json

from apps.radar.rules import RINGS
from apps.radar.selectors import Item, Radar
from apps.records.findings_export import safe_cell

COLUMNS = ("name", "ring", "quadrant", "isNew", "description")


def rows(radar: Radar) -> list[dict[str, str]]:
    """One row per item, adopt first, as BYOR orders its rings."""
    order = {ring: index for index, ring in enumerate(RINGS)}
    items = sorted(radar.items, key=lambda item: (order[item.ring], item.number))
    return [_row(item, radar.quadrants) for item in items]


def _row(item: Item, quadrants: list[str]) -> dict[str, str]:
    return {
        "name": item.name,
        "ring": item.ring,
        "quadrant": quadrants[item.quadrant],
        "isNew": "TRUE" if item.is_new else "FALSE",
        "description": " ".join(item.description.split()),
    }


def byor_csv(radar: Radar) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows(radar):
        writer.writerow([safe_cell(row[column]) for column in COLUMNS])
    return buffer.getvalue()


def byor_json(radar: Radar) -> str:
    return json.dumps(rows(radar), ensure_ascii=False, indent=2)
