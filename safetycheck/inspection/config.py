"""Agency settings: ``./safetycheck.toml`` over the one in the user's config folder."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safetycheck.catalog.yamlsource import Document, PathKey, pointer
from safetycheck.errors import ChecklistError, Problem, SafetycheckError
from safetycheck.inputfiles import InputFileError, read_input
from safetycheck.inspection.recordmodels import Person
from safetycheck.messages import os_error, t
from safetycheck.text import visible

CONFIG_NAME = "safetycheck.toml"
MAX_CONFIG_BYTES = 1024 * 1024
DIR_ENV = "SAFETYCHECK_CONFIG_DIR"  # overrides the user config folder (tests, portable installs)
DEFAULT_REVIEW_BODY = "本级人民政府"

_AGENCY_KEYS = ("name", "short_name", "review_body")
_SUPERVISION_KEYS = ("name", "short_name", "code")
DEFAULT_SUPERVISION_CODE = "安办督"
_INSPECTOR_KEYS = ("name", "cert", "org", "post")
_STORE_KEYS = ("url", "auto_sync")


class ConfigError(SafetycheckError):
    """A settings file cannot be read or written."""


class ConfigFileError(ChecklistError, ConfigError):
    """A settings file holds problems: every one located as ``FILE:LINE:COL: key.path: message``."""


@dataclass
class Agency:
    """The agency that inspects and issues documents."""

    name: str | None = None
    short_name: str | None = None  # for document numbers: （short_name）应急检记〔2025〕1号
    review_body: str = DEFAULT_REVIEW_BODY  # 复议机关


@dataclass
class Supervision:
    """The office that supervises government bodies and issues 督导反馈意见 (e.g. the county 安委办).

    Why apart from ``[agency]``: the inspecting agency (应急管理局) and the supervising office
    (安委会办公室) are different bodies, each with its own name and numbers.
    """

    name: str | None = None
    short_name: str | None = None  # for document numbers: （short_name）code〔2026〕1号
    code: str = DEFAULT_SUPERVISION_CODE  # 代字 of its 督导反馈意见


@dataclass
class StoreSettings:
    """``[store]``: where records are synced and numbers come from."""

    url: str | None = None  # None: SAFETYCHECK_STORE, else the embedded SQLite file in the user data folder
    auto_sync: bool = True  # sync the record a command wrote


def mask_url(url: str) -> str:
    """A store URL with its password replaced by ``***``: a password is never printed."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    user, _, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{user.split(':', 1)[0]}:***@{host}"))


@dataclass
class Config:
    """The settings in force and where each came from."""

    agency: Agency = field(default_factory=Agency)
    supervision: Supervision = field(default_factory=Supervision)
    inspectors: list[Person] = field(default_factory=list)
    store: StoreSettings = field(default_factory=StoreSettings)
    sources: list[Path] = field(default_factory=list)  # files read, lowest precedence first
    origins: dict[str, Path] = field(default_factory=dict)  # "agency.name", "supervision.code", "inspectors" -> file


def state_dir(env: Mapping[str, str] | None = None) -> Path:
    """The user-level config folder; also where per-user state (document counters) lives.

    ``SAFETYCHECK_CONFIG_DIR`` overrides it. The folder is not created here.
    """
    env = os.environ if env is None else env
    override = env.get(DIR_ENV, "").strip()
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("safetycheck", appauthor=False))


def user_config_path(env: Mapping[str, str] | None = None) -> Path:
    """The user-level settings file."""
    return state_dir(env) / CONFIG_NAME


def local_config_path(cwd: Path | None = None) -> Path:
    """The settings file of the current folder."""
    return (Path.cwd() if cwd is None else cwd) / CONFIG_NAME


