"""The store: every synced revision of every record, query tables, and one numbering (SQLite or PostgreSQL)."""
