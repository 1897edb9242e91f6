"""Agency settings: user file, local override, template, errors, ``config init|show``."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from safetycheck.inspection import config
from safetycheck.messages import set_lang
from tests.conftest import run_cli


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[dict[str, str], Path]:
    user = tmp_path / "user"
    work = tmp_path / "work"
    work.mkdir()
    return {config.DIR_ENV: str(user)}, work


def test_defaults_when_no_file_exists(dirs: tuple[dict[str, str], Path]) -> None:
    env, work = dirs
    cfg = config.load_config(cwd=work, env=env)
    assert (cfg.agency.name, cfg.agency.short_name, cfg.agency.review_body) == (None, None, "本级人民政府")
    assert cfg.inspectors == [] and cfg.sources == []


def test_local_file_overrides_the_user_file_key_by_key(dirs: tuple[dict[str, str], Path]) -> None:
    env, work = dirs
    user = write(Path(env[config.DIR_ENV]) / "safetycheck.toml", """
[agency]
name = "甲县应急管理局"
short_name = "甲应急"

[[inspectors]]
name = "张三"
cert = "1"
org = "甲县应急管理局"
""")
    local = write(work / "safetycheck.toml", """
[agency]
short_name = "乙应急"
review_body = "甲县人民政府"

[[inspectors]]
name = "李四"
cert = 1402
""")
    cfg = config.load_config(cwd=work, env=env)
    assert cfg.agency.name == "甲县应急管理局"
    assert cfg.agency.short_name == "乙应急"
    assert cfg.agency.review_body == "甲县人民政府"
    assert [(p.name, p.cert, p.org) for p in cfg.inspectors] == [("李四", "1402", None)]
    assert cfg.sources == [user, local]
    assert cfg.origins["agency.name"] == user and cfg.origins["agency.short_name"] == local
    assert config.state_dir(env) == Path(env[config.DIR_ENV])


@pytest.mark.parametrize(("text", "expect"), [
    ("[agency\n", "TOML"),
    ("[agency]\nnmae = 'x'\n", "agency.nmae"),
    ("[agency]\nname = 3\n", "agency.name"),
    ("[[inspectors]]\ncert = '1'\n", "inspectors[0].name"),
    ("[[inspectors]]\nname = 'a'\nrank = 1\n", "inspectors[0].rank"),
    ("colour = 'red'\n", "colour"),
])
def test_bad_settings_name_the_file_and_key(dirs: tuple[dict[str, str], Path], text: str, expect: str) -> None:
    env, work = dirs
    path = write(work / "safetycheck.toml", text)
    with pytest.raises(config.ConfigError) as err:
        config.load_config(cwd=work, env=env)
    assert expect in str(err.value) and str(path) in str(err.value)


def test_every_problem_of_a_settings_file_is_located_with_a_did_you_mean(dirs: tuple[dict[str, str], Path]) -> None:
    env, work = dirs
    path = write(work / "safetycheck.toml", """\
foo = 1

[agency]
nmae = "甲县应急管理局"
short_name = 3

[[inspectors]]
name = "张三"

[[inspectors]]
cert = "1402"
""")
    with pytest.raises(config.ConfigFileError) as err:
        config.load_config(cwd=work, env=env)
    assert [f"{p.location}: {p.message}" for p in err.value.problems] == [
        f"{path}:1:1: foo：未知的键“foo”。允许的键：agency, supervision, inspectors, store。",
        f"{path}:4:1: agency.nmae：未知的键“nmae”。是不是“name”？",
        f"{path}:5:14: agency.short_name：应为文本，实际是整数。",
        f"{path}:10:1: inspectors[1].name：缺少必填字段“name”。",
    ]


def test_a_toml_date_error_in_settings_names_its_key_and_line(dirs: tuple[dict[str, str], Path]) -> None:
    env, work = dirs
    path = write(work / "safetycheck.toml", '[agency]\nname = "甲"\n\n[[inspectors]]\nname = 2025-02-30\n')
    with pytest.raises(config.ConfigError) as err:
        config.load_config(cwd=work, env=env)
    assert str(err.value) == (f"{path}:5:8: inspectors[0].name：TOML 语法错误：不是有效的日期或时间"
                              "（日期写成 YYYY-MM-DD，时间写成 YYYY-MM-DDTHH:MM:SS+08:00）。")


def test_config_init_that_cannot_write_says_so_with_the_path(tmp_path: Path) -> None:
    blocker = write(tmp_path / "not-a-folder", "a file where the config folder should be")
    proc = run_cli("config", "init", "--user", cwd=tmp_path, env={config.DIR_ENV: str(blocker)})
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"safetycheck: 错误: 无法写入配置文件 {blocker / 'safetycheck.toml'}：")
    assert blocker.read_text(encoding="utf-8") == "a file where the config folder should be"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_is_valid_toml_and_loads_as_defaults(dirs: tuple[dict[str, str], Path], lang: str) -> None:
    env, work = dirs
    set_lang(lang)
    path = config.init_config(work / "safetycheck.toml")
    text = path.read_text(encoding="utf-8")
    assert "short_name" in text and "review_body" in text and "[[inspectors]]" in text
    assert tomllib.loads(text) == {"agency": {}, "supervision": {}}
    assert "code" in text  # the supervising office's numbering
    assert config.load_config(cwd=work, env=env).agency.review_body == "本级人民政府"
    with pytest.raises(config.ConfigError):
        config.init_config(path)  # never overwritten


def test_config_commands(tmp_path: Path) -> None:
    env = {config.DIR_ENV: str(tmp_path / "user")}
    made = run_cli("config", "init", cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "safetycheck.toml").is_file()
    again = run_cli("config", "init", cwd=tmp_path, env=env)
    assert again.returncode == 1 and "safetycheck.toml" in again.stderr
    user = run_cli("config", "init", "--user", cwd=tmp_path, env=env)
    assert user.returncode == 0 and (tmp_path / "user" / "safetycheck.toml").is_file()
    write(tmp_path / "safetycheck.toml", '[agency]\nname = "丙局"\n[[inspectors]]\nname = "王五"\ncert = "9"\n')
    shown = run_cli("--lang", "en", "config", "show", cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    local = str(tmp_path / "safetycheck.toml")
    assert any('name = "丙局"' in ln and local in ln for ln in lines)
    assert any("review_body" in ln and "default" in ln for ln in lines)
    assert any("王五" in ln and "cert=9" in ln for ln in lines)
