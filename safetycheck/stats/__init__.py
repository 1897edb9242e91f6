"""Statistics over records: per-record facts, the figures, their tables, charts and the monthly report."""
