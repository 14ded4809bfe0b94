"""The classification result: one schema for every classifier, mirroring the Markdown record.

`normalise(raw)` is the way in: it cleans and cuts whatever a classifier produced to the
limits in `limits.py` and raises `ClassificationError` (with the field named) when it cannot.
`ClassificationResult.model_json_schema()` is the schema to hand a language model.

Confidences (`confidence` on each finding, `category_confidence`, `theme_confidence`) are
left out of that schema: a model's own figure is not calibrated, and a dict keyed by theme
name does not fit strict structured output. A classifier that does not give them gets
`DEFAULT_CONFIDENCE`. A finding's own `themes` are asked for, like the record's.
"""

import math
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from . import limits
from .cleaning import clean_label, clean_prose, name_key


class ClassificationError(ValueError):
    """A result that cannot be made to fit the schema; the message names the fields."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]


# What a classifier gives when it has no better figure, and what a missing one becomes.
DEFAULT_CONFIDENCE = 0.5
# Filled by the classifier's code, never asked of a language model (see the module's doc).
MACHINE_ONLY = frozenset({"confidence", "category_confidence", "theme_confidence"})


def _strict_schema(schema: dict[str, Any]) -> None:
    """Strict structured output: every property required, no others, no defaults or titles."""
    for name in MACHINE_ONLY:
        schema.get("properties", {}).pop(name, None)
    schema["required"] = list(schema.get("properties", {}))
    schema["additionalProperties"] = False
    schema.pop("title", None)
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)
        prop.pop("title", None)


_MODEL_CONFIG = ConfigDict(extra="ignore", json_schema_extra=_strict_schema)


def _label(limit: int):
    def clean(value: str) -> str:
        return clean_label(value, limit)

    return AfterValidator(clean)


def _prose(limit: int):
    def clean(value: str) -> str:
        return clean_prose(value, limit)

    return AfterValidator(clean)


def _relevancy(value: Any) -> int:
    """Whole numbers are clamped to 1..5, fractions rounded half up; anything else is refused."""
    number = value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if isinstance(number, bool) or not isinstance(number, int | float) or not math.isfinite(number):
        raise ValueError(
            f"relevancy must be a number from {limits.RELEVANCY_MIN} to {limits.RELEVANCY_MAX},"
            f" found {value!r}"
        )
    whole = math.floor(number + 0.5)
    return min(limits.RELEVANCY_MAX, max(limits.RELEVANCY_MIN, whole))


def _confidence(value: Any) -> float:
    """A figure from 0 to 1, clamped; none is the default; anything else is refused."""
    if value is None:
        return DEFAULT_CONFIDENCE
    number = value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if isinstance(number, bool) or not isinstance(number, int | float) or not math.isfinite(number):
        raise ValueError(f"confidence must be a number from 0 to 1, found {value!r}")
    return min(1.0, max(0.0, float(number)))


def _confidences(value: Any) -> dict[str, float]:
    """Theme name -> confidence; names are cleaned like labels, bad figures refused."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"expected an object of theme names and numbers, found {value!r}")
    kept: dict[str, float] = {}
    for name, figure in value.items():
        label = clean_label(str(name), limits.MAX_LABEL)
        if label:
            kept[label] = _confidence(figure)
    return kept


def _none_is_empty(value: Any) -> Any:
    return [] if value is None else value


def _unique_labels(limit: int):
    """Drop empty and case-insensitively repeated labels (the first kept), then cut the list."""

    def clean(values: list[str]) -> list[str]:
        kept: dict[str, str] = {}
        for value in values:
            key = name_key(value)
            if key and key not in kept:
                kept[key] = value
        return list(kept.values())[:limit]

    return AfterValidator(clean)


def _unique_findings(values: list[Any]) -> list[Any]:
    kept: dict[str, Any] = {}
    for finding in values:
        key = name_key(finding.name)
        if key and key not in kept:
            kept[key] = finding
    return list(kept.values())[: limits.MAX_FINDINGS]


Name = Annotated[str, _label(limits.MAX_NAME)]
Description = Annotated[str, _prose(limits.MAX_DESCRIPTION)]
Relevancy = Annotated[
    int,
    BeforeValidator(_relevancy),
    Field(description=f"{limits.RELEVANCY_MIN} (marginal) to {limits.RELEVANCY_MAX} (central)"),
]
Label = Annotated[str, _label(limits.MAX_LABEL)]
Confidence = Annotated[
    float,
    BeforeValidator(_confidence),
    Field(DEFAULT_CONFIDENCE, description="0 (a guess) to 1 (certain)"),
]


