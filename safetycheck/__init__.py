"""safetycheck: work-safety (安全生产) inspection checklists in the terminal."""

__version__ = "0.1.0"
