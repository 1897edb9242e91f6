"""Versioned migrations with a schema-version table; ``store init``, ``store upgrade``, ``store status``.

Migrations run only from ``store init`` / ``store upgrade`` (and when the default embedded file is
created); every other command refuses a store behind the program's version, naming ``store upgrade``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from safetycheck.messages import t
from safetycheck.store.dialect import Database, StoreError


def _v1(db: Database) -> list[str]:
    """Revisions, events, query tables, numbers, imported counters."""
    s = db.serial
    out = [
        f"""CREATE TABLE revisions (id {s}, record_id TEXT NOT NULL, digest TEXT NOT NULL, parent TEXT,
            raw TEXT NOT NULL, seal TEXT, head TEXT, events_n INTEGER NOT NULL, device TEXT NOT NULL,
            synced_at TEXT NOT NULL, file TEXT NOT NULL, flag TEXT, UNIQUE (record_id, digest))""",
        "CREATE INDEX revisions_record ON revisions (record_id)",
        "CREATE INDEX revisions_digest ON revisions (digest)",
        f"""CREATE TABLE events (id {s}, revision_id BIGINT NOT NULL REFERENCES revisions (id),
            record_id TEXT NOT NULL, n INTEGER NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL, hazard TEXT,
            hash TEXT NOT NULL, UNIQUE (record_id, n, hash))""",
        """CREATE TABLE records (record_id TEXT PRIMARY KEY, revision_id BIGINT NOT NULL, file TEXT NOT NULL,
            day TEXT, unit TEXT NOT NULL, mode TEXT NOT NULL, status TEXT NOT NULL, checklists TEXT NOT NULL,
            inspectors TEXT NOT NULL, responses INTEGER NOT NULL, fails INTEGER NOT NULL,
            hazards INTEGER NOT NULL, numbers TEXT NOT NULL)""",
        "CREATE INDEX records_unit ON records (unit)",
        """CREATE TABLE responses (record_id TEXT NOT NULL, checklist TEXT NOT NULL, item TEXT NOT NULL,
            result TEXT, note TEXT, PRIMARY KEY (record_id, checklist, item))""",
        """CREATE TABLE hazards (record_id TEXT NOT NULL, hazard TEXT NOT NULL, unit TEXT NOT NULL,
            level TEXT, status TEXT NOT NULL, deadline TEXT, data TEXT NOT NULL, PRIMARY KEY (record_id, hazard))""",
        "CREATE INDEX hazards_status ON hazards (status, deadline)",
        """CREATE TABLE record_events (record_id TEXT NOT NULL, n INTEGER NOT NULL, kind TEXT NOT NULL,
            at TEXT NOT NULL, hazard TEXT, PRIMARY KEY (record_id, n))""",
        """CREATE TABLE documents (record_id TEXT NOT NULL, doc_key TEXT NOT NULL, document TEXT NOT NULL,
            number TEXT, at TEXT NOT NULL, PRIMARY KEY (record_id, doc_key))""",
        f"""CREATE TABLE numbers (id {s}, agency TEXT NOT NULL, code TEXT NOT NULL, year INTEGER NOT NULL,
            seq BIGINT NOT NULL, status TEXT NOT NULL, device TEXT NOT NULL, at TEXT NOT NULL, record TEXT,
            reason TEXT, UNIQUE (agency, code, year, seq))""",
        """CREATE TABLE imported_counters (path TEXT NOT NULL, device TEXT NOT NULL, at TEXT NOT NULL,
            PRIMARY KEY (path, device))""",
    ]
    if db.engine == "sqlite":
        for table in ("revisions", "events"):
            for action in ("UPDATE", "DELETE"):
                out.append(f"""CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table}
                    BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END""")
    return out


def _v2(db: Database) -> list[str]:
    """What the statistics need: start dates, industries, items asked, hazards' standing per period, reviews.

    ``hazard_days`` holds one row per hazard and period of days over which its standing (status,
    deadline in force, closing day, funds, reviews, plan, reports) does not change, so figures can be
    taken as of any day; ``since``/``until`` are ISO days, open ends written ``0001-01-01`` and
    ``9999-12-31``. The rows of existing records are rebuilt from their stored revisions.
    """
    return [
        "CREATE INDEX revisions_flag ON revisions (flag)",
        "ALTER TABLE records ADD COLUMN started TEXT",
        "ALTER TABLE records ADD COLUMN industries TEXT",
        "ALTER TABLE records ADD COLUMN asked INTEGER",
        "CREATE INDEX records_started ON records (started)",
        "ALTER TABLE hazards ADD COLUMN checklist TEXT",
        "ALTER TABLE hazards ADD COLUMN item TEXT",
        "ALTER TABLE hazards ADD COLUMN description TEXT",
        "ALTER TABLE hazards ADD COLUMN found TEXT",
        "ALTER TABLE hazards ADD COLUMN corrected_on_site INTEGER",
        "ALTER TABLE hazards ADD COLUMN measures INTEGER",
        """CREATE TABLE record_items (record_id TEXT NOT NULL, checklist TEXT NOT NULL, item TEXT NOT NULL,
            failed INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (record_id, checklist, item))""",
        "CREATE INDEX record_items_failed ON record_items (failed, record_id)",
        """CREATE TABLE record_names (record_id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
            PRIMARY KEY (record_id, kind, name))""",
        """CREATE TABLE hazard_days (record_id TEXT NOT NULL, hazard TEXT NOT NULL, since TEXT NOT NULL,
            until TEXT NOT NULL, status TEXT NOT NULL, deadline TEXT, closed_on TEXT, funds DOUBLE PRECISION NOT NULL,
            reviews_passed INTEGER NOT NULL, reviews_failed INTEGER NOT NULL, has_plan INTEGER NOT NULL,
            reported TEXT, listed TEXT, PRIMARY KEY (record_id, hazard, since))""",
        """CREATE TABLE reviews (record_id TEXT NOT NULL, review TEXT NOT NULL, hazard TEXT NOT NULL,
            result TEXT NOT NULL, day TEXT, PRIMARY KEY (record_id, review, hazard))""",
    ]


MIGRATIONS: list[Callable[[Database], list[str]]] = [_v1, _v2]
# After these versions, the query tables are rebuilt from the stored revisions (same transaction).
REBUILDS = {2}
VERSION = len(MIGRATIONS)


def current_version(db: Database) -> int:
    """The schema version of the store, 0 when it has none yet."""
    if db.engine == "sqlite":
        exists = db.one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
    else:
        exists = db.one("SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_version'"
                        " AND table_schema = current_schema()")
    if not exists:
        return 0
    row = db.one("SELECT MAX(version) FROM schema_version")
    return int(row[0] or 0) if row else 0


def upgrade(db: Database) -> tuple[int, int]:
    """Run every migration the store lacks, each in its own transaction; (version before, after).

    A migration that adds to the query tables rebuilds them from each record's latest good revision.

    Raises:
        StoreError: the store is newer than this program.
    """
    import datetime as dt

    before = current_version(db)
    if before > VERSION:
        raise StoreError(t("store.newer", found=before, version=VERSION))
    if before == 0:
        with db.transaction(exclusive=True):
            if current_version(db) == 0:
                db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)")
    for version in range(current_version(db) + 1, VERSION + 1):
        with db.transaction(exclusive=True):
            if current_version(db) >= version:
                continue  # another process ran it meanwhile
            for statement in MIGRATIONS[version - 1](db):
                db.execute(statement)
            if version in REBUILDS and before:
                from safetycheck.store.sync import rebuild_all

                rebuild_all(db)
            db.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                       (version, dt.datetime.now().astimezone().isoformat(timespec="seconds")))
    return before, VERSION


def check_version(db: Database) -> None:
    """Refuse a store of another version than this program's (never migrates).

    Raises:
        StoreError: behind (naming ``store upgrade``) or ahead of this program.
    """
    found = current_version(db)
    if found < VERSION:
        raise StoreError(t("store.behind", found=found, version=VERSION))
    if found > VERSION:
        raise StoreError(t("store.newer", found=found, version=VERSION))


def status(db: Database) -> dict[str, Any]:
    """Engine, schema version, counts and the last sync of each device."""
    version = current_version(db)
    out: dict[str, Any] = {"engine": db.engine, "schema_version": version, "program_version": VERSION}
    if version:
        for table in ("revisions", "records", "hazards", "numbers"):
            row = db.one(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - table names are ours
            out[table] = int(row[0]) if row else 0
        row = db.one("SELECT COUNT(*) FROM revisions WHERE flag IS NOT NULL")
        out["flagged"] = int(row[0]) if row else 0
        out["devices"] = [{"device": d, "last_sync": at, "revisions": int(n)} for d, at, n in db.all(
            "SELECT device, MAX(synced_at), COUNT(*) FROM revisions GROUP BY device ORDER BY device")]
    return out


APPEND_ONLY = ("revisions", "events")
WRITER, READER = "safetycheck_writer", "safetycheck_reader"


def create_roles(db: Database) -> list[str]:
    """On PostgreSQL: a writer role without UPDATE or DELETE on revisions and events, and a read-only role.

    Why: history is append-only in the database itself, not only in the program; the owner of
    the database can still rewrite it (tamper-evident, not tamper-proof). Roles are made
    without a password: the agency sets one (``ALTER ROLE ... PASSWORD``) or maps them in
    ``pg_hba.conf``. Returns the roles' names; nothing on SQLite (triggers guard it there).
    """
    if db.engine != "postgresql":
        return []
    tables = [name for (name,) in db.all("SELECT table_name FROM information_schema.tables"
                                         " WHERE table_schema = current_schema()")]
    with db.transaction():
        for role in (WRITER, READER):
            # Roles belong to the whole cluster: another database's `store init` may create them
            # at the same moment, so "already there" is success, not an error.
            if not db.one("SELECT 1 FROM pg_roles WHERE rolname = ?", (role,)):
                db.execute(f"DO $$ BEGIN CREATE ROLE {role} LOGIN; "
                           "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")
        db.execute("SELECT pg_advisory_xact_lock(7414)")
        for table in tables:
            db.execute(f"REVOKE ALL ON {table} FROM PUBLIC")
            db.execute(f"GRANT SELECT ON {table} TO {READER}")
            rights = "SELECT, INSERT" if table in APPEND_ONLY else "SELECT, INSERT, UPDATE, DELETE"
            db.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {WRITER}")
            db.execute(f"GRANT {rights} ON {table} TO {WRITER}")
        db.execute(f"GRANT USAGE ON SCHEMA public TO {WRITER}, {READER}")
        db.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {WRITER}")
    return [WRITER, READER]
