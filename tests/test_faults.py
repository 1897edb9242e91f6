"""Filesystem faults: a full disk, read-only folders, symlinked outputs and locks, concurrent commands.

The full disk is a small tmpfs where the test can mount one (root on Linux), otherwise the one
write helper every output goes through raises ENOSPC for files in that folder; one of the two
always runs.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from safetycheck import fileio
from safetycheck.errors import RecordError, SafetycheckError
from safetycheck.inspection import records, session
from safetycheck.resources import builtin_templates
from tests.conftest import default_store_numbers

ROOT = Path(__file__).resolve().parent.parent
RECORDS = Path(__file__).resolve().parent / "data" / "records"
AGENCY = '[agency]\nname = "甲市应急管理局"\nshort_name = "甲应急"\n'
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX locks, symlinks and mounts")


# --- fixtures -------------------------------------------------------------------------------


def _mount(folder: Path, options: str) -> bool:
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


class FullDisk:
    """A folder whose disk is full once ``fill()`` is called."""

    def __init__(self, folder: Path, mounted: bool, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folder = folder
        self.mounted = mounted
        self._monkeypatch = monkeypatch

    def fill(self) -> None:
        if self.mounted:  # write until the tmpfs has no page left
            with (self.folder / ".filler").open("wb", buffering=0) as fh:
                try:
                    while True:
                        fh.write(b"\0" * 4096)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
            return
        real = fileio._os_write
        where = str(self.folder.resolve())

        def write(fd: int, data: object) -> int:
            try:
                name = str(Path(f"/proc/self/fd/{fd}").readlink())
            except OSError:
                name = where  # no /proc: every write through the helper fails
            if name.startswith(where):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(fd, data)  # type: ignore[arg-type]

        self._monkeypatch.setattr(fileio, "_os_write", write)

    def files(self) -> list[str]:
        return sorted(str(p.relative_to(self.folder)) for p in self.folder.rglob("*") if p.name != ".filler")


def _may_mount() -> bool:
    return sys.platform == "linux" and os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.fixture(params=["tmpfs", "patched-write"] if _may_mount() else ["patched-write"])
def full_disk(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FullDisk]:
    folder = tmp_path / "full"
    folder.mkdir()
    mounted = request.param == "tmpfs" and _mount(folder, "size=256k,mode=0777")  # else the patched write
    try:
        yield FullDisk(folder, mounted, monkeypatch)
    finally:
        if mounted:
            _umount(folder)


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A folder nothing can be written in: a read-only tmpfs for root, else mode 0555."""
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "inspect.toml").write_bytes((RECORDS / "inspect.toml").read_bytes())
    if _mount(folder, "size=64k"):
        (folder / "inspect.toml").write_bytes((RECORDS / "inspect.toml").read_bytes())
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        try:
            yield folder
        finally:
            _umount(folder)
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root ignores folder modes and no tmpfs can be mounted here")
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(0o755)


def _copy(folder: Path, name: str = "inspect") -> Path:
    target = folder / f"{name}.toml"
    shutil.copy(RECORDS / f"{name}.toml", target)
    return target


def _one_error_line(result: object, text: str) -> None:
    stderr = result.stderr  # type: ignore[attr-defined]
    assert result.exit_code == 1, stderr  # type: ignore[attr-defined]
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and text in lines[0], stderr
    assert "Traceback" not in stderr


# --- a full disk ----------------------------------------------------------------------------


def test_full_disk_report_keeps_the_old_document_and_leaves_no_fragment(cli, tmp_path, full_disk) -> None:
    rec = _copy(tmp_path)
    old = full_disk.folder / "doc.html"
    old.write_text("<p>old</p>\n", encoding="utf-8")
    full_disk.fill()
    result = cli("report", str(rec), "-o", str(old))
    _one_error_line(result, "磁盘空间不足：")
    assert old.read_text(encoding="utf-8") == "<p>old</p>\n"
    assert full_disk.files() == ["doc.html"]


def test_full_disk_form_leaves_no_empty_file(cli, full_disk) -> None:
    full_disk.fill()
    result = cli("form", "五到位", "-o", str(full_disk.folder / "form.html"))
    _one_error_line(result, "磁盘空间不足：")
    assert full_disk.files() == []