def load_config(cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read the user-level settings, then ``./safetycheck.toml`` over them.

    Agency keys override one by one; a local ``[[inspectors]]`` list replaces the user's.

    Returns:
        The settings; defaults when neither file exists.

    Raises:
        ConfigError: a file cannot be read; a ConfigFileError, listing every problem as
            ``FILE:LINE:COL: key.path: message``, when it is not TOML or holds an unknown key
            (with a did-you-mean) or a bad value.
    """
    config = Config()
    seen: set[Path] = set()
    for path in (user_config_path(env), local_config_path(cwd)):
        try:
            key = path.resolve()
        except OSError:
            key = path
        if key in seen or not path.exists():  # anything there but a regular file is refused when read
            continue
        seen.add(key)
        _merge(config, _read(path))
        config.sources.append(path)
    return config


def _read(path: Path) -> Document:
    from safetycheck.catalog.tomlsource import TomlLoadError, parse_toml

    try:
        raw = read_input(path, MAX_CONFIG_BYTES)
    except InputFileError as exc:
        raise ConfigError(t("config.unreadable", path=str(path), error=exc.message.rstrip("。."))) from None
    try:
        return parse_toml(raw, str(path))
    except TomlLoadError as exc:
        raise ConfigFileError([exc.problem]) from None


class _Checker:
    """Collects the located problems of one settings file."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def bad(self, path: PathKey, message: str, *, at_key: bool = False) -> None:
        where = pointer(path)
        self.problems.append(Problem(self.doc.locate(path, key=at_key), f"{where}{t('colon')}{message}", where))

    def keys(self, table: dict[str, Any], path: PathKey, allowed: tuple[str, ...]) -> dict[str, Any]:
        """The known keys of ``table``; each unknown one is a problem, with a did-you-mean."""
        import difflib

        known: dict[str, Any] = {}
        for key, value in table.items():
            if key in allowed:
                known[key] = value
                continue
            near = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = t("check.did_you_mean", name=near[0]) if near else t("check.allowed", names=", ".join(allowed))
            self.bad((*path, key), t("check.unknown_key", key=key) + hint, at_key=True)
        return known

    def text(self, value: Any, path: PathKey, *, numbers: bool = False) -> str | None:
        """A text value (``numbers``: an integer is taken as text, e.g. cert = 1402), stripped."""
        if isinstance(value, str) or (numbers and isinstance(value, int) and not isinstance(value, bool)):
            return str(value).strip()
        self.bad(path, t("check.type", expected=t("type.str"), got=_kind(value)))
        return None

    def table(self, value: Any, path: PathKey) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.bad(path, t("check.type", expected=t("type.map"), got=_kind(value)))
        return None


def _kind(value: Any) -> str:
    """The kind of a TOML value, in the catalogue's words."""
    kinds: list[tuple[type | tuple[type, ...], str]] = [
        (bool, "type.bool"), (int, "type.int"), (float, "record.type_float"), (str, "type.str"),
        (list, "type.list"), (dict, "type.map"), (dt.datetime, "record.type_datetime"), (dt.date, "record.type_date"),
        (dt.time, "record.type_time")]
    return next((t(msg_id) for kind, msg_id in kinds if isinstance(value, kind)), t("type.value"))


def _merge(config: Config, doc: Document) -> None:
    """Apply one settings file over ``config``, or raise every problem it holds."""
    path = Path(doc.path)
    check = _Checker(doc)
    data = check.keys(doc.data, (), ("agency", "supervision", "inspectors", "store"))
    values: dict[str, str] = {}  # "agency.name" -> text
    for section, allowed in (("agency", _AGENCY_KEYS), ("supervision", _SUPERVISION_KEYS)):
        table = check.table(data.get(section, {}), (section,)) or {}
        for key, value in check.keys(table, (section,), allowed).items():
            text = check.text(value, (section, key))
            if text == "":
                check.bad((section, key), t("check.empty_text"))
            elif text is not None:
                values[f"{section}.{key}"] = text
    inspectors: list[Person] | None = None
    if "inspectors" in data:
        rows = data["inspectors"]
        if not isinstance(rows, list):
            check.bad(("inspectors",), t("check.type", expected=t("type.list"), got=_kind(rows)))
        else:
            inspectors = [p for i, row in enumerate(rows) if (p := _inspector(check, i, row)) is not None]
    store = check.table(data.get("store", {}), ("store",)) or {}
    store_values: dict[str, Any] = {}
    for key, value in check.keys(store, ("store",), _STORE_KEYS).items():
        if key == "auto_sync" and not isinstance(value, bool):
            check.bad(("store", key), t("check.type", expected=t("type.bool"), got=_kind(value)))
        elif key == "url" and (text := check.text(value, ("store", key))) is not None:
            store_values[key] = text or None
        elif key == "auto_sync":
            store_values[key] = value
    if check.problems:
        raise ConfigFileError(check.problems)
    for key, value in store_values.items():
        setattr(config.store, key, value)
        config.origins[f"store.{key}"] = path
    for name, text in values.items():
        section, key = name.split(".")
        setattr(config.agency if section == "agency" else config.supervision, key, text)
        config.origins[name] = path
    if inspectors is not None:
        config.inspectors = inspectors
        config.origins["inspectors"] = path


def _inspector(check: _Checker, index: int, row: Any) -> Person | None:
    where: PathKey = ("inspectors", index)
    table = check.table(row, where)
    if table is None:
        return None
    values: dict[str, str] = {}
    for key, value in check.keys(table, where, _INSPECTOR_KEYS).items():
        text = check.text(value, (*where, key), numbers=True)
        if text:
            values[key] = text
    if "name" not in values:
        check.bad((*where, "name"), t("check.missing", key="name"), at_key=True)
        return None
    return Person(**values)


def template() -> str:
    """The commented settings file ``config init`` writes."""
    return t("config.template", review_body=DEFAULT_REVIEW_BODY, code=DEFAULT_SUPERVISION_CODE)


def init_config(path: Path) -> Path:
    """Write the commented template at ``path``; never overwrite.

    Raises:
        ConfigError: the file exists or cannot be written.
    """
    if path.exists() or path.is_symlink():
        raise ConfigError(t("config.exists", path=str(path)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # e.g. a file stands where the folder should be
        raise ConfigError(t("config.unwritable", path=str(path), error=os_error(exc))) from None
    from safetycheck import fileio

    fileio.create_exclusive(path, template().encode("utf-8"), ConfigError(t("config.exists", path=str(path))),
                            "config.unwritable", ConfigError)
    return path


def describe(config: Config, env: Mapping[str, str] | None = None, cwd: Path | None = None) -> str:
    """The settings in force and where each comes from, as ``config show`` prints them."""
    default = t("config.default")
    lines = [t("config.files")]
    for path in (user_config_path(env), local_config_path(cwd)):
        state = t("config.read") if path in config.sources else t("config.absent")
        lines.append(f"  {path}  ({state})")
    lines.append("")
    lines.append("[agency]")
    for key in _AGENCY_KEYS:
        value = getattr(config.agency, key)
        origin = config.origins.get(f"agency.{key}")
        shown = f'"{value}"' if value is not None else t("config.unset")
        lines.append(f"  {key} = {shown}    # {origin if origin else default}")
    lines.append("")
    lines.append("[supervision]")
    for key in _SUPERVISION_KEYS:
        value = getattr(config.supervision, key)
        origin = config.origins.get(f"supervision.{key}")
        shown = f'"{value}"' if value is not None else t("config.unset")
        lines.append(f"  {key} = {shown}    # {origin if origin else default}")
    lines.append("")
    origin = config.origins.get("inspectors")
    lines.append(f"[[inspectors]]    # {origin if origin else default}")
    if not config.inspectors:
        lines.append(f"  {t('config.none')}")
    for person in config.inspectors:
        parts = [person.name] + [f"{k}={getattr(person, k)}" for k in ("cert", "org", "post") if getattr(person, k)]
        lines.append("  - " + ", ".join(parts))
    lines.append("")
    lines.append("[store]")
    env_url = (os.environ if env is None else env).get("SAFETYCHECK_STORE", "").strip()
    url = env_url or config.store.url
    origin = "SAFETYCHECK_STORE" if env_url else config.origins.get("store.url")
    shown_url = f'"{mask_url(url)}"' if url else t("config.store_default")
    lines.append(f"  url = {shown_url}    # {origin if origin else default}")
    origin = config.origins.get("store.auto_sync")
    lines.append(f"  auto_sync = {'true' if config.store.auto_sync else 'false'}    # {origin if origin else default}")
    return "\n".join(visible(line, one_line=True) for line in lines) + "\n"
