"""The placement geometry: slots that never overlap, spread evenly, the same every time."""

import itertools
import math

from apps.radar.layout import BLIP_RADIUS, PAD, RING_EDGES, slots, spread


def test_every_slot_of_the_radar_is_apart_from_every_other():
    every = [slot for q in range(4) for ring in range(4) for slot in slots(q, ring)]
    for a, b in itertools.combinations(every, 2):
        assert math.dist((a.x, a.y), (b.x, b.y)) >= 2 * BLIP_RADIUS


def test_slots_stay_inside_their_ring_and_off_the_axes():
    for quadrant, ring in itertools.product(range(4), range(4)):
        for slot in slots(quadrant, ring):
            radius = math.hypot(slot.x, slot.y)
            assert RING_EDGES[ring] + BLIP_RADIUS <= radius <= RING_EDGES[ring + 1] - BLIP_RADIUS
            assert min(abs(slot.x), abs(slot.y)) >= PAD - 1 or len(slots(quadrant, ring)) == 1


def test_spread_gives_distinct_indexes_and_centres_a_lone_item():
    assert spread(1, 14) == [7]
    for capacity in range(1, 40):
        for count in range(1, capacity + 1):
            indexes = spread(count, capacity)
            assert len(set(indexes)) == count and max(indexes) < capacity
