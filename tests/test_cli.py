"""The read-only commands as a user runs them: list, show, validate, schema, --version."""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from safetycheck import __version__

CHECKLIST = """\
id: {id}
title: {title}
aliases: [{alias}]
version: "1.0"
audience: [企业]
summary: 测试用清单。
sections:
  - id: s1
    title: 第一部分
    items:
      - id: a-01
        text: 是否制定全员安全生产责任制？
        standard: 以正式文件印发的全员安全生产责任制，覆盖每个岗位。
        method: [查资料]
        basis:
          - {{doc: 晋政发〔2024〕1号, clause: "(四)"}}
          - {{law: 安全生产法, article: 22}}
      - id: a-02
        text: 是否每年考核全员安全生产责任制落实情况？
        standard: 近一年的考核记录，逐岗位打分并有签字。
        method: [查资料, 问询]
        basis:
          - {{doc: 晋政发〔2024〕1号, clause: "(四)"}}
        major_possible: true
"""


def write_checklist(folder: Path, cid: str, title: str, alias: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{cid}.yaml"
    path.write_text(CHECKLIST.format(id=cid, title=title, alias=alias), encoding="utf-8")
    return path


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    write_checklist(folder, "zeren-test", "全员责任测试", "责任测试")
    write_checklist(folder, "zeren-extra", "全员责任补充", "补充测试")
    return folder


def list_json(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> list[dict[str, object]]:
    result = run_cli("list", "--format", "json", *args, cwd=cwd, env=env)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


def test_version_answers_without_loading_the_cli() -> None:
    result = run_cli("--version")
    assert (result.returncode, result.stdout) == (0, f"safetycheck {__version__}\n")


def test_help_lists_commands_in_chinese_and_english() -> None:
    zh = run_cli("--help")
    assert zh.returncode == 0
    for command in ("list", "show", "validate", "schema"):
        assert command in zh.stdout
    assert "检查清单" in zh.stdout
    en = run_cli("--lang", "en", "--help")
    assert en.returncode == 0
    assert not re.search(r"[\u4e00-\u9fff]", en.stdout)


def test_list_json_fields_and_user_checklists(user_dir: Path, tmp_path: Path) -> None:
    rows = list_json("--checklists", str(user_dir), cwd=tmp_path)
    mine = {r["id"]: r for r in rows if r["origin"] == "--checklists"}
    assert set(mine) == {"zeren-test", "zeren-extra"}
    row = mine["zeren-test"]
    assert row["kind"] == "checklist"
    assert row["title"] == "全员责任测试"
    assert row["aliases"] == ["责任测试"]
    assert row["audience"] == ["企业"]
    assert row["items"] == 2
    assert row["path"] == str((user_dir / "zeren-test.yaml").resolve())


def test_precedence_option_over_env_over_local_over_builtin(tmp_path: Path) -> None:
    opt, env_dir, local = tmp_path / "opt", tmp_path / "env", tmp_path / "work" / "checklists"
    for folder, title in ((opt, "选项版"), (env_dir, "环境变量版"), (local, "当前目录版")):
        write_checklist(folder, "same-id", title, f"别名{title}")
    cwd = tmp_path / "work"
    env = {"SAFETYCHECK_PATH": str(env_dir)}
    assert {r["id"]: r["title"] for r in list_json("--checklists", str(opt), cwd=cwd, env=env)}["same-id"] == "选项版"
    assert {r["id"]: r["title"] for r in list_json(cwd=cwd, env=env)}["same-id"] == "环境变量版"
    assert {r["id"]: r["title"] for r in list_json(cwd=cwd)}["same-id"] == "当前目录版"


def test_user_checklist_overrides_builtin_and_list_says_so(tmp_path: Path) -> None:
    builtin = {r["id"]: r for r in list_json(cwd=tmp_path)}
    assert builtin["wudaowei"]["origin"] == "builtin"
    target = "wudaowei"
    write_checklist(tmp_path / "mine", target, "我的版本", "我的别名")
    rows = {r["id"]: r for r in list_json("--checklists", str(tmp_path / "mine"), cwd=tmp_path)}
    assert rows[target]["title"] == "我的版本"
    assert rows[target]["overrides_builtin"] is True
    table = run_cli("list", "--checklists", str(tmp_path / "mine"), cwd=tmp_path, env={"COLUMNS": "200"})
    assert "覆盖内置" in table.stdout


@pytest.mark.parametrize("name", ["zeren-test", "责任测试", "全员责任测试", "zeren-t"])
def test_show_accepts_id_alias_title_and_unique_prefix(user_dir: Path, name: str) -> None:
    result = run_cli("show", name, "--format", "json", "--checklists", str(user_dir))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == "zeren-test"
    item = data["sections"][0]["items"][1]
    assert {k: item[k] for k in ("id", "major_possible", "verified", "method")} == {
        "id": "a-02", "major_possible": True, "verified": True, "method": ["查资料", "问询"]}
    assert item["basis"] == [{"doc": "晋政发〔2024〕1号", "clause": "(四)"}]
    assert item["standard"].startswith("近一年")


def test_ambiguous_prefix_and_unknown_name_exit_2_listing_candidates(user_dir: Path) -> None:
    ambiguous = run_cli("show", "zeren-", "--checklists", str(user_dir))
    assert ambiguous.returncode == 2
    assert "zeren-test" in ambiguous.stderr and "zeren-extra" in ambiguous.stderr
    assert "Traceback" not in ambiguous.stderr
    unknown = run_cli("show", "no-such-list", "--checklists", str(user_dir))
    assert unknown.returncode == 2
    assert "找不到" in unknown.stderr and "zeren-" in unknown.stderr


def test_show_tree_in_a_60_column_terminal_under_lang_c(user_dir: Path) -> None:
    result = run_cli("show", "zeren-test", "--checklists", str(user_dir),
                     env={"COLUMNS": "60", "LANG": "C", "LC_ALL": "C"})
    assert result.returncode == 0, result.stderr
    from safetycheck.text import display_width

    assert max(display_width(line) for line in result.stdout.splitlines()) <= 60
    assert "是否每年考核" in result.stdout
    assert "《安全生产法》第二十二条" in result.stdout


def test_list_table_aligns_cjk_columns(user_dir: Path) -> None:
    result = run_cli("list", "--checklists", str(user_dir), env={"COLUMNS": "160"})
    assert result.returncode == 0
    from safetycheck.text import display_width

    lines = [ln for ln in result.stdout.splitlines() if ln.startswith(("zeren-test", "zeren-extra"))]
    assert len(lines) == 2
    cols = {display_width(ln[: ln.index("企业")]) for ln in lines}
    assert len(cols) == 1  # the audience column starts at the same display column on every row


def test_english_output_has_no_chinese_but_data(user_dir: Path) -> None:
    result = run_cli("--lang", "en", "show", "nothing-here", "--checklists", str(user_dir))
    assert result.returncode == 2
    message = result.stderr.split("Candidates:")[0]
    assert not re.search(r"[\u4e00-\u9fff]", message)
    env_en = run_cli("validate", "--checklists", str(user_dir), env={"SAFETYCHECK_LANG": "en"})
    assert not re.search(r"[\u4e00-\u9fff]", env_en.stderr)


def test_validate_exit_codes_and_formats(tmp_path: Path, user_dir: Path) -> None:
    ok = run_cli("validate", str(user_dir / "zeren-test.yaml"))
    assert ok.returncode == 0 and ok.stdout == ""
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: 标题\n", encoding="utf-8")
    text = run_cli("validate", "bad.yaml", cwd=tmp_path)
    assert text.returncode == 1
    assert text.stdout.splitlines()[0].startswith("bad.yaml:1:1: 错误: ")
    as_json = run_cli("validate", "bad.yaml", "--format", "json", cwd=tmp_path)
    rows = json.loads(as_json.stdout)
    assert {r["message"].split("“")[1].split("”")[0] for r in rows} == {"version", "audience", "summary", "sections"}
    assert all({"path", "line", "column", "message"} <= set(r) for r in rows)
    github = run_cli("validate", "bad.yaml", "--format", "github", cwd=tmp_path)
    assert github.stdout.startswith("::error file=bad.yaml,line=1,col=1::")


def test_validate_without_paths_covers_user_folders(tmp_path: Path, user_dir: Path) -> None:
    (user_dir / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    result = run_cli("validate", "--checklists", str(user_dir), cwd=tmp_path)
    assert result.returncode == 1
    assert any("broken.yaml:1:1" in line for line in result.stdout.splitlines())


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_cli("frobnicate").returncode == 2
    assert run_cli("list", "--bogus").returncode == 2
    bad_format = run_cli("list", "--format", "xml")
    assert bad_format.returncode == 2 and "xml" in bad_format.stderr


def test_schema_is_draft_2020_12_generated_from_models() -> None:
    result = run_cli("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    item = schema["$defs"]["Item"]
    assert set(item["required"]) == {"id", "text", "standard", "method", "basis"}
    assert set(item["properties"]["method"]["items"]["enum"]) == {"查资料", "看现场", "问询", "抽考"}
    assert item["additionalProperties"] is False


def test_schema_validates_checklists_with_a_json_schema_validator(user_dir: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads(run_cli("schema").stdout)
    data = yaml.safe_load((user_dir / "zeren-test.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    data["sections"][0]["items"][0]["method"] = ["检查"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def _walk_properties(node: object, path: str = ""):
    """Every (path, property schema) under any ``properties`` of a schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for name, prop in value.items():
                    yield f"{path}.{name}", prop
                    yield from _walk_properties(prop, f"{path}.{name}")
            elif key != "examples":
                yield from _walk_properties(value, path if key in ("anyOf", "items") else f"{path}/{key}")
    elif isinstance(node, list):
        for value in node:
            yield from _walk_properties(value, path)


@pytest.mark.parametrize("kind", ["checklist", "profile", "sources"])
def test_schema_describes_every_property_in_chinese_then_english(kind: str) -> None:
    schema = json.loads(run_cli("schema", "--kind", kind).stdout)
    props = list(_walk_properties(schema))
    assert len(props) > 8
    for path, prop in props:
        zh, sep, en = prop.get("description", "").partition(" / ")
        assert sep and re.search(r"[\u4e00-\u9fff]", zh) and re.match(r"[A-Z][a-z]*\b", en), (path, prop)
    for name, definition in schema["$defs"].items():
        assert "description" in definition and definition["examples"], name
        assert "msgspec" not in definition["description"]


def test_schema_closed_vocabularies_and_the_builtin_registry_only(tmp_path: Path) -> None:
    from safetycheck.catalog.models import INDUSTRIES

    schema = json.loads(run_cli("schema").stdout)
    defs = schema["$defs"]
    item = defs["Item"]["properties"]
    when = next(alt for alt in item["when"]["anyOf"] if alt.get("type") == "object")
    assert when["properties"]["industry"]["items"]["enum"] == list(INDUSTRIES) and len(INDUSTRIES) == 27
    assert when["properties"]["mode"]["items"]["enum"] == ["inspect", "self", "supervise"]
    assert when["additionalProperties"] is False
    assert set(defs["Checklist"]["properties"]["status"]["enum"]) == {"draft", "provisional", "stable"}
    assert set(defs["Checklist"]["properties"]["audience"]["items"]["enum"]) == {
        "企业", "执法", "监管部门", "党委政府", "乡镇村社区"}
    laws, docs = defs["Citation"]["properties"]["law"]["examples"], defs["Citation"]["properties"]["doc"]["examples"]
    assert "安全生产法" in laws and "晋政发〔2024〕1号" in docs
    # A user's own sources never reach the schema: it follows the program, not the folders in use.
    sources = tmp_path / "mine" / "sources"
    sources.mkdir(parents=True)
    (sources / "local.yaml").write_text("laws:\n  - {law: 某某本地条例, articles: 9}\n", encoding="utf-8")
    env = {"SAFETYCHECK_PATH": str(tmp_path / "mine")}
    assert run_cli("schema", env=env, cwd=tmp_path).stdout == run_cli("schema").stdout
    assert "某某本地条例" not in run_cli("schema", env=env, cwd=tmp_path).stdout


def test_python_dash_m_and_no_traceback_for_missing_folder(tmp_path: Path) -> None:
    result = run_cli("list", "--checklists", str(tmp_path / "nope"))
    assert result.returncode == 0
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("folder", ["checklists/profiles", "checklists/sources", "checklists"])
def test_validate_a_profiles_or_sources_folder_reads_each_file_as_its_kind(folder: str) -> None:
    result = run_cli("validate", folder, cwd=ROOT)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_plain_table_aligns_wide_characters_and_fits_the_width() -> None:
    from safetycheck.layout import table
    from safetycheck.text import display_width

    rows = [["a-1", "危险化学品企业综合检查", "x"], ["bb-22", "煤矿", "yy"]]
    out = table(["标识", "标题", "备注"], rows, width=24, shrink=(1,)).split("\n")
    assert max(display_width(line) for line in out) <= 24
    starts = {display_width(line[: line.index(cell)]) for line in out for cell in ("x", "yy", "备注") if cell in line}
    assert len(starts) == 1  # the last column starts at the same display column on every row
    assert "".join(line[6:].split("  ")[0].strip() for line in out[1:4]).startswith("危险化学品企业综合检查")


def test_validate_reports_every_problem_of_a_profile_and_links_of_a_named_file(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "p.yaml").write_text(textwrap.dedent("""\
        id: ptest
        title: 测试方案
        audience: [企业]
        summary: 测试。
        colour: red
        industry: [化学]
        checklists: [nosuch, wudaowei]
        exclude: [wudaowei/nosuch-01]
        """), encoding="utf-8")
    write_checklist(tmp_path, "ctest", "测试清单", "测试别名")
    path = tmp_path / "ctest.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "        major_possible: true\n", "        major_possible: true\n        same_as: wudaowei/nosuch-02\n"),
        encoding="utf-8")
    result = run_cli("validate", "profiles/p.yaml", "ctest.yaml", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line.split(": ")[0] for line in lines] == [
        "ctest.yaml:25:18", "profiles/p.yaml:5:1", "profiles/p.yaml:6:12", "profiles/p.yaml:7:14",
        "profiles/p.yaml:8:11"]
    assert "nosuch-02" in lines[0] and "colour" in lines[1] and "化学" in lines[2]
    assert "nosuch" in lines[3] and "wudaowei/nosuch-01" in lines[4]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("columns", [50, 60, 80])
def test_list_fits_narrow_terminals(lang: str, columns: int) -> None:
    from safetycheck.text import display_width

    result = run_cli("--lang", lang, "list", env={"COLUMNS": str(columns)})
    assert result.returncode == 0
    assert max(display_width(line) for line in result.stdout.splitlines()) <= columns
    assert "wudaowei" in result.stdout


def test_invalid_language_is_a_usage_error() -> None:
    assert run_cli("--lang", "fr", "list").returncode == 2
    bad_env = run_cli("list", env={"SAFETYCHECK_LANG": "fr"})
    assert bad_env.returncode == 2 and "SAFETYCHECK_LANG" in bad_env.stderr
    assert run_cli("list", env={"SAFETYCHECK_LANG": "en_US"}).stdout.startswith("ID")


def test_show_in_english_translates_labels_and_methods(user_dir: Path) -> None:
    result = run_cli("--lang", "en", "show", "zeren-test", "--checklists", str(user_dir), env={"COLUMNS": "200"})
    assert result.returncode == 0
    assert "Standard: " in result.stdout and "records, interview" in result.stdout
    assert "Standard：" not in result.stdout and "Method：" not in result.stdout


def test_parser_errors_and_help_speak_the_interface_language() -> None:
    unknown = run_cli("list", "--bogus")
    assert unknown.returncode == 2
    assert unknown.stderr == "safetycheck: 错误: 没有选项 --bogus。运行 safetycheck list --help 查看用法。\n"
    missing = run_cli("show")
    assert missing.returncode == 2 and "缺少参数 CHECKLIST" in missing.stderr
    english = run_cli("--lang", "en", "frob")
    assert english.returncode == 2
    assert english.stderr == "safetycheck: error: no such command 'frob'. Run safetycheck --help for usage.\n"
    helptext = run_cli("show", "--help", env={"COLUMNS": "60"})
    assert helptext.stdout.startswith("用法：safetycheck show")
    assert "显示本帮助并退出。" in helptext.stdout and "Show this message" not in helptext.stdout
    from safetycheck.text import display_width

    wide = run_cli("report", "--help", env={"COLUMNS": "60"})
    assert max(display_width(line) for line in wide.stdout.splitlines()) <= 60


def test_did_you_mean_speaks_one_language_for_commands_and_options() -> None:
    command = run_cli("repot")
    assert command.returncode == 2
    assert command.stderr == "safetycheck: 错误: 没有命令“repot”。是不是“report”？运行 safetycheck --help 查看用法。\n"
    english = run_cli("--lang", "en", "repot")
    assert english.stderr == ("safetycheck: error: no such command 'repot'. Did you mean 'report'? "
                              "Run safetycheck --help for usage.\n")
    option = run_cli("list", "--fromat", "json")
    assert option.returncode == 2
    assert option.stderr == ("safetycheck: 错误: 没有选项 --fromat。是不是 --format？"
                             "运行 safetycheck list --help 查看用法。\n")
    english = run_cli("--lang", "en", "validate", "--no-bultin")
    assert english.stderr == ("safetycheck: error: no such option --no-bultin. Did you mean --no-builtin? "
                              "Run safetycheck validate --help for usage.\n")


def test_os_errors_are_translated_and_name_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nosuch.toml"
    result = run_cli("report", str(missing))
    assert result.returncode == 1
    assert result.stderr == f"safetycheck: 错误: {missing}：无法读取检查记录：文件不存在。\n"
    english = run_cli("--lang", "en", "report", str(tmp_path))
    assert english.stderr == f"safetycheck: error: {tmp_path}: cannot read the record: this is a folder, not a file.\n"
    blocked = tmp_path / "file.txt"
    blocked.write_text("x", encoding="utf-8")
    out = blocked / "form.md"
    written = run_cli("form", "五到位", "-o", str(out))
    assert written.returncode == 1
    assert written.stderr == f"safetycheck: 错误: 无法写入 {out}：路径中有一段不是文件夹。\n"
    for text in (result.stderr, english.stderr, written.stderr):
        assert "No such file" not in text and "Is a directory" not in text and "Not a directory" not in text


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every file")
def test_permission_denied_is_translated(tmp_path: Path) -> None:
    record = tmp_path / "locked.toml"
    record.write_text("schema = 1\n", encoding="utf-8")
    record.chmod(0)
    result = run_cli("report", str(record))
    assert result.stderr == f"safetycheck: 错误: {record}：无法读取检查记录：没有权限。\n"


COMMANDS = ["", "list", "show", "validate", "schema", "run", "resume", "config", "config init", "config show",
            "report", "form", "templates", "templates export", "coverage"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_help_lists_choices_and_shows_one_example(lang: str) -> None:
    from safetycheck import messages

    messages.set_lang(lang)
    heading = messages.t("cli.example")
    for command in COMMANDS:
        result = run_cli("--lang", lang, *command.split(), "--help", env={"COLUMNS": "100"})
        assert result.returncode == 0, (command, result.stderr)
        text = result.stdout
        assert "<str>" not in text and "TEXT" not in text.split("\n\n")[-1], command
        lines = text.splitlines()
        assert lines.count(f"  {heading}") == 1, (command, text)
        example = lines[lines.index(f"  {heading}") + 2].strip()
        assert example == messages.t("example." + (command or "safetycheck")), command
        assert example.startswith(f"safetycheck {command}".strip()), command
        for option, choices in (("--format", None), ("--mode", "inspect|self|supervise"),
                                ("--kind", "checklist|profile|sources"), ("--lang", "zh|en")):
            for line in lines:
                if line.strip().startswith(option + " "):
                    metavar = line.split()[1]
                    assert "|" in metavar and (choices is None or metavar == choices), (command, line)
    formats = {"list": "table|json", "show": "tree|json", "validate": "text|json|github|sarif|junit",
               "coverage": "table|md|json", "report": "html|md|txt|json", "form": "html|md|txt|csv"}
    for command, metavar in formats.items():
        assert f"--format {metavar}" in run_cli("--lang", lang, command, "--help", env={"COLUMNS": "100"}).stdout


def test_unknown_checklist_lists_one_candidate_per_line() -> None:
    result = run_cli("show", "qqqq", env={"COLUMNS": "40"})
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "safetycheck: 错误: 找不到清单“qqqq”。可选："
    ids = [line.split()[0] for line in lines[1:]]
    assert "wudaowei" in ids and "weihua-qiye" in ids and len(ids) == len(set(ids)) >= 31
    assert all(line.startswith("  ") for line in lines[1:])
    near = run_cli("--lang", "en", "show", "wudaowie")
    assert near.stderr.splitlines()[0] == "safetycheck: error: no checklist named 'wudaowie'. Candidates:"
    assert near.stderr.splitlines()[1].split() == ["wudaowei", "企业安全生产“五到位”"]


def test_form_all_no_builtin_gives_only_the_users_own_forms(tmp_path: Path, user_dir: Path) -> None:
    out = tmp_path / "forms"
    result = run_cli("form", "--all", "--no-builtin", "--checklists", str(user_dir), "--format", "md", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["zeren-extra.md", "zeren-test.md"]
    local = tmp_path / "repo"
    write_checklist(local / "checklists", "my-plant", "本厂检查", "本厂")
    to_stdout = run_cli("form", "--all", "--no-builtin", "--format", "txt", cwd=local)
    assert to_stdout.returncode == 0 and "本厂检查" in to_stdout.stdout and "五到位" not in to_stdout.stdout
    empty = run_cli("form", "--all", "--no-builtin", cwd=tmp_path)
    assert empty.returncode == 2 and "--no-builtin" in empty.stderr
    alone = run_cli("form", "五到位", "--no-builtin")
    assert alone.returncode == 2 and alone.stderr == "safetycheck: 错误: --no-builtin 只能与 --all 同用。\n"
