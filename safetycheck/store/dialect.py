"""A small dialect layer over DB-API: stdlib ``sqlite3`` or psycopg 3, one SQL text for both.

Why DB-API and not SQLAlchemy: ``import sqlalchemy`` costs 0.35-0.4 s here against 0.03 s for
``sqlite3``; a few tables, bound parameters and a schema-version table need no more. SQL is
written with ``?`` placeholders and the few words that differ (``AUTOINCREMENT``, locking) come
from :class:`Database`.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from safetycheck.errors import SafetycheckError
from safetycheck.inspection.config import mask_url as mask
from safetycheck.messages import t

ENV = "SAFETYCHECK_STORE"
DEFAULT_NAME = "safetycheck.sqlite3"
DATA_ENV = "SAFETYCHECK_DATA_DIR"  # overrides the user data folder (tests, portable installs)


class StoreError(SafetycheckError):
    """The store cannot be opened, is of another schema version, or refused a change."""


class UnreachableError(StoreError):
    """The store's server does not answer (or its file cannot be opened)."""


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The user data folder, where the default store, the device id and its number ranges live.

    ``SAFETYCHECK_DATA_DIR`` overrides it (a portable install; each "laptop" in the tests).
    """
    env = os.environ if env is None else env
    override = env.get(DATA_ENV, "").strip()
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("safetycheck", appauthor=False))


DEVICE_FILE = "device-id"


def device_id(env: Mapping[str, str] | None = None) -> str:
    """This device's id, made once and kept in the user data folder."""
    path = data_dir(env) / DEVICE_FILE
    try:
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text
    except OSError:
        pass
    from safetycheck import fileio

    ident = str(uuid.uuid4())
    path.parent.mkdir(parents=True, exist_ok=True)
    taken = StoreError(str(path))
    try:  # created whole and never overwritten: two first commands at once agree on one id
        fileio.create_exclusive(path, (ident + "\n").encode("utf-8"), taken, "output.unwritable", StoreError)
    except StoreError as exc:
        if exc is not taken:
            raise
        return path.read_text(encoding="utf-8").strip() or ident
    return ident


def store_url(configured: str | None, env: Mapping[str, str] | None = None) -> str:
    """``SAFETYCHECK_STORE``, else ``[store] url``, else the default SQLite file in the data folder."""
    env = os.environ if env is None else env
    url = env.get(ENV, "").strip() or (configured or "").strip()
    return url or f"sqlite:///{data_dir(env) / DEFAULT_NAME}"


def engine_of(url: str) -> str:
    """``sqlite`` or ``postgresql``.

    Raises:
        StoreError: any other scheme.
    """
    scheme = url.split(":", 1)[0].lower()
    if scheme == "sqlite":
        return "sqlite"
    if scheme in ("postgresql", "postgres"):
        return "postgresql"
    raise StoreError(t("store.bad_url", url=mask(url)))


def sqlite_path(url: str) -> Path:
    """The file of a ``sqlite:///PATH`` URL."""
    rest = url.split(":", 1)[1]
    return Path(rest[3:] if rest.startswith("///") else rest.lstrip("/"))


def pg_conninfo(url: str) -> dict[str, Any]:
    """psycopg keyword arguments for a ``postgresql://`` URL, TLS ``verify-full`` unless local.

    Why: records carry names, phones and ID numbers; only localhost and Unix sockets go plain.
    """
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    host = query.pop("host", None) or parts.hostname or ""
    args: dict[str, Any] = {"dbname": parts.path.lstrip("/") or None, "host": host or None}
    if parts.username:
        args["user"] = parts.username
    if parts.password:
        args["password"] = parts.password
    if parts.port:
        args["port"] = parts.port
    local = host in ("", "localhost", "127.0.0.1", "::1") or host.startswith("/")
    args["sslmode"] = query.pop("sslmode", None) or ("prefer" if local else "verify-full")
    args.update(query)
    args["connect_timeout"] = int(args.get("connect_timeout", 5))
    return {k: v for k, v in args.items() if v is not None}


