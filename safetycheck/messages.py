"""The message catalogue: every user-facing string, in Chinese and English.

The language is Chinese unless ``--lang en`` or ``SAFETYCHECK_LANG=en`` selects English.
"""

from __future__ import annotations

import os

_lang = "en" if os.environ.get("SAFETYCHECK_LANG", "").lower().startswith("en") else "zh"

MESSAGES: dict[str, tuple[str, str]] = {
    # severity labels
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    # YAML loading
    "yaml.too_big": ("文件过大（{size} 字节，上限 {limit} 字节），拒绝读取。",
                     "file too large ({size} bytes, limit {limit} bytes); refused."),
    "yaml.binary": ("这是二进制文件，不是 YAML 文本。", "this is a binary file, not YAML text."),
    "yaml.not_utf8": ("文件不是 UTF-8 编码；请另存为 UTF-8。", "the file is not UTF-8; save it as UTF-8."),
    "yaml.empty": ("文件为空，没有任何内容。", "the file is empty."),
    "yaml.syntax": ("YAML 语法错误：{problem}。", "YAML syntax error: {problem}."),
    "yaml.too_many_nodes": ("YAML 节点超过 {limit} 个（可能是别名展开炸弹），拒绝读取。",
                            "more than {limit} YAML nodes (an alias-expansion bomb?); refused."),
    "yaml.tab": ("出现了不能开始任何内容的字符（常见原因：用了 Tab 缩进，请改用空格）",
                 "found a character that cannot start any token (often a tab; indent with spaces)"),
    "yaml.flow_seq": ("列表缺少“,”或“]”", "a list is missing ',' or ']'"),
    "yaml.flow_map": ("映射缺少“,”或“}”", "a mapping is missing ',' or '}'"),
    "yaml.block_seq": ("缩进不一致：这里应是以“-”开头的列表项", "inconsistent indentation: a '-' list entry was expected"),
    "yaml.block_map": ("缩进不一致：这里应是一个键", "inconsistent indentation: a key was expected"),
    "yaml.colon": ("此处不能出现“:”（冒号后要有空格，含冒号的文本请加引号）",
                   "a ':' is not allowed here (put a space after it, or quote text that contains one)"),
    "yaml.eof": ("文件意外结束：引号或括号没有闭合", "unexpected end of file: a quote or bracket is not closed"),
    "yaml.alias": ("引用了未定义的锚点", "an alias refers to an undefined anchor"),
    "yaml.complex_key": ("键必须是简单文本。", "keys must be plain text."),
    "yaml.merge_key": ("不支持 YAML 合并键“<<”；请直接写出各字段。",
                       "YAML merge keys (<<) are not supported; write the fields out."),
    "yaml.duplicate_key": ("键“{key}”重复出现；请删除其中一个。", "key '{key}' appears twice; remove one."),
    "yaml.ambiguous_bool": ("未加引号的“{value}”含义不明（旧版 YAML 会读成布尔值）；文本请加引号，布尔值请写 true 或 false。",
                            "unquoted '{value}' is ambiguous (older YAML reads it as a boolean); quote it as text, "
                            "or write true or false."),
    "file.missing": ("文件不存在。", "no such file."),
    "file.is_dir": ("这是文件夹，不是文件。", "this is a folder, not a file."),
    "file.unreadable": ("无法读取文件：{error}。", "cannot read the file: {error}."),
    # type checks
    "type.str": ("文本", "text"),
    "type.int": ("整数", "an integer"),
    "type.bool": ("布尔值", "a boolean"),
    "type.list": ("列表", "a list"),
    "type.map": ("映射", "a mapping"),
    "type.value": ("值", "a value"),
    "type.empty": ("空值", "nothing"),
    "check.type": ("应为{expected}，实际是{got}。", "expected {expected}, got {got}."),
    "check.quote": ("（文本请加引号，例如 \"1.10\"）", " (quote text, e.g. \"1.10\")"),
    "check.bool": ("“{got}”不是布尔值；请写 true 或 false。", "'{got}' is not a boolean; write true or false."),
    "check.choice": ("“{value}”不是允许的取值；可选：{choices}。", "'{value}' is not allowed; use one of: {choices}."),
    "check.min": ("应不小于 {minimum}，实际是 {value}。", "must be at least {minimum}, got {value}."),
    "check.empty_list": ("不能为空列表。", "must not be empty."),
    "check.empty_text": ("不能为空。", "must not be empty."),
    "check.too_long": ("超过 {limit} 个字符。", "longer than {limit} characters."),
    "check.slug": ("“{value}”不是合法的标识：只能用小写字母、数字和“-”。",
                   "'{value}' is not a valid id: use lower-case letters, digits and '-'."),
    "check.unknown_key": ("未知的键“{key}”。", "unknown key '{key}'."),
    "check.did_you_mean": ("是不是“{name}”？", " Did you mean '{name}'?"),
    "check.allowed": ("允许的键：{names}。", " Allowed keys: {names}."),
    "check.missing": ("缺少必填字段“{key}”。", "missing required field '{key}'."),
    "check.duplicate_id": ("标识“{id}”重复；每个标识只能用一次。", "id '{id}' is used twice; ids must be unique."),
    "check.duplicate_text": ("检查内容与“{id}”重复。", "the text repeats item '{id}'."),
    "check.note_needed": ("检查项“{id}”标为 verified: false，但没有 note 说明未核实的内容。",
                          "item '{id}' is verified: false but has no note saying what is unverified."),
    "check.same_as_format": ("same_as 应写成“清单标识/检查项标识”，实际是“{value}”。",
                             "same_as must be '<checklist>/<item>', got '{value}'."),
    "check.same_as_unknown": ("same_as 指向的检查项“{value}”不存在。",
                              "same_as names '{value}', which does not exist."),
    # citations
    "cite.shape": ("引用应写成 {{doc, clause}}（文件条款）或 {{law, article}}（法律条文），二者选一。",
                   "a citation is either {{doc, clause}} or {{law, article}}, not both or neither."),
    "cite.doc_article": ("文件引用请用 clause 写条款，不用 article。",
                         "cite a document's clause with 'clause', not 'article'."),
    "cite.law_clause": ("法律引用请用 article（条）和 item（项），不用 clause 或 req。",
                        "cite a law with 'article' (and 'item'), not 'clause' or 'req'."),
    "cite.unknown_doc": ("文件“{doc}”不在来源登记表中，也不在本清单的 sources 里。",
                         "document '{doc}' is neither in the source registry nor in this checklist's sources."),
    "cite.unknown_clause": ("“{doc}”的要求索引中没有条款“{clause}”。",
                            "the requirement index of '{doc}' has no clause '{clause}'."),
    "cite.unknown_req": ("要求索引中没有“{req}”。", "the requirement index has no '{req}'."),
    "cite.req_mismatch": ("要求“{req}”属于 {doc} {clause}，与本引用的文件或条款不符。",
                          "requirement '{req}' belongs to {doc} {clause}, not to this citation's document or clause."),
    "cite.unknown_law": ("法律法规“{law}”不在来源登记表中。", "law '{law}' is not in the source registry."),
    "cite.no_article": ("《{law}》只有 {count} 条，没有第 {article} 条。",
                        "the {law} has {count} articles; there is no article {article}."),
    "registry.duplicate": ("“{name}”已在 {where} 登记过。", "'{name}' is already registered at {where}."),
    "registry.reason_needed": ("checkable: false 的要求必须写明 reason。",
                               "a requirement with checkable: false needs a reason."),
    # when
    "when.empty": ("适用条件不能为空。", "the condition must not be empty."),
    "when.bad_key": ("适用条件不能用“{key}”；可用：{keys}。", "a condition cannot use '{key}'; use: {keys}."),
    "when.bad_value": ("“{value}”不是 {key} 的取值；可选：{choices}。",
                       "'{value}' is not a value of {key}; use one of: {choices}."),
    # catalog
    "catalog.unknown": ("找不到清单“{name}”。可选：{candidates}。",
                        "no checklist named '{name}'. Candidates: {candidates}."),
    "catalog.ambiguous": ("“{name}”不唯一，可能是：{candidates}。", "'{name}' is ambiguous: {candidates}."),
    "catalog.duplicate": ("清单标识“{id}”与 {other} 重复。", "checklist id '{id}' is also used by {other}."),
    "catalog.no_folder": ("{origin} 指定的文件夹不存在。", "the folder given by {origin} does not exist."),
    "catalog.broken": ("{count} 个文件有错误，未列出；运行 safetycheck validate 查看。",
                       "{count} file(s) have errors and are not listed; run safetycheck validate."),
    "profile.nested": ("“{name}”是配置方案，配置方案不能包含配置方案。",
                       "'{name}' is a profile; profiles cannot contain profiles."),
    "profile.bad_exclude": ("排除项“{value}”不是本方案所含清单中的检查项（写成 清单标识/检查项标识）。",
                            "exclude '{value}' is not an item of this profile's checklists (write <checklist>/<item>)."),
    # CLI: list / show / validate
    "cli.help": ("安全生产检查清单工具：现场检查、企业自查、督导检查，生成检查记录和空白表格。",
                 "Work-safety (安全生产) inspection checklists: on-site inspections, self-audits and "
                 "supervision, with records, reports and blank forms."),
    "cli.version": ("显示版本号并退出。", "Show the version and exit."),
    "cli.lang": ("界面语言：zh（中文）或 en（英文）。", "Interface language: zh (Chinese) or en (English)."),
    "cli.checklists_opt": ("额外的清单文件夹（可重复，优先于内置清单）。",
                           "Extra checklist folder (repeatable; takes precedence over the built-ins)."),
    "cli.format": ("输出格式：{choices}。", "Output format: {choices}."),
    "cli.bad_choice": ("选项 {option} 的取值“{value}”无效；可选：{choices}。",
                       "invalid value '{value}' for {option}; use one of: {choices}."),
    "cli.list_help": ("列出可用的检查清单和配置方案。", "List the available checklists and profiles."),
    "cli.show_help": ("显示一份清单的全部检查项。", "Show every item of a checklist."),
    "cli.validate_help": ("校验清单文件；不给路径时校验全部可见的清单。",
                          "Validate checklist files; without paths, everything the catalog sees."),
    "cli.schema_help": ("输出清单文件的 JSON Schema（Draft 2020-12）。",
                        "Print the JSON Schema (Draft 2020-12) of checklist files."),
    "cli.schema_kind": ("输出哪种文件的 Schema：checklist、profile 或 sources。",
                        "Which file's schema: checklist, profile or sources."),
    "cli.name_arg": ("清单标识、别名、标题或标识前缀。", "Checklist id, alias, title or id prefix."),
    "cli.paths_arg": ("要校验的文件或文件夹。", "Files or folders to validate."),
    "col.id": ("标识", "ID"),
    "col.kind": ("类型", "Kind"),
    "col.title": ("标题", "Title"),
    "col.aliases": ("别名", "Aliases"),
    "col.audience": ("对象", "Audience"),
    "col.items": ("项数", "Items"),
    "col.origin": ("来源", "From"),
    "kind.checklist": ("清单", "checklist"),
    "kind.profile": ("方案", "profile"),
    "origin.builtin": ("内置", "builtin"),
    "overrides": ("覆盖内置", "overrides builtin"),
    "show.provisional": ("【推定】本清单为推定重建，未见官方枚举，使用前需当地核实。",
                         "[provisional] This list is reconstructed, not an official enumeration; confirm it locally."),
    "show.standard": ("合格标准", "Standard"),
    "show.method": ("方法", "Method"),
    "show.basis": ("依据", "Basis"),
    "show.penalty": ("罚则", "Penalty"),
    "show.hint": ("整改措施", "Measure"),
    "show.when": ("适用", "Applies when"),
    "show.major": ("可能构成重大事故隐患", "can be a major hazard"),
    "show.unverified": ("未核实", "unverified"),
    "show.sources": ("来源", "Sources"),
    "show.summary": ("{checklists} 份清单，{items} 个检查项。", "{checklists} checklist(s), {items} item(s)."),
    "validate.ok": ("全部有效：{files} 个文件。", "All valid: {files} file(s)."),
    "validate.failed": ("{problems} 个问题，涉及 {files} 个文件。", "{problems} problem(s) in {files} file(s)."),
    "validate.no_files": ("{path}：没有找到 YAML 文件。", "{path}: no YAML files found."),
    "cli.interrupted": ("已中断。", "Interrupted."),
    # --- inspection: run, resume, records, config ---
    "record.unreadable": ("{path}：无法读取检查记录：{error}。", "{path}: cannot read the record: {error}."),
    "record.too_big": ("{path}：文件超过 {limit} 字节，不是检查记录。", "{path}: larger than {limit} bytes; not a record."),
    "record.not_utf8": ("不是 UTF-8 文本", "not UTF-8 text"),
    "record.not_toml": ("{path}：不是有效的 TOML 文件（{error}）；文件未改动。",
                        "{path}: not a valid TOML file ({error}); the file was left untouched."),
    "record.not_record": ("{path}：不是 safetycheck 检查记录（缺少 schema = \"{expected}\"）；文件未改动。",
                          "{path}: not a safetycheck record (no schema = \"{expected}\"); the file was left untouched."),
    "record.bad_schema": ("{path}：记录格式“{schema}”不受支持（本版本读取 {expected}）；文件未改动。",
                          "{path}: record format '{schema}' is not supported (this version reads {expected}); "
                          "the file was left untouched."),
    "record.invalid": ("{path}：检查记录内容有误：{error}；文件未改动。",
                       "{path}: the record is malformed: {error}; the file was left untouched."),
    "record.exists": ("{path} 已存在，不会覆盖；请用 -o 指定另一个文件名，或用 safetycheck resume {path} 继续。",
                      "{path} already exists and is never overwritten; choose another name with -o, "
                      "or continue it with safetycheck resume {path}."),
    "record.no_free_name": ("{folder} 中 {stem}-01 至 -99 都已被占用；请用 -o 指定文件名。",
                            "{stem}-01 to -99 are all taken in {folder}; choose a name with -o."),
    "record.unwritable": ("无法写入检查记录 {path}：{error}。", "cannot write the record {path}: {error}."),
    "record.locked": ("检查记录 {path} 正由另一个进程（pid {pid}）编辑；请先结束那个进程。",
                      "the record {path} is being edited by another process (pid {pid}); finish that one first."),
    "config.unreadable": ("{path}：无法读取配置：{error}。", "{path}: cannot read the settings: {error}."),
    "config.not_toml": ("{path}：配置文件不是有效的 TOML（{error}）。", "{path}: the settings file is not valid TOML ({error})."),
    "config.unknown_key": ("{path}：未知的配置项“{key}”；可用：{allowed}。",
                           "{path}: unknown setting '{key}'; use: {allowed}."),
    "config.bad_value": ("{path}：配置项“{key}”应为{expected}。", "{path}: setting '{key}' must be {expected}."),
    "config.exists": ("{path} 已存在，不会覆盖；请直接编辑它。", "{path} already exists and is not overwritten; edit it."),
    "config.written": ("已写入配置模板：{path}", "Settings template written: {path}"),
    "config.files": ("配置文件（后者优先）：", "Settings files (later ones win):"),
    "config.read": ("已读取", "read"),
    "config.absent": ("不存在", "absent"),
    "config.default": ("默认值", "default"),
    "config.unset": ("（未设置）", "(not set)"),
    "config.none": ("（无）", "(none)"),
    "config.template": (
        "# safetycheck 配置（机关信息和默认检查人员）。\n"
        "# 当前文件夹的 safetycheck.toml 优先于用户配置文件夹中的同名文件。\n"
        "# 去掉行首的“#”并填写即可；运行 safetycheck config show 查看生效的配置。\n"
        "\n"
        "[agency]\n"
        "# 执法机关全称，用于文书落款。\n"
        "# name = \"××县应急管理局\"\n"
        "# 机关简称，用于文书编号，例如（××应急）应急检记〔2025〕1号。\n"
        "# short_name = \"××应急\"\n"
        "# 行政复议机关，用于文书的救济告知；默认“{review_body}”。\n"
        "# review_body = \"{review_body}\"\n"
        "\n"
        "# 默认检查人员：未给出 --inspector 时使用。执法检查至少 1 人有执法证号，\n"
        "# 《行政处罚法》第四十二条要求执法人员不少于两人。\n"
        "# [[inspectors]]\n"
        "# name = \"张三\"\n"
        "# cert = \"14000000000\"   # 执法证号\n"
        "# org = \"××县应急管理局\"\n"
        "#\n"
        "# [[inspectors]]\n"
        "# name = \"李四\"\n"
        "# cert = \"14000000001\"\n"
        "# org = \"××县应急管理局\"\n",
        "# safetycheck settings (the agency and the default inspectors).\n"
        "# ./safetycheck.toml wins over the file of the same name in the user config folder.\n"
        "# Remove the leading '#' and fill in; safetycheck config show prints the settings in force.\n"
        "\n"
        "[agency]\n"
        "# Full name of the agency, for the signature block of documents.\n"
        "# name = \"××县应急管理局\"\n"
        "# Short name, for document numbers such as （××应急）应急检记〔2025〕1号.\n"
        "# short_name = \"××应急\"\n"
        "# Administrative review body named in documents; default \"{review_body}\".\n"
        "# review_body = \"{review_body}\"\n"
        "\n"
        "# Default inspectors, used when --inspector is not given. An inspection needs at least\n"
        "# one with a certificate number (cert); the law asks for two inspectors.\n"
        "# [[inspectors]]\n"
        "# name = \"Zhang San\"\n"
        "# cert = \"14000000000\"\n"
        "# org = \"××县应急管理局\"\n"
        "#\n"
        "# [[inspectors]]\n"
        "# name = \"Li Si\"\n"
        "# cert = \"14000000001\"\n"
        "# org = \"××县应急管理局\"\n"),
    # --- documents: report, form, templates ---
    # --- coverage ---
}


def set_lang(lang: str) -> None:
    """Select the language of every later message: 'zh' or 'en'."""
    global _lang
    _lang = "en" if lang.lower().startswith("en") else "zh"


def get_lang() -> str:
    """The language in force: 'zh' or 'en'."""
    return _lang


def t(msg_id: str, /, **values: object) -> str:
    """The message ``msg_id`` in the current language, with ``values`` filled in."""
    zh, en = MESSAGES[msg_id]
    text = en if _lang == "en" else zh
    return text.format(**values)
