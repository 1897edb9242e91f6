"""Reading input files safely: regular files only, never more than a size limit.

Why: ``validate``, ``--answers``, ``report`` and the settings read files a user names; a FIFO
would block the command forever and ``/dev/zero`` would fill the memory. Every input file is
checked to be a regular file before it is read, and read no further than its limit.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from safetycheck.errors import SafetycheckError
from safetycheck.messages import os_error, t


class InputFileError(SafetycheckError):
    """An input file is missing, not a regular file, too large or unreadable; ``message`` says which."""


def _kind(mode: int) -> str | None:
    """The message id naming what a file that is not a regular file is."""
    if stat.S_ISDIR(mode):
        return "file.is_dir"
    if stat.S_ISFIFO(mode):
        return "file.is_fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "file.is_device"
    if stat.S_ISSOCK(mode):
        return "file.is_socket"
    if not stat.S_ISREG(mode):
        return "file.not_regular"
    return None


def check_regular(path: Path) -> None:
    """Refuse ``path`` when it exists and is not a regular file (a FIFO would block its reader).

    Raises:
        InputFileError: naming what the file is.
    """
    try:
        kind = _kind(path.stat().st_mode)
    except OSError:
        return  # missing or unreadable: the reader says so
    if kind is not None:
        raise InputFileError(t(kind))


def read_input(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Args:
        path: the file (a symbolic link is followed).
        limit: the largest size accepted, in bytes.

    Returns:
        The file's content.

    Raises:
        InputFileError: the file is missing, a folder, a FIFO, a device or a socket, larger than
            ``limit``, or cannot be read; the message names no path (callers locate it).
    """
    try:
        kind = _kind(path.stat().st_mode)
        if kind is not None:
            raise InputFileError(t(kind))
        # O_NONBLOCK: a FIFO swapped in after the check must not block the open
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputFileError(t("file.missing")) from None
    except IsADirectoryError:
        raise InputFileError(t("file.is_dir")) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputFileError(t("file.link_loop")) from None
        if path.is_dir():  # Windows refuses to open a folder
            raise InputFileError(t("file.is_dir")) from None
        raise InputFileError(t("file.unreadable", error=os_error(exc))) from None
    try:
        info = os.fstat(fd)
        kind = _kind(info.st_mode)
        if kind is not None:
            raise InputFileError(t(kind))
        if info.st_size > limit:
            raise InputFileError(t("file.too_big", size=_size(info.st_size), limit=_size(limit)))
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise InputFileError(t("file.unreadable", error=os_error(exc))) from None
    finally:
        os.close(fd)
    if total > limit:  # it grew while being read
        raise InputFileError(t("file.too_big", size=_size(total), limit=_size(limit)))
    return b"".join(chunks)


def _size(n: int) -> str:
    """A size as messages show it: bytes below 1 MB, else MB with one decimal."""
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} B"


def real_path(path: Path) -> Path:
    """``path`` with symbolic links resolved as far as they go; a link loop is left as it stands.

    Why: ``Path.resolve`` raises RuntimeError on a loop before Python 3.13.
    """
    return Path(os.path.realpath(path))


def is_link_loop(path: Path) -> bool:
    """Whether ``path`` is a symbolic link that never reaches a file (a loop)."""
    try:
        path.stat()
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False
