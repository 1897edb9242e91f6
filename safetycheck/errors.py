"""Error types: every user error carries where it comes from and a message."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: 1-based line and column (0 when unknown)."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path


@dataclass(frozen=True)
class Problem:
    """One problem found in a file: where, which key path, and what is wrong."""

    location: Location
    message: str
    pointer: str = ""

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order by file, line, column, message."""
        loc = self.location
        return (loc.path, loc.line, loc.column, self.message)


class SafetycheckError(Exception):
    """Base of every error the user can cause; the CLI prints it without a traceback."""

    exit_code = 1

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class UsageError(SafetycheckError):
    """A command-line usage error: unknown or ambiguous name, bad option value."""

    exit_code = 2


class ChecklistError(SafetycheckError):
    """A file failed validation; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], document: object = None) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        self.document = document  # the parsed file, when it parsed: cross-file checks still run on it
        first = self.problems[0]
        super().__init__(first.message, first.location)


class RecordError(SafetycheckError):
    """A record file cannot be read, or must not be written."""


class InterruptedRun(SafetycheckError):
    """The walk was interrupted (Ctrl-C or a closed terminal); the record is saved."""

    exit_code = 130
