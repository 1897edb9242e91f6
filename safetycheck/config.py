"""Agency settings: ``./safetycheck.toml`` over the one in the user's config folder."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safetycheck.errors import SafetycheckError
from safetycheck.messages import t
from safetycheck.models import Person

CONFIG_NAME = "safetycheck.toml"
DIR_ENV = "SAFETYCHECK_CONFIG_DIR"  # overrides the user config folder (tests, portable installs)
DEFAULT_REVIEW_BODY = "本级人民政府"

_AGENCY_KEYS = ("name", "short_name", "review_body")
_INSPECTOR_KEYS = ("name", "cert", "org", "post")


class ConfigError(SafetycheckError):
    """A settings file cannot be read or holds a bad value."""


@dataclass
class Agency:
    """The agency that inspects and issues documents."""

    name: str | None = None
    short_name: str | None = None  # for document numbers: （short_name）应急检记〔2025〕1号
    review_body: str = DEFAULT_REVIEW_BODY  # 复议机关


@dataclass
class Config:
    """The settings in force and where each came from."""

    agency: Agency = field(default_factory=Agency)
    inspectors: list[Person] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)  # files read, lowest precedence first
    origins: dict[str, Path] = field(default_factory=dict)  # "agency.name", "inspectors" -> file


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
        ConfigError: a file is not TOML or holds an unknown key or a bad value.
    """
    config = Config()
    seen: set[Path] = set()
    for path in (user_config_path(env), local_config_path(cwd)):
        try:
            key = path.resolve()
        except OSError:
            key = path
        if key in seen or not path.is_file():
            continue
        seen.add(key)
        _merge(config, path, _read(path))
        config.sources.append(path)
    return config


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ConfigError(t("config.unreadable", path=str(path), error=exc.strerror or exc)) from None
    except UnicodeDecodeError:
        raise ConfigError(t("config.not_toml", path=str(path), error=t("record.not_utf8"))) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(t("config.not_toml", path=str(path), error=str(exc))) from None


def _merge(config: Config, path: Path, data: dict[str, Any]) -> None:
    for key in data:
        if key not in ("agency", "inspectors"):
            raise ConfigError(t("config.unknown_key", path=str(path), key=key, allowed="agency, inspectors"))
    agency = data.get("agency", {})
    if not isinstance(agency, dict):
        raise ConfigError(t("config.bad_value", path=str(path), key="agency", expected=t("type.map")))
    for key, value in agency.items():
        if key not in _AGENCY_KEYS:
            raise ConfigError(t("config.unknown_key", path=str(path), key=f"agency.{key}",
                                allowed=", ".join(_AGENCY_KEYS)))
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(t("config.bad_value", path=str(path), key=f"agency.{key}", expected=t("type.str")))
        setattr(config.agency, key, value.strip())
        config.origins[f"agency.{key}"] = path
    if "inspectors" in data:
        config.inspectors = [_inspector(path, i, row) for i, row in enumerate(_list(path, data["inspectors"]))]
        config.origins["inspectors"] = path


def _list(path: Path, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ConfigError(t("config.bad_value", path=str(path), key="inspectors", expected=t("type.list")))
    return value


def _inspector(path: Path, index: int, row: Any) -> Person:
    where = f"inspectors[{index}]"
    if not isinstance(row, dict):
        raise ConfigError(t("config.bad_value", path=str(path), key=where, expected=t("type.map")))
    values: dict[str, str] = {}
    for key, value in row.items():
        if key not in _INSPECTOR_KEYS:
            raise ConfigError(t("config.unknown_key", path=str(path), key=f"{where}.{key}",
                                allowed=", ".join(_INSPECTOR_KEYS)))
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise ConfigError(t("config.bad_value", path=str(path), key=f"{where}.{key}", expected=t("type.str")))
        if str(value).strip():
            values[key] = str(value).strip()
    if "name" not in values:
        raise ConfigError(t("config.bad_value", path=str(path), key=f"{where}.name", expected=t("type.str")))
    return Person(**values)


def template() -> str:
    """The commented settings file ``config init`` writes."""
    return t("config.template", review_body=DEFAULT_REVIEW_BODY)


def init_config(path: Path) -> Path:
    """Write the commented template at ``path``; never overwrite.

    Raises:
        ConfigError: the file exists or cannot be written.
    """
    if path.exists():
        raise ConfigError(t("config.exists", path=str(path)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as fh:
            fh.write(template())
    except FileExistsError:
        raise ConfigError(t("config.exists", path=str(path))) from None
    except OSError as exc:
        raise ConfigError(t("config.unreadable", path=str(path), error=exc.strerror or exc)) from None
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
    origin = config.origins.get("inspectors")
    lines.append(f"[[inspectors]]    # {origin if origin else default}")
    if not config.inspectors:
        lines.append(f"  {t('config.none')}")
    for person in config.inspectors:
        parts = [person.name] + [f"{k}={getattr(person, k)}" for k in ("cert", "org", "post") if getattr(person, k)]
        lines.append("  - " + ", ".join(parts))
    return "\n".join(lines) + "\n"
