"""Every limit a classification result is held to, in one place.

Whatever a classifier returns (the local heuristics or a language model), `schema.normalise`
cuts it down to these before anything is stored. docs/classification.md explains each one.
"""

# How many items each list keeps (after empty and duplicate items are dropped).
MAX_KEYWORDS = 12
MAX_THEMES = 8
MAX_FINDING_THEMES = 4  # a finding's own themes
MAX_FINDINGS = 10  # per list: signals, behaviors, technologies, issues

# Lengths in characters, after whitespace is collapsed.
MAX_LABEL = 60  # a keyword or a theme
MAX_VOCABULARY_NAME = 60  # the category and the type
MAX_NAME = 120  # the name of a finding
MAX_DESCRIPTION = 600  # a finding's description, and a signal's change, 10-year, driving force
MAX_SUMMARY = 2000

# A label (keyword, theme, category, type, finding name) longer than this many times its limit
# is prose where a short name belongs, typically a model copying its instructions or the page
# into the field: it is dropped rather than cut to a misleading fragment.
PROSE_FACTOR = 2

RELEVANCY_MIN = 1
RELEVANCY_MAX = 5

# Words and marks that never belong in a short name but often appear when a model leaks its
# prompt, its output format or its own voice into one. Matched case-insensitively; the words
# as whole words, the marks anywhere.
LEAK_MARKS = ("{", "}", "<", ">", "[", "]", "`")
LEAK_PHRASES = (
    "ignore previous",
    "ignore all",
    "ignore the above",
    "disregard",
    "as an ai",
    "as a language model",
    "i cannot",
    "i can't",
    "i'm sorry",
    "i am sorry",
    "system prompt",
    "instructions",
    "json",
    "schema",
    "assistant:",
    "system:",
    "user:",
)
