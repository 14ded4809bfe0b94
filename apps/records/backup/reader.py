"""Opening a backup zip and checking all of it before anything is written.

The zip comes from a user (an upload or a file), so it is treated as hostile: bounded in
members and unpacked size (zip bombs), member names that could escape a folder refused
even though nothing is extracted to disk, the manifest checked against its schema, each
record's SHA-256 compared and each record parsed.
"""

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from pydantic import ValidationError

from apps.knowledge.models import FINDING_MODELS
from apps.records.backup.manifest import (
    FORMAT_VERSION,
    MANIFEST_NAME,
    Manifest,
    RecordEntry,
    manifest_problem,
)
from apps.records.backup.results import BackupError
from apps.records.backup.vocabulary import theme_slugs
from apps.records.format import Record, RecordError
from apps.records.parser import parse_record

MB = 1024 * 1024
SOURCE_EXACT = frozenset({"title", "summary"})
FINDING_EXACT = {
    kind: frozenset(model.EDITABLE_FIELDS) - {"relevancy"} for kind, model in FINDING_MODELS.items()
}


@dataclass(frozen=True)
class Limits:
    members: int = 200_000
    total_bytes: int = 2048 * MB
    manifest_bytes: int = 512 * MB
    record_bytes: int = 16 * MB


def read_backup(
    data: BinaryIO | Path | bytes, limits: Limits
) -> tuple[Manifest, dict[str, Record]]:
    """The checked manifest and every record by file name; BackupError on any problem."""
    if isinstance(data, bytes):
        data = io.BytesIO(data)
    try:
        archive = zipfile.ZipFile(data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise BackupError("this is not a Spyglass backup: the file is not a zip archive") from None
    except OSError as error:
        raise BackupError(f"cannot read the backup ({error.strerror or error})") from None
    with archive:
        members = _checked_members(archive, limits)
        manifest = _manifest(archive, members, limits)
        records = {
            entry.file: _record(archive, members, entry, limits) for entry in manifest.records
        }
    return manifest, records


def _checked_members(archive: zipfile.ZipFile, limits: Limits) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > limits.members:
        raise BackupError(
            f"the backup holds {len(infos)} files, more than the limit of {limits.members}"
        )
    total = sum(info.file_size for info in infos)
    if total > limits.total_bytes:
        raise BackupError(
            f"the backup unpacks to {total // MB} MB, more than the limit of "
            f"{limits.total_bytes // MB} MB"
        )
    members = {}
    for info in infos:
        _check_name(info.filename)
        if info.filename in members:
            raise BackupError(f"{info.filename}: the zip holds this name twice")
        if not info.is_dir():
            members[info.filename] = info
    return members


def _check_name(name: str) -> None:
    path = PurePosixPath(name)
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or ":" in name
        or path.is_absolute()
        or ".." in path.parts
    ):
        raise BackupError(f"{name!r}: refused, a file name in the backup points outside it")


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise BackupError(f"{info.filename}: larger than the limit of {limit // MB} MB")
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError) as error:
        raise BackupError(f"{info.filename}: cannot be unpacked ({error})") from None
    if len(data) > limit:
        raise BackupError(f"{info.filename}: larger than the limit of {limit // MB} MB")
    return data


