"""/radar/ and its downloads: the same radar as a page, an SVG file, BYOR's CSV and JSON."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from apps.accounts.access import read_access
from apps.knowledge.models import Theme
from apps.radar import exports, rules
from apps.radar.forms import RadarFilterForm
from apps.radar.layout import BLIP_RADIUS, RING_EDGES, SIZE
from apps.radar.selectors import MAX_ITEMS, Radar, radar


def _radar(request: HttpRequest) -> tuple[RadarFilterForm, Radar]:
    form = RadarFilterForm(request.GET)
    form.is_valid()
    cleaned = form.applied()
    found = radar(
        themes=cleaned["theme"], period=cleaned.get("period", ""), as_of=timezone.localdate()
    )
    return form, found


def _drawing(found: Radar, *, standalone: bool = False) -> dict:
    """What the SVG template needs, for the page and the download alike."""
    rings = [
        {
            "name": ring,
            "inner": RING_EDGES[i],
            "outer": RING_EDGES[i + 1],
            "label_x": (RING_EDGES[i] + RING_EDGES[i + 1]) / 2,
        }
        for i, ring in enumerate(rules.RINGS)
    ]
    return {
        "radar": found,
        "rings": rings,
        "size": SIZE,
        "blip": BLIP_RADIUS,
        "standalone": standalone,
        "corners": _corners(found.quadrants),
    }


def _corners(quadrants: list[str]) -> list[dict]:
    """Where each quadrant's name goes: top right, top left, bottom left, bottom right."""
    places = [
        (SIZE + 20, -SIZE - 8, "end"),
        (-SIZE - 20, -SIZE - 8, "start"),
        (-SIZE - 20, SIZE + 22, "start"),
        (SIZE + 20, SIZE + 22, "end"),
    ]
    return [
        {"name": name, "x": x, "y": y, "anchor": anchor}
        for name, (x, y, anchor) in zip(quadrants, places, strict=False)
    ]


def _file(body: str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@read_access
def index(request: HttpRequest) -> HttpResponse:
    """The radar drawn, its rule, its legend, its items as a table and its downloads."""
    form, found = _radar(request)
    chosen = [theme.slug for theme in form.applied()["theme"]]
    themes = Theme.objects.filter(status=Theme.Status.APPROVED).only("name", "slug")
    context = {
        **_drawing(found),
        "form": form,
        "problems": [f"{form.fields[n].label}: {e[0]}" for n, e in form.errors.items()],
        "chosen": chosen,
        "themes": sorted(themes, key=lambda theme: theme.slug not in chosen),
        "query": request.GET.urlencode(),
        "rules": rules,
        "max_items": MAX_ITEMS,
    }
    return render(request, "radar/index.html", context)


@read_access
def download_svg(request: HttpRequest) -> HttpResponse:
    """The radar as a standalone SVG file (its styles inside: it is a file, not a page)."""
    _, found = _radar(request)
    body = render_to_string("radar/_radar.svg", _drawing(found, standalone=True), request)
    return _file(body, "image/svg+xml; charset=utf-8", "spyglass-radar.svg")


@read_access
def download_csv(request: HttpRequest) -> HttpResponse:
    """The radar as Build Your Own Radar's CSV."""
    _, found = _radar(request)
    return _file(exports.byor_csv(found), "text/csv; charset=utf-8", "spyglass-radar.csv")


@read_access
def download_json(request: HttpRequest) -> HttpResponse:
    """The radar as Build Your Own Radar's JSON."""
    _, found = _radar(request)
    return _file(exports.byor_json(found), "application/json", "spyglass-radar.json")
