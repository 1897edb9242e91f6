"""What the store's commands do, for ``cli.py``: each a function that prints and returns an exit code."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safetycheck.errors import SafetycheckError, UsageError
from safetycheck.messages import t
from safetycheck.store.dialect import Database
from safetycheck.text import json_text, visible


def _configured() -> str | None:
    from safetycheck.inspection.config import load_config

    return load_config().store.url


def _open(migrate: bool = False) -> Database:
    from safetycheck.store.core import open_store

    return open_store(_configured(), migrate=migrate)


def _open_existing() -> Database | None:
    """The store in force, or None for an embedded file not made yet (nothing is created)."""
    from safetycheck.store.dialect import engine_of, sqlite_path, store_url

    url = store_url(_configured())
    if engine_of(url) == "sqlite" and not sqlite_path(url).exists():
        return None
    return _open()


def store_init() -> int:
    """``store init``: create or complete the schema, import the local counters."""
    from safetycheck.store.core import store_path_or_url
    from safetycheck.store.numbers import counter_path, import_counters
    from safetycheck.store.schema import VERSION, create_roles

    db = _open(migrate=True)
    try:
        roles = create_roles(db)
        if roles:
            sys.stderr.write(t("store.roles", roles=", ".join(roles)) + "\n")
        if import_counters(db):
            sys.stderr.write(t("store.counters_imported", path=counter_path()) + "\n")
        sys.stderr.write(t("store.initialised", where=store_path_or_url(_configured()), engine=db.engine,
                           version=VERSION) + "\n")
    finally:
        db.close()
    return 0


def store_upgrade() -> int:
    """``store upgrade``: run the migrations the store lacks."""
    from safetycheck.store.core import store_path_or_url
    from safetycheck.store.dialect import connect, store_url
    from safetycheck.store.schema import upgrade

    db = connect(store_url(_configured()), create=True)
    try:
        before, after = upgrade(db)
        if before and before < after:
            from safetycheck.store.schema import create_roles

            create_roles(db)  # PostgreSQL: the roles' rights on the tables the migrations added
    finally:
        db.close()
    sys.stderr.write(t("store.upgraded", before=before, after=after, where=store_path_or_url(_configured())) + "\n")
    return 0


def store_status(fmt: str) -> int:
    """``store status``: engine, schema version, counts, last sync per device."""
    from safetycheck.store.dialect import connect, store_url
    from safetycheck.store.schema import status

    db = connect(store_url(_configured()))
    try:
        info = status(db)
    finally:
        db.close()
    if fmt == "json":
        sys.stdout.write(json_text(info) + "\n")
        return 0
    for key, value in info.items():
        if key != "devices":
            sys.stdout.write(t("store.status_line", key=key, value=value) + "\n")
    for row in info.get("devices", []):
        sys.stdout.write(t("store.device_line", device=row["device"], revisions=row["revisions"],
                           at=row["last_sync"]) + "\n")
    return 0


def sync_command(paths: list[Path]) -> int:
    """``sync [PATH...]``: exit 1 when a file was refused."""
    from safetycheck.store.dialect import device_id
    from safetycheck.store.sync import candidates, sync_paths

    db = _open()
    try:
        if sys.stderr.isatty():  # a bar for work over a second: the files are counted first
            from safetycheck.console import progress_bar

            files = list(candidates(paths))
            with progress_bar(t("sync.progress"), len(files)) as advance:
                result = sync_paths(db, files, device_id(), advance)
        else:
            result = sync_paths(db, paths, device_id())
    finally:
        db.close()
    for path, flag in result.flagged:
        sys.stderr.write(t("sync.flagged", path=path, flag=flag) + "\n")
    for line in result.refused:
        sys.stderr.write(line + "\n")
    sys.stderr.write(t("sync.done", **result.counts) + "\n")
    return 1 if result.refused else 0


def auto_sync(path: Path) -> None:
    """Sync the record a command just wrote when ``[store] auto_sync`` is on; a failure is one notice line."""
    try:
        from safetycheck.inspection.config import load_config

        config = load_config()
        if not config.store.auto_sync or not path.is_file():
            return
        from safetycheck.store.core import open_store
        from safetycheck.store.dialect import device_id
        from safetycheck.store.sync import store_file

        db = open_store(config.store.url)
        try:
            store_file(db, path, path.read_bytes(), device_id())
        finally:
            db.close()
    except (SafetycheckError, OSError, UnicodeDecodeError) as exc:
        from safetycheck.console import print_warning

        print_warning(t("sync.auto_failed", error=str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
    except Exception as exc:  # noqa: BLE001 - a database fault never fails the command that wrote the record
        from safetycheck.console import print_warning

        print_warning(t("sync.auto_failed", error=type(exc).__name__))


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(t("records.bad_date", option=option, value=value)) from None


def records_command(filters: dict[str, Any], fmt: str) -> int:
    """``records [filters]``."""
    from safetycheck.store.queries import list_records, print_records

    since, until = _date(filters.pop("since"), "--from"), _date(filters.pop("until"), "--to")
    db = _open()
    try:
        rows = list_records(db, since=since, until=until, **filters)
    finally:
        db.close()
    print_records(rows, fmt, flagged=bool(filters.get("flagged")))
    return 0


def records_get(record_id: str, out: Path) -> int:
    """``records get ID -o FILE``."""
    from safetycheck.store.queries import check_out

    db = _open()
    try:
        check_out(db, record_id, out)
    finally:
        db.close()
    sys.stderr.write(t("records.checked_out", id=record_id, path=out) + "\n")
    return 0


def hazards_from_store(status: str, level: str | None, unit: str | None, due_within: int | None, fmt: str) -> int:
    """``hazards list --store``."""
    from safetycheck.lifecycle.ledger import print_ledger
    from safetycheck.store.queries import hazard_ledger

    db = _open()
    try:
        ledger = hazard_ledger(db, status, level, unit, due_within)
    finally:
        db.close()
    return print_ledger(ledger, fmt)


def verify_with_store(paths: list[Path], fmt: str, strict: bool) -> int:
    """``verify``: the seal and chain of each file, then how it stands against the store."""
    from safetycheck.lifecycle.verify import print_verify, verify_files
    from safetycheck.store.queries import compare

    rows = verify_files(paths)
    db: Database | None = None
    error: str | None = None
    try:
        db = _open_existing()
    except SafetycheckError as exc:
        error = str(exc).splitlines()[0]
    try:
        for row in rows:
            if row["state"] == "unreadable":
                continue
            if db is None:
                row.update(store="unreachable", store_error=error) if error else row.update(store="not-in-store")
                continue
            try:
                row.update(compare(db, Path(row["file"])))
            except (SafetycheckError, OSError) as exc:
                row.update(store="unreachable", store_error=str(exc).splitlines()[0])
    finally:
        if db is not None:
            db.close()
    if fmt == "json":
        code = print_verify(rows, fmt)
    else:
        code = 0
        for row in rows:  # each file's store line right after its own lines
            code = max(code, print_verify([row], fmt))
            _print_store_line(row)
    diverged = any(row.get("store") in ("changed", "not-in-store") for row in rows)
    return code or (1 if strict and diverged else 0)


def _print_store_line(row: dict[str, Any]) -> None:
    state, path = row.get("store"), row["file"]
    if state == "in-store":
        sys.stdout.write(visible(t("verify.in_store", path=path, at=row["synced_at"]), one_line=True) + "\n")
    elif state == "changed":
        for change in row["store_changes"]:
            line = t("verify.store_changed", path=path, at=row["synced_at"], change=change)
            sys.stdout.write(visible(line, one_line=True) + "\n")
    elif state == "not-in-store":
        sys.stdout.write(visible(t("verify.not_in_store", path=path), one_line=True) + "\n")
    elif state == "unreachable":
        line = t("verify.unreachable", path=path, error=row.get("store_error") or "")
        sys.stdout.write(visible(line, one_line=True) + "\n")


@dataclass
class StoreAllocator:
    """:class:`safetycheck.lifecycle.issuing.Allocator` over the configured store, opened on first use.

    Without ``[store] url`` that is the embedded SQLite file in the user data folder, made (with
    the local counters imported) the first time a number is taken. Only a server out of reach
    sends numbering to this device's ranges; an embedded store that cannot be written is an error.
    """

    configured: str | None
    db: Database | None = None
    offline: bool = False
    reason: str = ""

    def _db(self) -> Database:
        if self.db is None:
            from safetycheck.store.core import open_store
            from safetycheck.store.numbers import check_imported
            from safetycheck.store.ranges import report_drawn

            db = open_store(self.configured)
            try:
                check_imported(db)
                report_drawn(db)
            except BaseException:
                db.close()
                raise
            self.db = db
        return self.db

    def _shared(self) -> bool:
        from safetycheck.store.dialect import engine_of, store_url

        return engine_of(store_url(self.configured)) == "postgresql"

    def take(self, agency: str, code: str, year: int, record: Path) -> int:
        """See the protocol; offline (server unreachable), a number of this device's ranges."""
        from safetycheck.store.dialect import UnreachableError, device_id, driver_error, is_driver_error, store_url
        from safetycheck.store.numbers import allocate
        from safetycheck.store.ranges import draw

        if not self.offline:
            try:
                db = self._db()
                return allocate(db, agency, code, year, device_id(), str(record))
            except UnreachableError as exc:
                if not self._shared():
                    raise
                self.offline, self.reason = True, str(exc).splitlines()[0]
            except Exception as exc:
                if not is_driver_error(exc):
                    raise
                raise driver_error(exc, store_url(self.configured)) from None
        try:
            return draw(agency, code, year)
        except SafetycheckError as exc:
            raise SafetycheckError(f"{self.reason} {exc}") from None

    def void(self, agency: str, numbers: list[tuple[str, int, int, str]], record: Path, reason: str) -> None:
        """See the protocol (offline, the record's own ``voided`` event accounts for it)."""
        from safetycheck.store.dialect import driver_error, is_driver_error, store_url
        from safetycheck.store.numbers import void_numbers

        if not self.offline:
            try:
                void_numbers(self._db(), agency, numbers, str(record), reason)
            except Exception as exc:
                if not is_driver_error(exc):
                    raise
                raise driver_error(exc, store_url(self.configured)) from None


