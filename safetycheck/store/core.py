"""Opening the configured store, and this device's id."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from safetycheck.store.dialect import (
    Database,
    connect,
    device_id,
    driver_error,
    engine_of,
    is_driver_error,
    sqlite_path,
    store_url,
)
from safetycheck.store.schema import check_version, upgrade


def open_store(configured: str | None, env: Mapping[str, str] | None = None, migrate: bool = False) -> Database:
    """Open the store in force, checked to be of this program's schema version.

    The embedded SQLite file is created (and migrated) on first use; any other store must be made
    with ``store init`` first. With ``migrate``, migrations run (``store init`` / ``store upgrade``).

    Raises:
        StoreError: behind or ahead of the program, or a bad URL; UnreachableError.
    """
    url = store_url(configured, env)
    if engine_of(url) == "sqlite" and not sqlite_path(url).exists():
        _create_embedded(sqlite_path(url), env)
    db = connect(url, create=migrate)
    try:
        if migrate:
            upgrade(db)
        check_version(db)
    except BaseException:
        db.close()
        raise
    return db


def _create_embedded(path: Path, env: Mapping[str, str] | None) -> None:
    """Make a SQLite store at ``path``, migrated and holding the local counters, in one step.

    Why a temporary file linked into place: two commands starting at once on a new laptop must
    not see a half-made store (it would read as behind the program); the one that links second
    keeps the other's store. A damaged counter file stops the store being made, so the next
    command names the file again.

    Raises:
        NumberingError: the counter file is damaged; UnreachableError: the folder is not writable.
    """
    import os

    from safetycheck.store.numbers import import_counters, read_counter_file

    counters = read_counter_file(env)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        db = connect(f"sqlite:///{tmp}", create=True)
        try:
            upgrade(db)
            if counters is not None:
                import_counters(db, env, counters)
        except Exception as exc:
            if not is_driver_error(exc):
                raise
            raise driver_error(exc, f"sqlite:///{path}") from None
        finally:
            db.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another command made it first: theirs is whole, ours goes
        except OSError:  # no hard links on this file system
            if not path.exists():
                tmp.replace(path)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            leftover.unlink(missing_ok=True)


def store_path_or_url(configured: str | None, env: Mapping[str, str] | None = None) -> str:
    """The store's place, as shown (a password masked)."""
    from safetycheck.inspection.config import mask_url as mask

    url = store_url(configured, env)
    return str(sqlite_path(url)) if engine_of(url) == "sqlite" else mask(url)


__all__ = ["Database", "Path", "device_id", "open_store", "store_path_or_url"]
