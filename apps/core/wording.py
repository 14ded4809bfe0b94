"""Cutting names to a length without leaving them dangling. Plain Python, no Django: the
classification package (which must not need Django) uses it as well as the knowledge app."""

# Words a shortened name must not end on: "implications of the" names nothing.
DANGLING = frozenset(
    "a an and at by for from in into of on or the to with without versus vs".split()
)


def shorten(name: str, limit: int) -> str:
    """`name` cut to `limit` characters at a word boundary, without a dangling "of the".

    Cuts mid-word only when no word boundary lies in the second half of the limit (one very
    long word), so a cut never throws most of the name away.
    """
    if len(name) <= limit:
        return name
    head = name[: limit + 1]
    space = head.rfind(" ")
    if space <= limit // 2:
        return name[:limit].rstrip()
    words = head[:space].rstrip(" ,;:-").split(" ")
    while len(words) > 1 and words[-1].casefold().strip(",;:-") in DANGLING:
        words.pop()
    return " ".join(words).rstrip(" ,;:-")