def test_full_disk_config_init_leaves_no_empty_settings_file(cli, full_disk) -> None:
    full_disk.fill()
    result = cli("config", "init", str(full_disk.folder / "safetycheck.toml"))
    _one_error_line(result, "磁盘空间不足：")
    assert full_disk.files() == []


def test_full_disk_templates_export_leaves_no_empty_template(cli, full_disk) -> None:
    full_disk.fill()
    result = cli("templates", "export", str(full_disk.folder / "tpl"))
    _one_error_line(result, "磁盘空间不足：")
    for path in (full_disk.folder / "tpl").iterdir():  # each one whole, or not there
        assert path.read_bytes() == (builtin_templates() / path.name).read_bytes()


def test_full_disk_new_record_from_answers_is_one_line_and_leaves_nothing(cli, tmp_path, full_disk) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("mode: self\nunit: {name: 测试公司}\ninspectors: [{name: 张三, post: 安全员}]\n"
                       "default: pass\n", encoding="utf-8")
    full_disk.fill()
    result = cli("run", "五到位", "--answers", str(answers), "-o", str(full_disk.folder / "r.toml"))
    _one_error_line(result, "磁盘空间不足：")
    assert full_disk.files() == []


def test_full_disk_during_a_walk_keeps_the_last_save_and_acknowledges_nothing(tmp_path, full_disk) -> None:
    from tests.test_session import Clock, Script, make_record

    path = full_disk.folder / "r.toml"
    record = make_record(industry=["商贸"])
    records.write_record(path, record)
    before = path.read_bytes()
    full_disk.fill()
    script = Script("pass")
    with pytest.raises(fileio.DiskFullError, match="磁盘空间不足："):
        session.run_inspection(record, script, session.WalkOptions(
            clock=Clock(), save=lambda r: records.write_record(path, r)))
    assert script.acknowledged == []  # "y → 符合" is never shown for an answer that is not on disk
    assert path.read_bytes() == before
    assert full_disk.files() == ["r.toml"]


def test_full_disk_while_locking_is_one_line(full_disk) -> None:
    path = full_disk.folder / "r.toml"
    path.write_bytes((RECORDS / "in-progress.toml").read_bytes())
    full_disk.fill()
    with pytest.raises(fileio.DiskFullError, match="磁盘空间不足："):
        with records.record_lock(path):
            pass
    assert full_disk.files() == ["r.toml"]


