"""Deterministic, overlap-free placement of numbered blips in ring-and-quadrant segments.

Each segment (a quarter of a ring) holds fixed slots: points on arcs RADIAL_STEP apart,
SPACING apart along each arc, PAD away from the axes, so two blips (BLIP_RADIUS) never touch
whatever the data. A segment's items take slots spread evenly over it, in their numbered
order; an item that finds no slot left is listed but not drawn (`x` stays None).
"""

import math
from dataclasses import dataclass

SIZE = 400  # the radius of the outer ring, in viewBox units
RING_EDGES = (0, 150, 250, 330, 400)  # adopt, trial, assess, hold
BLIP_RADIUS = 11
SPACING = 26  # between blip centres: a diameter (22) and a gap
RADIAL_STEP = 26
PAD = 24  # from an axis to a blip centre: room for the ring labels on the axis
FIRST_ARC = 40  # the innermost arc (nearer the centre the arcs are too short)
# Quadrant -> (start angle, end angle) in radians, SVG's y axis pointing down.
ANGLES = (
    (-math.pi / 2, 0.0),  # top right
    (-math.pi, -math.pi / 2),  # top left
    (math.pi / 2, math.pi),  # bottom left
    (0.0, math.pi / 2),  # bottom right
)


@dataclass(frozen=True)
class Slot:
    x: float
    y: float


def slots(quadrant: int, ring: int) -> list[Slot]:
    """Every free position in one segment, inner arcs first, each arc in angle order."""
    inner, outer = RING_EDGES[ring], RING_EDGES[ring + 1]
    start, end = ANGLES[quadrant]
    found = []
    radius = max(inner + BLIP_RADIUS + 5, FIRST_ARC)
    while radius <= outer - BLIP_RADIUS - 2:
        usable = radius * (end - start) - 2 * PAD
        if usable >= 0:
            count = int(usable // SPACING) + 1
            first = start + PAD / radius
            step = (usable / radius) / (count - 1) if count > 1 else 0
            if count == 1:
                first = (start + end) / 2
            for k in range(count):
                angle = first + k * step
                found.append(
                    Slot(round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1))
                )
        radius += RADIAL_STEP
    return found


def spread(count: int, capacity: int) -> list[int]:
    """`count` distinct slot indexes spread evenly over `capacity` slots (count <= capacity),
    each in the middle of its share: a lone item sits mid-segment, not on the inner edge."""
    return [(2 * i + 1) * capacity // (2 * count) for i in range(count)]


def place(items: list, ring_index: dict[str, int]) -> None:
    """Set `x`, `y` on each item (with `quadrant` and `ring`), segment by segment."""
    segments: dict[tuple[int, int], list] = {}
    for item in items:
        segments.setdefault((item.quadrant, ring_index[item.ring]), []).append(item)
    for (quadrant, ring), members in segments.items():
        free = slots(quadrant, ring)
        drawn = members[: len(free)]
        for item, index in zip(drawn, spread(len(drawn), len(free)), strict=True):
            item.x, item.y = free[index].x, free[index].y
