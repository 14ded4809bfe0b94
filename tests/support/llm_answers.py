"""A sample answer of the `llm` classifier, shared by the classifier and pipeline tests.

The page it answers for: three harbour towns store tidal energy in community batteries.
"""

import json

from apps.classification.schema import DEFAULT_CONFIDENCE

HARBOUR_RECORD = {
    "summary": "Three harbour towns store tidal energy in batteries owned by a cooperative.",
    "keywords": ["tidal batteries", "harbour towns", "cooperative"],
    "themes": ["energy", "cooperatives", "coastal towns"],
    "category": "technology",
    "type": "news",
    "signals": [
        {
            "name": "Community-owned energy storage",
            "description": "Towns pool money to own batteries.",
            "change": "From utility storage to cooperative storage.",
            "ten_year": "Most harbour towns own their storage.",
            "driving_force": "Cheaper power for members.",
            "relevancy": 5,
            "themes": ["energy", "cooperatives"],
        }
    ],
    "behaviors": [
        {
            "name": "Buying shares in local power",
            "description": "Members invest.",
            "relevancy": 4,
            "themes": [],
        }
    ],
    "technologies": [
        {
            "name": "Tidal batteries",
            "description": "Batteries charged by tides.",
            "relevancy": 5,
            "themes": ["energy"],
        }
    ],
    "issues": [
        {
            "name": "Maintenance in salt water",
            "description": "Costly upkeep.",
            "relevancy": 3,
            "themes": [],
        }
    ],
}
# The answer a model gives holds no confidences (they are not asked of it, see
# apps/classification/schema.py); the stored result has them at their default.
HARBOUR_ANSWER = json.dumps(HARBOUR_RECORD)
for _kind in ("signals", "behaviors", "technologies", "issues"):
    for _finding in HARBOUR_RECORD[_kind]:
        _finding["confidence"] = DEFAULT_CONFIDENCE
HARBOUR_RECORD.update(category_confidence=DEFAULT_CONFIDENCE, theme_confidence={})