def _agency_name() -> str:
    from safetycheck.inspection.config import load_config

    agency = load_config().agency
    name = agency.name or agency.short_name
    if not name:
        raise SafetycheckError(t("numbers.no_agency"))
    return name


def numbers_reserve(code: str, count: int, year: int | None) -> int:
    """``numbers reserve --code C --count N [--year Y]``."""
    from safetycheck.store.dialect import device_id
    from safetycheck.store.ranges import ranges_path, reserve

    agency = _agency_name()
    db = _open()
    try:
        first, last = reserve(db, agency, code, year or dt.date.today().year, count, device_id())
    finally:
        db.close()
    sys.stderr.write(t("numbers.reserved", code=code, year=year or dt.date.today().year, first=first, last=last,
                       path=ranges_path()) + "\n")
    return 0


def numbers_status(fmt: str) -> int:
    """``numbers status``: ranges, used, voided and next numbers per code (the store's part when reachable)."""
    from safetycheck.store.ranges import status_rows

    agency = _agency_name()
    db: Database | None = None
    try:
        db = _open_existing()
    except SafetycheckError as exc:
        from safetycheck.console import print_warning

        print_warning(str(exc).splitlines()[0])
    try:
        rows = status_rows(db, agency)
    finally:
        if db is not None:
            db.close()
    if fmt == "json":
        sys.stdout.write(json_text(rows) + "\n")
        return 0
    for row in rows:
        sys.stdout.write(t("numbers.status_line", code=row["code"], year=row["year"],
                           ranges=", ".join(row["ranges"]) or "—", used=row["used"], voided=row["voided"],
                           online=row["next_online"] or "—", offline=row["next_offline"] or "—") + "\n")
    if not rows:
        sys.stdout.write(t("numbers.none") + "\n")
    return 0
