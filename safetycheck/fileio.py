"""Crash-safe file output shared by records, counters, documents, forms, settings and templates.

Why one module: every file the tool writes must end up either as the old file or the whole
new one, never as a fragment, and never through a link someone planted. So every output is
written to a temporary file created exclusively beside its target (``O_EXCL``, which also
refuses to follow a symlink there), flushed and fsynced, renamed over the target with
``os.replace`` (which replaces a symlink at the target, never the file it points to), and the
folder is fsynced where the OS allows. A full disk is one clear line, not a traceback.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from dataclasses import dataclass
from os import write as _os_write  # one name for the tests' full-disk fault
from pathlib import Path
from typing import Any

from safetycheck.errors import SafetycheckError
from safetycheck.messages import os_error, t

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # POSIX; Windows has no symlinks a user plants casually
BINARY = getattr(os, "O_BINARY", 0)
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class DiskFullError(SafetycheckError):
    """The disk (or the user's quota) is full; the file being replaced is unchanged."""


def is_disk_full(exc: OSError) -> bool:
    """Whether ``exc`` says the disk or the quota is full."""
    return exc.errno in _FULL


def write_error(exc: OSError, path: Path | str, message: str = "output.unwritable",
                kind: type[SafetycheckError] = SafetycheckError) -> SafetycheckError:
    """The user error for a failed write of ``path``: ``磁盘空间不足：…`` when the disk is full.

    Args:
        exc: what the OS said.
        path: the file being written.
        message: the catalogue id for any other failure (``{path}`` and ``{error}``).
        kind: the error class for any other failure.
    """
    error = os_error(exc)
    if is_disk_full(exc):
        return DiskFullError(t("disk.full", path=str(path), error=error))
    return kind(t(message, path=str(path), error=error))


def write_temp(path: Path, data: bytes | list[Any], message: str = "output.unwritable",
               kind: type[SafetycheckError] = SafetycheckError) -> Path:
    """A complete, fsynced temporary copy of ``data`` beside ``path`` (``.<name>.<pid>-<n>.tmp``).

    ``data`` may be a list of parts, bytes or lists of bytes, written one after the other (a
    record's save: see ``inspection.records.RecordWriter``).

    Raises:
        SafetycheckError: the folder cannot be written (``kind`` with ``message``), or
            DiskFullError.
    """
    folder = path.parent
    for attempt in range(100):
        tmp = folder / f".{path.name}.{os.getpid()}-{attempt}.tmp"
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | NOFOLLOW | BINARY, 0o644)
        except FileExistsError:
            continue
        except OSError as exc:
            raise write_error(exc, path, message, kind) from None
        try:
            try:
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            unlink_quietly(tmp)
            raise write_error(exc, path, message, kind) from None
        return tmp
    raise kind(t(message, path=str(path), error="temporary file"))


def _write_all(fd: int, data: bytes | list[Any]) -> None:
    if isinstance(data, list):  # parts: gathered by the OS where it can (writev), else joined here
        flat: list[bytes] = []
        for part in data:
            if isinstance(part, list):
                flat += part
            else:
                flat.append(part)
        writev = getattr(os, "writev", None)
        if writev is None or _os_write is not os.write:  # the test hook for short writes sees one buffer
            data = b"".join(flat)
        else:
            for start in range(0, len(flat), 512):  # IOV_MAX is 1024 on Linux and macOS
                batch = flat[start:start + 512]
                done = writev(fd, batch)
                if done < sum(map(len, batch)):  # a short write: the rest as one buffer
                    _write_all(fd, b"".join(batch)[done:])
            return
    view = memoryview(data)
    while view:
        view = view[_os_write(fd, view):]


