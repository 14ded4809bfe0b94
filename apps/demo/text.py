"""Names and texts for demo data, built from apps/demo/words.py with a seeded random source."""

import random

from apps.demo import words
from apps.knowledge.vocabulary import name_key

THEME_CAPACITY = (len(words.MODIFIERS) + len(words.THEME_PATTERNS)) * len(words.DOMAINS)


class Writer:
    """Every text of the demo base comes from one seeded generator, so a seed fixes them all."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.choice = rng.choice

    # Vocabularies --------------------------------------------------------------------

    def theme_names(self, count: int) -> list[tuple[str, str]]:
        """`count` distinct theme names with an alias each ("" when none), in random order."""
        candidates = [(f"{m} {d}", m) for m in words.MODIFIERS for d in words.DOMAINS]
        candidates += [(p.format(d=d), "") for p in words.THEME_PATTERNS for d in words.DOMAINS]
        if count > len(candidates):
            raise ValueError(f"at most {len(candidates):,} themes can be generated")
        picked = self.rng.sample(candidates, count)
        names = {name_key(name) for name, _ in picked}
        result = []
        for name, modifier in picked:
            variant = words.MODIFIER_VARIANTS.get(modifier)
            alias = name.replace(modifier, variant, 1) if variant else ""
            if alias and name_key(alias) in names:
                alias = ""
            if alias:
                names.add(name_key(alias))
            result.append((name[0].upper() + name[1:], alias))
        return result

    def keyword_names(self, count: int) -> list[str]:
        """Up to `count` keywords with distinct keys: objects, domains, modifier + domain."""
        pool = [*words.OBJECTS, *words.DOMAINS]
        pool += [f"{m} {d}" for m in words.MODIFIERS for d in words.DOMAINS]
        unique = {name_key(name): name for name in reversed(pool)}
        return list(reversed(unique.values()))[:count]

    # Sources -------------------------------------------------------------------------

    def title(self) -> str:
        c = self.choice
        form = self.rng.random()
        if form < 0.4:
            text = f"{c(words.ACTORS)} {c(words.VERBS)} {c(words.OBJECTS)}"
        elif form < 0.7:
            text = f"{c(words.OBJECTS)}: {c(words.CLAIMS)}"
        else:
            text = f"why {c(words.ACTORS)} {c(words.VERBS)} {c(words.OBJECTS)}"
        return text[0].upper() + text[1:]

    def sentence(self) -> str:
        c = self.choice
        if self.rng.random() < 0.6:
            text = (
                f"{c(words.OPENERS)} {c(words.ACTORS)} {c(words.VERBS)} "
                f"{c(words.OBJECTS)} {c(words.QUALIFIERS)}."
            )
        else:
            text = f"{c(words.CONSEQUENCES)} {c(words.DOMAINS)}, as {c(words.CLAIMS)}."
        return text[0].upper() + text[1:]

    def sentences(self, low: int, high: int) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def body(self) -> str:
        """Extracted text of a few KB: paragraphs of sentences."""
        paragraphs = self.rng.randint(5, 10)
        return "\n\n".join(self.sentences(4, 7) for _ in range(paragraphs))

    def author(self) -> str:
        return f"{self.choice(words.FIRST_NAMES)} {self.choice(words.LAST_NAMES)}"

    # Findings ------------------------------------------------------------------------

    def finding_name(self) -> str:
        c = self.choice
        if self.rng.random() < 0.6:
            text = f"{c(words.FINDING_HEADS)} {c(words.OBJECTS)}"
        else:
            text = f"{c(words.MODIFIERS)} {c(words.DOMAINS)}"
        return text[0].upper() + text[1:]

    def change(self) -> str:
        c = self.choice
        return f"From {c(words.OBJECTS)} as a niche to {c(words.OBJECTS)} as a default choice."

    def ten_year(self) -> str:
        c = self.choice
        text = f"{c(words.ACTORS)} {c(words.VERBS)} {c(words.OBJECTS)} as {c(words.CLAIMS)}."
        return text[0].upper() + text[1:]

    def driving_force(self) -> str:
        first, second = self.rng.sample(words.DRIVERS, 2)
        return f"{first[0].upper()}{first[1:]} and {second}."
