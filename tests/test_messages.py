"""The message catalogue: every message formats, in both languages, and English has no Chinese."""

from __future__ import annotations

import re
import string

import pytest

from safetycheck.messages import MESSAGES, set_lang, t


@pytest.mark.parametrize("msg_id", sorted(MESSAGES))
def test_message_formats_in_both_languages(msg_id: str) -> None:
    for lang in ("zh", "en"):
        set_lang(lang)
        text = MESSAGES[msg_id][0 if lang == "zh" else 1]
        names = {f[1] for f in string.Formatter().parse(text) if f[1]}
        out = t(msg_id, **{n: "X" for n in names})
        assert out.strip() or not MESSAGES[msg_id][0].strip()  # only layout entries (indents) may be blank


def test_english_messages_have_no_chinese() -> None:
    cjk = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
    assert [k for k, (_, en) in MESSAGES.items() if cjk.search(en)] == []


def test_placeholders_match_between_languages() -> None:
    def names(text: str) -> set[str]:
        return {f[1] for f in string.Formatter().parse(text) if f[1]}

    assert [k for k, (zh, en) in MESSAGES.items() if names(zh) != names(en)] == []


def test_os_errors_speak_the_interface_language() -> None:
    import errno

    from safetycheck import messages

    denied = PermissionError(errno.EACCES, "Permission denied", "x.toml")
    messages.set_lang("zh")
    assert messages.os_error(denied) == "没有权限"
    assert messages.os_error(FileNotFoundError(errno.ENOENT, "No such file or directory")) == "没有这个文件或文件夹"
    assert messages.os_error(OSError(errno.EBUSY, "Device or resource busy")) == "系统错误 EBUSY"
    messages.set_lang("en")
    assert messages.os_error(denied) == "permission denied"
    assert messages.os_error(OSError(errno.EBUSY, "Device or resource busy")) == "Device or resource busy"