def _labels(limit: int, description: str = "") -> Any:
    return Annotated[
        list[Label],
        BeforeValidator(_none_is_empty),
        _unique_labels(limit),
        Field(default_factory=list, description=description or f"at most {limit}, distinct"),
    ]


FindingThemes = _labels(
    limits.MAX_FINDING_THEMES,
    "the themes (from the themes given) this finding itself is about, narrower than the"
    f" page's; at most {limits.MAX_FINDING_THEMES}",
)


class Finding(BaseModel):
    """A behavior, technology or issue the page gives evidence of."""

    model_config = _MODEL_CONFIG

    name: Name = Field(description=f"a short name, at most {limits.MAX_NAME} characters")
    description: Description = Field("", description="one or two sentences")
    relevancy: Relevancy
    themes: FindingThemes
    confidence: Confidence


class Signal(BaseModel):
    """A change under way that the page gives evidence of."""

    model_config = _MODEL_CONFIG

    name: Name = Field(description=f"a short name, at most {limits.MAX_NAME} characters")
    description: Description = Field("", description="one or two sentences")
    change: Description = Field("", description="what changes: from what to what; empty if unknown")
    ten_year: Description = Field(
        "", description="where it may lead in ten years; empty if unknown"
    )
    driving_force: Description = Field("", description="what drives the change; empty if unknown")
    relevancy: Relevancy
    themes: FindingThemes
    confidence: Confidence


def _findings(model: type[BaseModel]) -> Any:
    return Annotated[
        list[model],
        BeforeValidator(_none_is_empty),
        AfterValidator(_unique_findings),
        Field(default_factory=list, description=f"at most {limits.MAX_FINDINGS}"),
    ]


class ClassificationResult(BaseModel):
    """One page as a horizon-scanning record (see docs/record-format.md)."""

    model_config = _MODEL_CONFIG

    summary: Annotated[str, _prose(limits.MAX_SUMMARY)] = Field(
        description="a few sentences on what the page says"
    )
    keywords: _labels(limits.MAX_KEYWORDS)
    themes: _labels(limits.MAX_THEMES)
    category: Annotated[str, _label(limits.MAX_VOCABULARY_NAME)] = Field(
        description="one of the category names given"
    )
    type: Annotated[str, _label(limits.MAX_VOCABULARY_NAME)] = Field(
        description="one of the type names given"
    )
    signals: _findings(Signal)
    behaviors: _findings(Finding)
    technologies: _findings(Finding)
    issues: _findings(Finding)
    category_confidence: Confidence
    theme_confidence: Annotated[dict[str, float], BeforeValidator(_confidences)] = Field(
        default_factory=dict, description="theme name -> 0 to 1"
    )

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The JSON schema with the nested models inlined (some providers refuse `$ref`)."""
        schema = super().model_json_schema(*args, **kwargs)
        definitions = schema.pop("$defs", {})
        return _inline(schema, definitions)


def _inline(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline(definitions[node["$ref"].rsplit("/", 1)[-1]], definitions)
        return {key: _inline(value, definitions) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(value, definitions) for value in node]
    return node


def normalise(raw: Any) -> ClassificationResult:
    """Clean `raw` (a dict, e.g. parsed model output) to the limits, or raise ClassificationError.

    Cut silently: over-long lists and strings, duplicates, empty and leaked names, relevancy
    outside 1..5. Refused, naming the field: a missing summary, category or type, a value of
    the wrong type, a relevancy that is not a number.
    """
    if not isinstance(raw, dict):
        raise ClassificationError(f"expected a JSON object, found {type(raw).__name__}")
    try:
        return ClassificationResult.model_validate(raw)
    except ValidationError as error:
        problems = [_describe(detail) for detail in error.errors()]
        raise ClassificationError(
            "the result does not fit the schema: " + "; ".join(problems), problems
        ) from None


def _describe(detail: dict[str, Any]) -> str:
    where = ""
    for part in detail["loc"]:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    message = detail["msg"].removeprefix("Value error, ")
    if detail["type"] == "missing":
        message = "missing"
    elif detail["type"] == "string_type":
        message = f"expected text, found {detail.get('input')!r}"
    return f"{where or 'result'}: {message}"
