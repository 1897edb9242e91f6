"""Stage 2: the walk on site, answers files, the record file (atomic, locked) and settings."""