def _manifest(archive, members: dict[str, zipfile.ZipInfo], limits: Limits) -> Manifest:
    if MANIFEST_NAME not in members:
        raise BackupError(f"this is not a Spyglass backup: it has no {MANIFEST_NAME}")
    raw = _read(archive, members[MANIFEST_NAME], limits.manifest_bytes)
    try:
        loaded = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BackupError(f"{MANIFEST_NAME}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise BackupError(f"{MANIFEST_NAME}:{error.lineno}: not valid JSON ({error.msg})") from None
    except RecursionError:
        # json.loads recurses once per nesting level: a hostile manifest of deeply nested
        # brackets would otherwise end the request with a 500.
        raise BackupError(f"{MANIFEST_NAME}: nested too deeply to be a Spyglass manifest") from None
    except ValueError:
        # Python refuses to convert integers of more than 4,300 digits (CVE-2020-10735).
        raise BackupError(f"{MANIFEST_NAME}: holds a number too long to read") from None
    version = loaded.get("format_version") if isinstance(loaded, dict) else None
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise BackupError(
            f"{MANIFEST_NAME}: made by a newer Spyglass (format {version}); "
            f"this one reads format {FORMAT_VERSION}"
        )
    try:
        manifest = Manifest.model_validate(loaded)
    except ValidationError as error:
        raise BackupError(f"{MANIFEST_NAME}: {manifest_problem(error)}") from None
    _check_listing(manifest, members)
    _check_references(manifest)
    return manifest


def _check_listing(manifest: Manifest, members: dict) -> None:
    listed, urls = set(), set()
    for entry in manifest.records:
        if entry.file in listed:
            raise BackupError(f"{MANIFEST_NAME}: {entry.file} is listed twice")
        if entry.canonical_url in urls:
            raise BackupError(f"{MANIFEST_NAME}: {entry.canonical_url} has two records")
        if entry.file not in members:
            raise BackupError(f"{entry.file}: listed in {MANIFEST_NAME} but missing from the zip")
        listed.add(entry.file)
        urls.add(entry.canonical_url)
    for name in members:
        if name != MANIFEST_NAME and name not in listed:
            raise BackupError(f"{name}: in the zip but not listed in {MANIFEST_NAME}")


def _check_references(manifest: Manifest) -> None:
    """Every theme a link, alias, merge or relation names is in the backup's vocabulary."""
    vocabulary = manifest.vocabulary
    known = theme_slugs(vocabulary)
    named = [(e.merged_into, f"theme {e.slug}") for e in vocabulary.themes if e.merged_into]
    named += [(alias.theme, f"alias {alias.name}") for alias in vocabulary.aliases]
    named += [(r.theme, "a relation") for r in vocabulary.relations]
    named += [(r.other, "a relation") for r in vocabulary.relations]
    for entry in manifest.records:
        links = entry.themes + [link for finding in entry.findings for link in finding.themes]
        named += [(link.theme, entry.file) for link in links]
    for slug, where in named:
        if slug not in known:
            raise BackupError(
                f"{MANIFEST_NAME}: {where} names the theme '{slug}', not in the backup"
            )


def _record(archive, members: dict, entry: RecordEntry, limits: Limits) -> Record:
    return checked_record(entry, _read(archive, members[entry.file], limits.record_bytes))


def checked_record(entry: RecordEntry, data: bytes) -> Record:
    """One record file against its manifest entry: hash, parse, link, provenance.

    backup_write runs this on every record it writes, so it never writes a backup that
    the restore would refuse.
    """
    if hashlib.sha256(data).hexdigest() != entry.sha256:
        raise BackupError(
            f"{entry.file}: its SHA-256 is not the one in {MANIFEST_NAME} "
            "(the file was changed or damaged)"
        )
    try:
        record = parse_record(data, path=entry.file)
    except RecordError as error:
        raise BackupError(error.located()) from None
    if record.url != entry.url:
        raise BackupError(
            f"{entry.file}: links to {record.url}, but {MANIFEST_NAME} says {entry.url}"
        )
    _check_provenance(entry, record)
    return record


def _check_provenance(entry: RecordEntry, record: Record) -> None:
    """Provenance may only name fields that are editable, and findings the record has."""
    problems = set(entry.source.exact) - SOURCE_EXACT
    seen = set()
    for finding in entry.findings:
        where = (finding.kind, finding.position)
        if where in seen or finding.position >= len(record.findings(finding.kind)):
            raise BackupError(
                f"{entry.file}: {MANIFEST_NAME} describes {finding.kind} row "
                f"{finding.position + 1}, which the record does not have (or describes it twice)"
            )
        seen.add(where)
        problems |= set(finding.exact) - FINDING_EXACT[finding.kind]
    if problems:
        fields = ", ".join(sorted(problems))
        raise BackupError(f"{entry.file}: {MANIFEST_NAME} sets fields that cannot be set: {fields}")
