"""Chinese for the option parser's own words: usage errors, help headings, help wrapping.

Why: Typer prints its parser's messages ("No such option", "Usage:", "Show this message and
exit.") in English, and wraps help by characters, so Chinese help ran twice too wide. Typer's
parser is a vendored Click (reached through ``typerclick``) whose functions look these up at
call time, so they are replaced here, once, before the app runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from safetycheck.messages import get_lang, t

_WORDS = {
    "Options": "选项",
    "Commands": "命令",
    "Arguments": "参数",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "Missing command.": "缺少命令。",
}

_NO_OPTION = re.compile(r"^No such option: (\S+?)(?: \(Possible options: (.+)\)| Did you mean (\S+?)\?)?$")
_NO_COMMAND = re.compile(r"^No such command '(.+?)'\.(?: Did you mean (.+)\?)?$")

_ERRORS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Missing argument '(.+)'\.$"), "parser.missing_argument"),
    (re.compile(r"^Missing option '(.+)'\.$"), "parser.missing_option"),
    (re.compile(r"^Got unexpected extra arguments? \((.+)\)$"), "parser.extra_argument"),
    (re.compile(r"^Missing command\.$"), "parser.missing_command"),
    (re.compile(r"^Option '(.+)' requires an argument\.$"), "parser.needs_value"),
    (re.compile(r"^Option '(.+)' does not take a value\.$"), "parser.no_value"),
    (re.compile(r"^Invalid value for (.+?): (.+)$"), "parser.invalid_value"),
]


def translate_error(message: str) -> str:
    """A parser error message in the interface language, did-you-mean included.

    Why: Typer appends "Did you mean 'report'?" to its message, so the whole sentence is
    parsed and rebuilt in one language; messages not known here pass through unchanged.
    """
    match = _NO_COMMAND.match(message.strip())
    if match:
        text = t("parser.no_command", a0=match.group(1))
        names = re.findall(r"'([^']+)'", match.group(2) or "")
        return text + (t("parser.did_you_mean_command", names=t("parser.or").join(names)) if names else "")
    match = _NO_OPTION.match(message.strip())
    if match:
        names = [n.strip() for n in (match.group(2) or match.group(3) or "").split(",") if n.strip()]
        text = t("parser.no_option", a0=match.group(1))
        return text + (t("parser.did_you_mean_option", names=t("parser.or_plain").join(names)) if names else "")
    for pattern, msg_id in _ERRORS:
        match = pattern.match(message.strip())
        if match:
            groups = [g for g in match.groups() if g]
            return t(msg_id, **{f"a{i}": g for i, g in enumerate(groups)}) if groups else t(msg_id)
    return message


def localise_parser() -> None:
    """Switch the parser's headings, help-option text and help wrapping to Chinese."""
    if get_lang() == "en":
        return
    import typer.core as typer_core

    from safetycheck.typerclick import decorators, formatting

    typer_core._ = lambda text: _WORDS.get(text, text)  # type: ignore[attr-defined,assignment]

    original_usage: Callable[..., Any] = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> Any:
        return original_usage(self, prog, args, t("parser.usage") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]

    def write_heading(self: Any, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    formatting.HelpFormatter.write_heading = write_heading  # type: ignore[method-assign]

    original_help = decorators.help_option

    def help_option(param_decls: list[str]) -> Callable[[Any], Any]:
        add = original_help(param_decls)

        def decorator(command: Any) -> Any:
            result = add(command)
            command.params[-1].help = t("parser.help_option")
            return result

        return decorator

    decorators.help_option = help_option

    original_wrap: Callable[..., str] = formatting.wrap_text

    def wrap_text(text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "",
                  preserve_paragraphs: bool = False) -> str:
        if not re.search(r"[\u3000-\u9fff\uff00-\uffef]", text):
            return original_wrap(text, width, initial_indent, subsequent_indent, preserve_paragraphs)
        from safetycheck.layout import wrap_text as wrap_wide

        paragraphs = re.split(r"\n\s*\n", text) if preserve_paragraphs else [text]
        lines = []
        for paragraph in paragraphs:
            if paragraph.startswith("\b\n"):  # Click's mark for a paragraph kept as written
                lines.append("\n".join(initial_indent + line for line in paragraph[2:].splitlines()))
            else:
                lines.append(wrap_wide(paragraph.replace("\n", " "), width, initial_indent, subsequent_indent,
                                       phrases=False))
        return "\n\n".join(lines)

    formatting.wrap_text = wrap_text