def replace(tmp: Path, path: Path, message: str = "output.unwritable",
            kind: type[SafetycheckError] = SafetycheckError) -> None:
    """``os.replace``, retried briefly on Windows where a reader may hold the target open."""
    import time

    for attempt in range(20):
        try:
            tmp.replace(path)
            return
        except PermissionError as exc:
            if sys.platform != "win32" or attempt == 19:
                raise write_error(exc, path, message, kind) from None
            time.sleep(0.05)
        except OSError as exc:
            raise write_error(exc, path, message, kind) from None


def fsync_folder(folder: Path) -> None:
    """Make a rename durable: fsync the folder (POSIX only; Windows has no folder handles)."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on folders; the rename itself is still atomic
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, message: str = "output.unwritable",
                 kind: type[SafetycheckError] = SafetycheckError) -> None:
    """Replace ``path`` with ``data``: a fsynced temporary file renamed over it, then the folder fsynced.

    A symlink at ``path`` is replaced by the new file; the file it pointed to is not touched.

    Raises:
        SafetycheckError: the folder cannot be written (``kind`` with ``message``), or
            DiskFullError; in both cases ``path`` is unchanged and no temporary file is left.
    """
    tmp = write_temp(path, data, message, kind)
    try:
        replace(tmp, path, message, kind)
    finally:
        unlink_quietly(tmp)
    fsync_folder(path.parent)


def create_exclusive(path: Path, data: bytes, exists: SafetycheckError, message: str = "output.unwritable",
                     kind: type[SafetycheckError] = SafetycheckError) -> None:
    """Write a new file at ``path``, complete or not at all; never overwrite anything there.

    Why ``os.link``: linking a complete, fsynced temporary file is atomic and fails when the
    name exists (a symlink included), so the file is never seen empty or half-written.

    Args:
        path: the new file.
        data: its content.
        exists: the error to raise when ``path`` exists.
        message: catalogue id for a failed write.
        kind: error class for a failed write.

    Raises:
        SafetycheckError: ``exists``, a failed write, or DiskFullError.
    """
    tmp = write_temp(path, data, message, kind)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise exists from None
        except OSError:  # no hard links here (FAT, some shares): reserve, then replace
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | NOFOLLOW, 0o644)
            except FileExistsError:
                raise exists from None
            except OSError as exc:
                raise write_error(exc, path, message, kind) from None
            os.close(fd)
            try:
                replace(tmp, path, message, kind)
            except SafetycheckError:
                unlink_quietly(path)  # the empty name this call reserved; never leave a 0-byte file
                raise
        fsync_folder(path.parent)
    finally:
        unlink_quietly(tmp)


def unlink_quietly(path: Path) -> None:
    """Remove ``path`` if it is there."""
    try:
        path.unlink()
    except OSError:
        pass


# --- lock files ---------------------------------------------------------------------------

LOCK_KINDS = ("walk", "short")  # a walk (run, resume) holds a lock for minutes; a short command for moments
_LOCK_TEXT = re.compile(r"(?:(\d+)(?: (walk|short))?\n?)?")


class LockBusy(Exception):  # noqa: N818 - a state, not a user error: callers word it
    """Another process holds the lock: its PID and kind as its lock file names them ("?" if unknown)."""

    def __init__(self, pid: str, kind: str) -> None:
        super().__init__(pid, kind)
        self.pid = pid
        self.kind = kind


@dataclass
class HeldLock:
    """An OS lock held on a lock file that this process created or verified as a lock file."""

    path: Path
    fd: int
    ident: tuple[int, int]  # st_dev, st_ino of the locked file

    def is_intact(self) -> bool:
        """Whether the lock path still is the file this process locked (not removed, not replaced)."""
        try:
            st = os.lstat(self.path)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) == self.ident

    def release(self) -> None:
        """Remove the lock file (only while it is still ours) and drop the OS lock."""
        if sys.platform == "win32":
            _unlock(self.fd)
            os.close(self.fd)
            if self.is_intact():
                unlink_quietly(self.path)
            return
        if self.is_intact():
            unlink_quietly(self.path)  # while still locked, so no one else can be holding it
        os.close(self.fd)


def acquire_lock(path: Path, kind: str, wait: float = 0.0) -> HeldLock:
    """Take the OS lock on the lock file ``path`` and write ``<pid> <kind>`` into it.

    The lock file is created exclusively and never through a symlink. A file already there is
    used only when it is a regular file with one link whose content is a lock text (one left
    by a killed process): anything else is refused, never truncated.

    Args:
        path: the lock file.
        kind: ``walk`` or ``short``.
        wait: seconds to wait while another short command holds the lock; a walk holding it
            fails at once.

    Raises:
        LockBusy: another process holds it.
        SafetycheckError: the lock path is a symlink or not a lock file, or cannot be written
            (DiskFullError when the disk is full).
    """
    import stat
    import time

    deadline = time.monotonic() + wait
    while True:
        created = True
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | NOFOLLOW | BINARY, 0o644)
        except FileExistsError:
            created = False
            if path.is_symlink():  # O_NOFOLLOW refuses it too; Windows has no O_NOFOLLOW
                raise SafetycheckError(t("lock.symlink", path=str(path))) from None
            try:
                fd = os.open(path, os.O_RDWR | NOFOLLOW | BINARY)
            except FileNotFoundError:
                continue  # its holder just removed it
            except OSError as exc:
                if exc.errno == errno.ELOOP or path.is_symlink():
                    raise SafetycheckError(t("lock.symlink", path=str(path))) from None
                raise write_error(exc, path) from None
        except OSError as exc:
            raise write_error(exc, path) from None
        st = os.fstat(fd)
        if not created and st.st_nlink == 0 and stat.S_ISREG(st.st_mode):
            os.close(fd)
            continue  # its holder removed it between our open and this look: a new one is made
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            os.close(fd)
            raise SafetycheckError(t("lock.foreign", path=str(path)))
        if not _try_lock(fd):
            pid, holder = _holder(fd)
            os.close(fd)
            if kind == "short" and holder != "walk" and time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            raise LockBusy(pid, holder)
        if sys.platform != "win32":
            # The holder may have removed the file between our open and our lock; then we hold
            # a lock on a file nobody else sees, so start again.
            try:
                same = os.path.samestat(os.fstat(fd), os.lstat(path))
            except OSError:
                same = False
            if not same:
                os.close(fd)
                continue
        try:
            if not created:
                old = _read_head(fd)
                # Empty: created a moment ago by a process that has not locked it yet (or was killed
                # before writing); ours to use. Any other text that is not a lock text is left alone.
                if old is None or (old and not _LOCK_TEXT.fullmatch(old)):
                    _unlock(fd)
                    os.close(fd)
                    raise SafetycheckError(t("lock.foreign", path=str(path)))
                os.ftruncate(fd, 0)  # a lock text a killed process left: ours to reuse
            os.lseek(fd, 0, os.SEEK_SET)
            _write_all(fd, f"{os.getpid()} {kind}\n".encode("ascii"))
        except OSError as exc:
            os.close(fd)
            if created:
                unlink_quietly(path)
            raise write_error(exc, path) from None
        return HeldLock(path, fd, (st.st_dev, st.st_ino))


def _read_head(fd: int) -> str | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 64).decode("ascii")
    except (OSError, UnicodeDecodeError):
        return None


def _holder(fd: int) -> tuple[str, str]:
    """PID and kind named in a lock file another process holds (Windows may refuse the read)."""
    text = _read_head(fd) or ""
    m = _LOCK_TEXT.fullmatch(text)
    if not m or not m.group(1):
        return "?", "?"
    return m.group(1), m.group(2) or "?"


# Windows locks byte ranges and refuses reads of a locked one: lock a byte far past the lock
# text, so another process can still read who holds the lock.
_WIN_LOCK_AT = 1 << 30


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WIN_LOCK_AT, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        try:
            os.lseek(fd, _WIN_LOCK_AT, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)
