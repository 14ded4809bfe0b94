"""Figures that count large tables, cached until the knowledge changes (docs/performance.md).

The explorer's total and theme facets, an API list's total, a theme page's totals and the
dashboard's figures would count up to a million rows on every request. They are computed
once and kept in Django's cache under a *generation*: a number in the database
(CacheGeneration) that changes whenever sources, findings, themes or their links change.
Because the number lives in the database, every process (web, Celery workers, commands)
agrees on it, whatever cache backend each one has; entries of an older generation are
never read again and expire after TIMEOUT.

A change calls `knowledge_changed()`: model saves and deletes do so through receivers
(apps.py), bulk writes (imports, restores, merges) call it themselves. The number moves
when the transaction commits, so other processes never cache figures of uncommitted rows;
until then the writing thread bypasses the cache, so it reads its own changes.
"""

import hashlib
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models import F

T = TypeVar("T")

# Seconds an entry lives. Only a change whose bump was lost (a crash between commit and
# bump) would be served stale, and then at most this long.
TIMEOUT = 600
# Within a request the generation is read once; outside requests (workers, commands) it
# is read again after this many seconds.
MEMO_SECONDS = 2.0
_MISSING = object()
_state = threading.local()


def generation() -> int:
    """The current generation (one small query, then remembered for the request)."""
    memo = getattr(_state, "memo", None)
    if memo is not None and time.monotonic() - memo[1] < MEMO_SECONDS:
        return memo[0]
    from apps.knowledge.models import CacheGeneration

    value = CacheGeneration.objects.filter(pk=1).values_list("value", flat=True).first() or 0
    _state.memo = (value, time.monotonic())
    return value


def cached(name: str, key: object, compute: Callable[[], T]) -> T:
    """`compute()`'s value for `key` in the current generation, computed at most once."""
    if _dirty():
        return compute()
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:40]
    full_key = f"spyglass:knowledge:{generation()}:{name}:{digest}"
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value


def _dirty() -> bool:
    """Whether this thread changed the knowledge in a transaction that is still open."""
    if not getattr(_state, "dirty", False):
        return False
    if transaction.get_connection().in_atomic_block:
        return True
    _state.dirty = False  # the transaction ended without committing: nothing changed
    return False


def knowledge_changed() -> None:
    """Retire every cached figure when the current transaction commits (now, outside one)."""
    _state.dirty = True
    _state.memo = None
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        entry[1] is bump_generation for entry in connection.run_on_commit
    ):
        return  # one bump per transaction, however many rows it writes
    transaction.on_commit(bump_generation)


def bump_generation() -> None:
    from apps.knowledge.models import CacheGeneration

    if not CacheGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        CacheGeneration.objects.get_or_create(pk=1, defaults={"value": 1})  # a flushed table
    _state.dirty = False
    _state.memo = None


def forget_state(**kwargs) -> None:
    """A new request reads the generation again (connected to request_started)."""
    _state.memo = None
    if not transaction.get_connection().in_atomic_block:  # tests keep one open throughout
        _state.dirty = False


def reset() -> None:
    """Retire every cached figure now (the `recount` command)."""
    forget_state()
    bump_generation()
