"""Opening the configured store, and this device's id."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from safetycheck.store.dialect import Database, connect, device_id, engine_of, sqlite_path, store_url
from safetycheck.store.schema import check_version, current_version, upgrade


def open_store(configured: str | None, env: Mapping[str, str] | None = None, migrate: bool = False) -> Database:
    """Open the store in force, checked to be of this program's schema version.

    The embedded SQLite file is created (and migrated) on first use; any other store must be made
    with ``store init`` first. With ``migrate``, migrations run (``store init`` / ``store upgrade``).

    Raises:
        StoreError: behind or ahead of the program, or a bad URL; UnreachableError.
    """
    url = store_url(configured, env)
    fresh = engine_of(url) == "sqlite" and not sqlite_path(url).exists()
    db = connect(url, create=fresh or migrate)
    try:
        if migrate or (fresh and current_version(db) == 0):
            upgrade(db)
        if fresh:  # a store created now takes over the local counters (store init imports them too)
            from safetycheck.store.numbers import import_counters

            import_counters(db, env)
        check_version(db)
    except BaseException:
        db.close()
        raise
    return db


def store_path_or_url(configured: str | None, env: Mapping[str, str] | None = None) -> str:
    """The store's place, as shown (a password masked)."""
    from safetycheck.inspection.config import mask_url as mask

    url = store_url(configured, env)
    return str(sqlite_path(url)) if engine_of(url) == "sqlite" else mask(url)


__all__ = ["Database", "Path", "device_id", "open_store", "store_path_or_url"]
