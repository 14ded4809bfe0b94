"""Value types shared by the API's schemas: bounded ids and text a database can store."""

from typing import Annotated

from ninja import Field, Path
from pydantic import AfterValidator

# Bounded so a huge number is a 422, not a database overflow.
MAX_ID = 2**53


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=0, le=2**31 - 1, description="the version you last read")]
Text = Annotated[str, AfterValidator(_storable)]


def text(max_length: int | None = None, min_length: int = 0, **kwargs):
    """A str field type with length bounds that rejects what the database could not store."""
    return Annotated[
        str,
        Field(min_length=min_length, max_length=max_length, **kwargs),
        AfterValidator(_storable),
    ]