@dataclass
class Database:
    """An open connection and the words of its engine."""

    conn: Any
    engine: str
    url: str

    @property
    def serial(self) -> str:
        """An auto-numbered primary key column type."""
        return "INTEGER PRIMARY KEY AUTOINCREMENT" if self.engine == "sqlite" else "BIGSERIAL PRIMARY KEY"

    def sql(self, text: str) -> str:
        """SQL with ``?`` placeholders turned into the driver's."""
        return text if self.engine == "sqlite" else re.sub(r"\?", "%s", text)

    def execute(self, text: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement with bound parameters; the cursor."""
        cur = self.conn.cursor()
        cur.execute(self.sql(text), tuple(params))
        return cur

    def all(self, text: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Every row of a query."""
        return list(self.execute(text, params).fetchall())

    def one(self, text: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        """The first row of a query, or None."""
        row = self.execute(text, params).fetchone()
        return None if row is None else tuple(row)

    @contextlib.contextmanager
    def transaction(self, exclusive: bool = False) -> Iterator[None]:
        """One transaction: committed at the end of the block, rolled back on any error.

        ``exclusive`` takes SQLite's write lock at once (``BEGIN IMMEDIATE``), so two processes
        numbering at once wait for each other instead of failing on upgrade.
        """
        if self.engine == "sqlite":
            self.conn.execute("BEGIN IMMEDIATE" if exclusive else "BEGIN")
            try:
                yield
            except BaseException:
                self.conn.rollback()
                raise
            self.conn.commit()
        else:
            with self.conn.transaction():
                yield

    def is_integrity_error(self, exc: BaseException) -> bool:
        """A unique or check constraint refused the change."""
        return type(exc).__name__ in ("IntegrityError", "UniqueViolation")

    def close(self) -> None:
        """Close the connection."""
        with contextlib.suppress(Exception):
            self.conn.close()


def mask_error(exc: BaseException) -> str:
    """A database error's first line, with any password in it replaced by ``***``."""
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return re.sub(r"(://[^:/@\s]+:)[^@\s]+@", r"\1***@", re.sub(r"password=\S+", "password=***", text))


def is_driver_error(exc: BaseException) -> bool:
    """An error of the database driver (sqlite3, psycopg), not of the program."""
    return type(exc).__module__.startswith(("sqlite3", "psycopg"))


def driver_error(exc: BaseException, url: str) -> SafetycheckError:
    """The one-line user error for a driver's error: ``磁盘空间不足：…`` when SQLite found the disk full."""
    if getattr(exc, "sqlite_errorcode", None) == 13:  # SQLITE_FULL
        from safetycheck.fileio import DiskFullError

        return DiskFullError(t("disk.full", path=str(sqlite_path(url)), error=mask_error(exc)))
    return StoreError(t("store.refused", error=mask_error(exc)))


def connect(url: str, create: bool = False) -> Database:
    """Open the store at ``url``.

    Args:
        url: ``sqlite:///PATH`` or ``postgresql://USER@HOST[:PORT]/DB``.
        create: make the SQLite file (and its folder) when missing.

    Raises:
        UnreachableError: the file is missing (and ``create`` is false) or the server does not answer.
    """
    engine = engine_of(url)
    if engine == "sqlite":
        import sqlite3

        path = sqlite_path(url)
        if not path.exists() and not create:
            raise UnreachableError(t("store.missing", path=path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            if exc.sqlite_errorcode == sqlite3.SQLITE_FULL:
                raise driver_error(exc, url) from None
            raise UnreachableError(t("store.unreachable", url=mask(url), error=exc)) from None
        except OSError as exc:
            raise UnreachableError(t("store.unreachable", url=mask(url), error=exc)) from None
        return Database(conn, engine, url)
    try:
        import psycopg
    except ImportError:
        raise StoreError(t("store.no_driver")) from None
    try:
        pg: Any = psycopg.connect(**pg_conninfo(url), autocommit=True)
    except psycopg.Error as exc:
        error = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UnreachableError(t("store.unreachable", url=mask(url), error=error.replace(
            pg_conninfo(url).get("password") or "\0", "***"))) from None
    return Database(pg, engine, url)