def test_full_disk_while_numbering_is_one_line_and_the_record_keeps_no_number(cli, tmp_path, full_disk,
                                                                               monkeypatch) -> None:
    rec = _copy(tmp_path)
    before = rec.read_bytes()
    (tmp_path / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")
    monkeypatch.setenv("SAFETYCHECK_CONFIG_DIR", str(full_disk.folder / "config"))
    monkeypatch.setenv("SAFETYCHECK_DATA_DIR", str(full_disk.folder / "data"))  # where the default store goes
    (full_disk.folder / "config").mkdir()
    full_disk.fill()
    result = cli("report", str(rec), "--format", "txt", "--issue")
    _one_error_line(result, "磁盘空间不足：")
    assert rec.read_bytes() == before
    assert not list(full_disk.folder.rglob(".*.tmp*"))  # no half-made store left behind


# --- read-only folders ----------------------------------------------------------------------


@POSIX
def test_read_only_folder_report_output_is_one_line(cli, tmp_path, read_only) -> None:
    rec = _copy(tmp_path)
    result = cli("report", str(rec), "-o", str(read_only / "doc.md"))
    _one_error_line(result, "无法写入")
    assert sorted(p.name for p in read_only.iterdir()) == ["inspect.toml"]


@POSIX
def test_read_only_folder_record_cannot_be_numbered_and_is_left(cli, tmp_path, read_only) -> None:
    (tmp_path / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")
    before = (read_only / "inspect.toml").read_bytes()
    result = cli("report", str(read_only / "inspect.toml"), "--format", "txt", "--issue")
    _one_error_line(result, "无法写入")
    assert (read_only / "inspect.toml").read_bytes() == before


@POSIX
def test_read_only_folder_run_refuses_before_asking(cli, tmp_path, read_only) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("mode: self\nunit: {name: 测试公司}\ninspectors: [{name: 张三, post: 安全员}]\n"
                       "default: pass\n", encoding="utf-8")
    result = cli("run", "五到位", "--answers", str(answers), "-o", str(read_only / "r.toml"))
    _one_error_line(result, "无法在文件夹 ro 中写入检查记录")


# --- symlinked locks, records and outputs ---------------------------------------------------


@POSIX
@pytest.mark.parametrize("plant", ["symlink", "hardlink", "foreign"])
def test_a_planted_lock_file_is_refused_and_never_written(tmp_path: Path, plant: str) -> None:
    rec = _copy(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("不能被改写的内容\n", encoding="utf-8")
    lock = records.lock_path(rec)
    if plant == "symlink":
        lock.symlink_to(victim)
    elif plant == "hardlink":
        os.link(victim, lock)
    else:
        lock.write_text("不能被改写的内容\n", encoding="utf-8")
    with pytest.raises(SafetycheckError, match="符号链接" if plant == "symlink" else "不是 safetycheck 的锁文件"):
        with records.record_lock(rec):
            pass
    assert victim.read_text(encoding="utf-8") == "不能被改写的内容\n"
    assert lock.is_symlink() == (plant == "symlink") and lock.read_text(encoding="utf-8") == "不能被改写的内容\n"


@POSIX
def test_report_numbering_refuses_a_symlinked_lock(cli, tmp_path) -> None:
    rec = _copy(tmp_path)
    (tmp_path / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n", encoding="utf-8")
    records.lock_path(rec).symlink_to(victim)
    result = cli("report", str(rec), "--format", "txt", "--issue")
    _one_error_line(result, "符号链接")
    assert victim.read_text(encoding="utf-8") == "keep\n"


@POSIX
def test_a_lock_file_a_killed_process_left_is_reused_and_names_the_new_holder(tmp_path: Path) -> None:
    rec = _copy(tmp_path)
    lock = records.lock_path(rec)
    lock.write_text("99999 walk\n", encoding="ascii")
    with records.record_lock(rec, "short"):
        assert lock.read_text(encoding="ascii") == f"{os.getpid()} short\n"
    assert not lock.exists()


@POSIX
def test_a_removed_lock_file_stops_the_first_writer_before_it_overwrites_the_second(tmp_path: Path) -> None:
    rec = _copy(tmp_path, "in-progress")
    with records.record_lock(rec) as first:
        records.lock_path(rec).unlink()  # someone deletes the lock file while a walk runs
        with records.record_lock(rec) as second:
            second.check()
            with pytest.raises(RecordError, match="已被删除或替换"):
                first.check()
        assert not records.lock_path(rec).exists()
        third = records.record_lock(rec)
        with third:
            pass
    # releasing the first lock must not remove a lock file that is not its own
    with records.record_lock(rec) as fourth:
        lock_text = records.lock_path(rec).read_text(encoding="ascii")
        assert lock_text == f"{os.getpid()} walk\n"
        fourth.check()


@POSIX
def test_editing_a_symlinked_record_is_refused_and_both_files_are_kept(cli, tmp_path) -> None:
    target = _copy(tmp_path)
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    before = target.read_bytes()
    (tmp_path / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")
    result = cli("report", str(link), "--format", "txt", "--issue")
    _one_error_line(result, "符号链接")
    assert link.is_symlink() and target.read_bytes() == before
    with pytest.raises(RecordError, match="符号链接"):
        with records.record_lock(link):
            pass
    assert cli("report", str(link), "--format", "txt", "--doc", "hazards").exit_code == 0  # reading is fine


@POSIX
@pytest.mark.parametrize("command", ["report", "form"])
def test_an_output_that_is_a_symlink_is_replaced_not_written_through(cli, tmp_path, command: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n", encoding="utf-8")
    out = tmp_path / "out.md"
    out.symlink_to(victim)
    args = ["report", str(_copy(tmp_path))] if command == "report" else ["form", "五到位"]
    result = cli(*args, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == "keep\n"
    text = out.read_text(encoding="utf-8")
    assert not out.is_symlink() and text.startswith(("#", "> **草稿**")) and "\n# " in "\n" + text


@POSIX
def test_templates_export_replaces_a_symlinked_template_and_config_init_refuses_a_link(cli, tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n", encoding="utf-8")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "base.md.j2").symlink_to(victim)
    assert cli("templates", "export", "tpl", "--force").exit_code == 0
    assert victim.read_text(encoding="utf-8") == "keep\n"
    assert (tmp_path / "tpl" / "base.md.j2").read_bytes() == (builtin_templates() / "base.md.j2").read_bytes()
    (tmp_path / "dangling.toml").symlink_to(tmp_path / "elsewhere.toml")
    result = cli("config", "init", "dangling.toml")
    _one_error_line(result, "已存在")
    assert not (tmp_path / "elsewhere.toml").exists()


# --- document-number counters ---------------------------------------------------------------


@pytest.mark.parametrize(("value", "expect"), [
    (str(2**70), "不是 0 到 9223372036854775807 之间的整数"),
    ("-1", "不是 0 到 9223372036854775807 之间的整数"),
    ("[1, 2]", "不是 0 到 9223372036854775807 之间的整数"),
    ('"12"', "不是 0 到 9223372036854775807 之间的整数"),
    ("true", "不是 0 到 9223372036854775807 之间的整数"),
])
def test_counters_outside_64_bits_or_of_the_wrong_type_are_refused(cli, tmp_path, value: str, expect: str) -> None:
    rec = _copy(tmp_path)
    before = rec.read_bytes()
    (tmp_path / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")
    (tmp_path / "config").mkdir()
    counter = tmp_path / "config" / "document-numbers.toml"
    counter.write_text(f'[counters."甲市应急管理局"."应急检记"]\n2026 = {value}\n', encoding="utf-8")
    result = cli("report", str(rec), "--format", "txt", "--issue")
    _one_error_line(result, expect)
    assert "counters.甲市应急管理局.应急检记.2026" in result.stderr
    assert rec.read_bytes() == before


def test_a_counter_at_the_64_bit_limit_is_refused_rather_than_overflowing(cli, tmp_path) -> None:
    rec = _copy(tmp_path)
    (tmp_path / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")
    (tmp_path / "config").mkdir()
    counter = tmp_path / "config" / "document-numbers.toml"
    counter.write_text(f'[counters."甲市应急管理局"."应急检记"]\n2026 = {2**63 - 1}\n', encoding="utf-8")
    _one_error_line(cli("report", str(rec), "--format", "txt", "--issue"), "9223372036854775807")


def test_a_number_taken_by_a_report_that_then_fails_is_recorded_as_voided(cli, tmp_path, monkeypatch) -> None:
    rec = _copy(tmp_path)
    before = rec.read_bytes()
    (tmp_path / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")
    real = fileio._os_write

    def write(fd: int, data: object) -> int:  # the record's own save hits a full disk; the counter does not
        name = str(Path(f"/proc/self/fd/{fd}").readlink())
        if name.startswith(str(tmp_path / ".inspect.toml.")) and name.endswith(".tmp"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)  # type: ignore[arg-type]

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell the record's file from the counter's")
    monkeypatch.setattr(fileio, "_os_write", write)
    _one_error_line(cli("report", str(rec), "--format", "txt", "--issue"), "磁盘空间不足：")
    assert rec.read_bytes() == before
    (voided,) = default_store_numbers()  # numbers come from the default embedded store
    assert (voided["agency"], voided["code"], voided["year"]) == ("甲市应急管理局", "应急检记", 2026)
    assert voided["seq"] == 1 and voided["status"] == "voided"
    assert voided["record"] == str(rec) and "磁盘空间不足" in str(voided["reason"])
    assert not (tmp_path / "config" / "document-numbers.toml").exists()
    monkeypatch.setattr(fileio, "_os_write", real)
    result = cli("report", str(rec), "--format", "txt", "--issue")  # the next report takes the next number
    assert result.exit_code == 0 and "（甲应急）应急检记〔2026〕2号" in result.stdout


# --- concurrent commands --------------------------------------------------------------------


def _hold(path: Path, kind: str, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from pathlib import Path
        from safetycheck.inspection import records
        with records.record_lock(Path({str(path)!r}), {kind!r}):
            print("locked", flush=True)
            time.sleep({seconds})
    """)], stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


@POSIX
def test_report_fails_at_once_naming_the_pid_while_a_walk_holds_the_record(cli, tmp_path) -> None:
    rec = _copy(tmp_path)
    (tmp_path / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")
    holder = _hold(rec, "walk", 60)
    try:
        start = time.monotonic()
        result = cli("report", str(rec), "--format", "txt", "--issue")
        assert time.monotonic() - start < 5
        _one_error_line(result, f"pid {holder.pid}，现场检查")
    finally:
        holder.kill()
        holder.wait()


@POSIX
def test_report_waits_for_another_short_holder(cli, tmp_path) -> None:
    rec = _copy(tmp_path)
    (tmp_path / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")
    holder = _hold(rec, "short", 1.5)
    try:
        result = cli("report", str(rec), "--format", "txt", "--issue")
        assert result.exit_code == 0, result.stderr
        assert "（甲应急）应急检记〔2026〕1号" in result.stdout
    finally:
        holder.kill()
        holder.wait()


@POSIX
def test_four_concurrent_reports_over_the_same_records_all_succeed_with_one_number_each(tmp_path) -> None:
    recs = [_copy(tmp_path, name) for name in ("inspect",)]
    for n in range(2, 4):
        copy = tmp_path / f"inspect{n}.toml"
        copy.write_bytes(recs[0].read_bytes())
        recs.append(copy)
    (tmp_path / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SAFETYCHECK_")}, "PYTHONPATH": str(ROOT),
           "SAFETYCHECK_CONFIG_DIR": str(tmp_path / "config"), "SAFETYCHECK_NO_CACHE": "1"}
    procs = [subprocess.Popen([sys.executable, "-m", "safetycheck", "report", *map(str, recs), "--format", "json",
                              "--issue",
                               "-o", str(tmp_path / f"out{k}")], cwd=tmp_path, env=env, stderr=subprocess.PIPE,
                              text=True) for k in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    from safetycheck.lifecycle.files import load_record
    from safetycheck.lifecycle.issuing import issues

    numbers = sorted(issues(load_record(r)[0])["inspection-record"].number for r in recs)
    assert numbers == [f"（甲应急）应急检记〔2026〕{n}号" for n in (1, 2, 3)]
    assert [(r["seq"], r["status"]) for r in default_store_numbers()] == [(1, "issued"), (2, "issued"), (3, "issued")]


def test_report_numbering_keeps_a_half_written_temporary_copy_and_says_so(cli, tmp_path) -> None:
    """Report numbers only complete records, and a complete record has every answer, so no temporary
    copy can add one: an identical copy is removed, a half-written one kept as an orphan and named."""
    from safetycheck.inspection.records import parse_record, record_to_toml

    rec = _copy(tmp_path)
    (tmp_path / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")
    full = parse_record(rec.read_bytes(), "r")
    rec.write_bytes(record_to_toml(full))
    (tmp_path / ".inspect.toml.4242-0.tmp").write_bytes(record_to_toml(full))  # killed before its rename
    (tmp_path / ".inspect.toml.4242-1.tmp").write_bytes(b"half")
    result = cli("report", str(rec), "--format", "txt", "--issue")
    assert result.exit_code == 0, result.stderr
    assert ".inspect.toml.4242-1.orphan" in result.stderr
    assert len(records.read_record(rec).responses) == len(full.responses)
    assert not (tmp_path / ".inspect.toml.4242-0.tmp").exists()
    assert (tmp_path / ".inspect.toml.4242-1.orphan").read_bytes() == b"half"


def test_without_hard_links_a_new_file_is_still_whole_or_absent(tmp_path, monkeypatch) -> None:
    """Where the file system has no hard links (FAT, some shares), the name is reserved, then replaced."""
    def no_link(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "no hard links here")

    monkeypatch.setattr(fileio.os, "link", no_link)
    target = tmp_path / "new.toml"
    fileio.create_exclusive(target, b"whole\n", SafetycheckError("exists"))
    assert target.read_bytes() == b"whole\n"
    with pytest.raises(SafetycheckError, match="exists"):
        fileio.create_exclusive(target, b"other\n", SafetycheckError("exists"))
    assert target.read_bytes() == b"whole\n"

    def failing_replace(self: Path, other: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(fileio.DiskFullError):
        fileio.create_exclusive(tmp_path / "second.toml", b"x", SafetycheckError("exists"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.toml"]  # no 0-byte file, no temporary file


@POSIX
def test_a_counter_file_that_is_a_fifo_is_refused_at_once_not_waited_on(cli, tmp_path) -> None:
    import time

    rec = _copy(tmp_path)
    (tmp_path / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")
    (tmp_path / "config").mkdir(exist_ok=True)
    os.mkfifo(tmp_path / "config" / "document-numbers.toml")
    started = time.monotonic()
    result = cli("report", str(rec), "--format", "txt", "--issue")
    assert time.monotonic() - started < 20
    _one_error_line(result, "命名管道")
