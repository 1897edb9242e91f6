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
    "yaml.too_big": ("文件过大（{size}，上限 {limit}），拒绝读取。", "file too large ({size}, limit {limit}); refused."),
    "yaml.binary": ("这是二进制文件，不是 YAML 文本。", "this is a binary file, not YAML text."),
    "yaml.not_utf8": ("文件不是 UTF-8 编码；请另存为 UTF-8。", "the file is not UTF-8; save it as UTF-8."),
    "yaml.empty": ("文件为空，没有任何内容。", "the file is empty."),
    "yaml.syntax": ("YAML 语法错误：{problem}。", "YAML syntax error: {problem}."),
    "yaml.too_many_nodes": ("YAML 节点超过 {limit} 个（可能是别名展开炸弹），拒绝读取。",
                            "more than {limit} YAML nodes (an alias-expansion bomb?); refused."),
    "yaml.tab": ("出现了不能开始任何内容的字符（常见原因：用了 Tab 缩进，请改用空格）",
                 "found a character that cannot start any token (often a tab; indent with spaces)"),
    "yaml.flow_seq": ("列表缺少“,”或“]”", "a list is missing ',' or ']'"),
    "yaml.flow_map": ("映射缺少“,”或“}}”", "a mapping is missing ',' or '}}'"),
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
    # operating-system errors, named by errno (the path is in the message around them)
    "os.ENOENT": ("没有这个文件或文件夹", "no such file or folder"),
    "os.EACCES": ("没有权限", "permission denied"),
    "os.EISDIR": ("这是文件夹，不是文件", "it is a folder, not a file"),
    "os.ENOTDIR": ("路径中有一段不是文件夹", "a part of the path is not a folder"),
    "os.ENOSPC": ("磁盘已满", "no space left on the device"),
    "os.EROFS": ("文件系统是只读的", "the file system is read-only"),
    "os.EEXIST": ("已经存在", "it already exists"),
    "os.ENAMETOOLONG": ("文件名太长", "the file name is too long"),
    "os.EIO": ("读写出错", "input/output error"),
    "os.ELOOP": ("符号链接循环", "too many levels of symbolic links"),
    "os.other": ("系统错误 {code}", "system error {code}"),
    "os.path": ("{path}：{error}。", "{path}: {error}."),
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
    "catalog.unknown": ("找不到清单“{name}”。可选：\n{candidates}", "no checklist named '{name}'. Candidates:\n{candidates}"),
    "catalog.unknown_inline": ("找不到清单“{name}”。可选：{candidates}。",
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
                 "Work-safety inspection checklists: on-site inspections, self-audits and "
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
    "show.note": ("说明", "Note"),
    "show.major_scope": ("（所引判定标准适用于：{industries}）", " (the cited standard applies to: {industries})"),
    "show.unverified": ("未核实", "unverified"),
    "show.sources": ("来源", "Sources"),
    "show.summary": ("{checklists} 份清单，{items} 个检查项。", "{checklists} checklist(s), {items} item(s)."),
    "validate.ok": ("全部有效：{files} 个文件。", "All valid: {files} file(s)."),
    "validate.failed": ("{problems} 个问题，涉及 {files} 个文件。", "{problems} problem(s) in {files} file(s)."),
    "validate.no_files": ("{path}：没有找到 YAML 文件。", "{path}: no YAML files found."),
    "validate.no_own_files": ("--no-builtin：没有找到自己的清单文件；用 --checklists DIR、SAFETYCHECK_PATH 或 ./checklists 指定。",
                              "--no-builtin: no checklist files of your own were found; name them with --checklists DIR, "
                              "SAFETYCHECK_PATH or ./checklists."),
    "validate.rule": ("清单文件未通过校验。", "The checklist file does not validate."),
    "validate.problems": ("{count} 个问题", "{count} problem(s)"),
    "cli.interrupted": ("已中断。", "Interrupted."),
    "cli.no_builtin": ("不包括内置清单，只处理自己的清单（来自 --checklists、SAFETYCHECK_PATH 或 ./checklists）。",
                       "Leave the built-in checklists out: only your own (--checklists, SAFETYCHECK_PATH, ./checklists)."),
    "cli.example": ("示例：", "Example:"),
    # one example per command's --help, in the language of the help around it
    "example.safetycheck": ("safetycheck run 五到位 --unit 某某化工有限公司", "safetycheck run wudaowei --unit 'Example Ltd'"),
    "example.list": ("safetycheck list --format json", "safetycheck list --format json"),
    "example.show": ("safetycheck show 五到位 --format tree", "safetycheck show wudaowei --format tree"),
    "example.validate": ("safetycheck validate checklists --format sarif", "safetycheck validate checklists --format sarif"),
    "example.schema": ("safetycheck schema > checklist.schema.json", "safetycheck schema > checklist.schema.json"),
    "example.run": ("safetycheck run 五到位 十必查 --mode inspect", "safetycheck run wudaowei shibicha --mode inspect"),
    "example.resume": ("safetycheck resume 20261125-某厂-01.toml", "safetycheck resume 20261125-example-01.toml"),
    "example.config": ("safetycheck config init --user", "safetycheck config init --user"),
    "example.config init": ("safetycheck config init --user", "safetycheck config init --user"),
    "example.config show": ("safetycheck config show", "safetycheck config show"),
    "example.report": ("safetycheck report 某厂-01.toml -o 检查记录.html", "safetycheck report record.toml -o record.html"),
    "example.form": ("safetycheck form --all --no-builtin -o forms/", "safetycheck form --all --no-builtin -o forms/"),
    "example.templates": ("safetycheck templates export my-templates", "safetycheck templates export my-templates"),
    "example.templates export": ("safetycheck templates export my-templates", "safetycheck templates export my-templates"),
    "example.coverage": ("safetycheck coverage --format md > coverage.md", "safetycheck coverage --format md > coverage.md"),
    "cli.install_completion": ("为当前 shell 安装命令补全。", "Install completion for the current shell."),
    "cli.show_completion": ("显示当前 shell 的命令补全脚本，可复制或自行安装。",
                            "Show completion for the current shell, to copy it or customize the installation."),
    "cli.completion_installed": ("已为 {shell} 安装命令补全：{path}。重新打开终端后生效。",
                                 "{shell} completion installed in {path}; it takes effect once you restart the terminal."),
    "cli.completion_shell": ("无法为 shell“{shell}”提供命令补全；支持：bash、zsh、fish、powershell。",
                             "no completion for the shell '{shell}'; supported: bash, zsh, fish, powershell."),
    # --- inspection: run, resume, records, config ---
    "record.unreadable": ("{path}：无法读取检查记录：{error}。", "{path}: cannot read the record: {error}."),
    "record.too_big": ("{path}：文件超过 {limit} 字节，不是检查记录。", "{path}: larger than {limit} bytes; not a record."),
    "record.not_utf8": ("不是 UTF-8 文本", "not UTF-8 text"),
    "record.not_record": ("{path}：不是 safetycheck 检查记录（缺少 schema = \"{expected}\"）；文件未改动。",
                          "{path}: not a safetycheck record (no schema = \"{expected}\"); the file was left untouched."),
    "record.bad_schema": ("{path}：记录格式“{schema}”不受支持（本版本读取 {expected}）；文件未改动。",
                          "{path}: record format '{schema}' is not supported (this version reads {expected}); "
                          "the file was left untouched."),
    "record.no_snapshot": ("记录中没有清单快照（[[checklists]]），既不能继续检查，也不能出具文书；请使用完整的检查记录。",
                           "the record holds no checklist snapshot ([[checklists]]), so it can be neither resumed "
                           "nor reported; use the complete record."),
    "record.empty_snapshot": ("清单“{id}”的快照没有检查项（items），既不能继续检查，也不能出具文书。",
                              "the snapshot of checklist '{id}' has no items, so the record can be neither resumed "
                              "nor reported."),
    "record.duplicate_snapshot": ("清单“{id}”的快照出现了两次（第一次在第 {line} 行）。",
                                  "checklist '{id}' has a second snapshot (the first is on line {line})."),
    "record.duplicate_item": ("清单“{checklist}”的快照中检查项“{id}”出现了两次（第一次在第 {line} 行）。",
                              "item '{id}' appears twice in the snapshot of checklist '{checklist}' "
                              "(first on line {line})."),
    "record.unknown_checklist": ("本记录没有清单“{value}”的快照；有快照的清单：{choices}。",
                                 "the record has no snapshot of checklist '{value}'; its snapshots are: {choices}."),
    "record.unknown_item": ("清单“{checklist}”的快照中没有检查项“{value}”{near}。",
                            "the snapshot of checklist '{checklist}' has no item '{value}'{near}."),
    "record.duplicate_response": ("检查项“{key}”已在第 {line} 行作答；每个检查项只能有一个答案。",
                                  "item '{key}' is already answered on line {line}; an item has one answer."),
    "record.bad_same_as": ("same_as 指向的“{value}”不是本记录中的检查项。",
                           "same_as names '{value}', which is not an item of this record."),
    "record.bad_value": ("值不符合检查记录的格式（{error}）。", "the value does not fit the record format ({error})."),
    "record.type_float": ("小数", "a decimal number"),
    "record.type_datetime": ("日期时间", "a date and time"),
    "record.type_date": ("日期", "a date"),
    "record.hint_datetime": ("（带时区，写成 YYYY-MM-DDTHH:MM:SS+08:00）", " (with its offset: YYYY-MM-DDTHH:MM:SS+08:00)"),
    "record.hint_date": ("（写成 YYYY-MM-DD）", " (YYYY-MM-DD)"),
    "record.type_time": ("时间", "a time of day"),
    "record.or": ("或", " or "),
    "record.exists": ("{path} 已存在，不会覆盖；请用 -o 指定另一个文件名，或用 safetycheck resume {path} 继续。",
                      "{path} already exists and is never overwritten; choose another name with -o, "
                      "or continue it with safetycheck resume {path}."),
    "record.no_free_name": ("{folder} 中 {stem}-01 至 -99 都已被占用；请用 -o 指定文件名。",
                            "{stem}-01 to -99 are all taken in {folder}; choose a name with -o."),
    "record.unwritable": ("无法写入检查记录 {path}：{error}。", "cannot write the record {path}: {error}."),
    "record.locked": ("检查记录 {path} 正由另一个进程（pid {pid}，{kind}）编辑；请先结束那个进程。",
                      "the record {path} is being edited by another process (pid {pid}, {kind}); finish that one "
                      "first."),
    "lock.kind.walk": ("现场检查 run/resume", "a walk: run or resume"),
    "lock.kind.short": ("短命令，如 report 编号", "a short command such as report numbering"),
    "lock.symlink": ("锁文件 {path} 是符号链接；为免改写它指向的文件，拒绝使用。请删除这个链接后重试。",
                     "the lock file {path} is a symbolic link; it is not used, so that the file it points to is not "
                     "changed. Remove the link and try again."),
    "lock.foreign": ("{path} 不是 safetycheck 的锁文件（不是普通文件、有多个硬链接或内容不符）；不会改动它。请移走它后重试。",
                     "{path} is not a safetycheck lock file (not a regular file, more than one hard link, or other "
                     "content); it is left alone. Move it away and try again."),
    "record.lock_lost": ("锁文件 {lock} 已被删除或替换，可能有另一个进程正在编辑 {path}；为免覆盖对方的内容，本次没有保存。"
                         "请确认只有一个进程在编辑后，用 safetycheck resume 继续。",
                         "the lock file {lock} was removed or replaced, so another process may be editing {path}; "
                         "nothing was saved, so as not to overwrite its answers. Make sure only one process edits the "
                         "record, then continue with safetycheck resume."),
    "record.symlink": ("{path} 是指向 {target} 的符号链接；为免替换链接或改写链接外的文件，不在链接上编辑记录。"
                       "请直接使用目标文件。",
                       "{path} is a symbolic link to {target}; records are not edited through a link (it would be "
                       "replaced, or a file outside it written). Use the target file itself."),
    "record.recovered": ("已从临时文件 {tmp} 恢复 {count} 条上次未完成保存的答案。",
                         "recovered {count} answer(s) whose save was cut short, from the temporary file {tmp}."),
    "record.orphans": ("保留了 {count} 个无法确认的临时文件（{names}），未删除；请查看后自行处理。",
                       "kept {count} temporary file(s) that could not be matched to the record ({names}); they are "
                       "not deleted: look at them and remove them yourself."),
    "record.unknown_key": ("未知的键“{key}”：本版本不认识它，改写记录会丢掉它，因此拒绝打开；请用能读取它的版本，或删除该键。",
                           "unknown key '{key}': this version does not know it and would drop it on rewriting the "
                           "record, so the record is refused; use a version that reads it, or remove the key."),
    # lifecycle: seal, chain of events, verify
    "verify.intact": ("{path}：完好（封存 {seal}）", "{path}: intact (seal {seal})"),
    "verify.intact_v1": ("{path}：完好（/1 格式记录，读取时封存 {seal}；此前的改动无从查起）",
                         "{path}: intact (a /1 record, sealed as read: {seal}; earlier edits cannot be told)"),
    "verify.not_sealed": ("{path}：未封存（检查尚未完成）", "{path}: not sealed (the inspection is in progress)"),
    "verify.changed": ("{path}：已改动：{change}", "{path}: changed: {change}"),
    "verify.no_seal": ("记录已完成或已有事件，却没有封存值（seal）", "the record is complete or has events but no seal"),
    "verify.no_completed": ("事件链的第一个事件不是 completed", "the first event of the chain is not `completed`"),
    "verify.event": ("第 {n} 个事件（{kind}，{at}）", "event {n} ({kind}, {at})"),
    "verify.event_changed": ("{event}或其前一个事件被改动、删除或调换", "{event} or the one before it was edited, "
                             "removed or moved"),
    "verify.first_event": ("封存值（seal）或{event}被改动", "the seal or {event} was edited"),
    "verify.part_changed": ("{part}与封存时不同", "{part} differs from what was sealed"),
    "verify.part_response": ("检查项 {item} 的答案", "the response to {item}"),
    "verify.part_checklist": ("清单 {id} 的快照", "the snapshot of checklist {id}"),
    "verify.part_head": ("单位、人员、检查类型或时间", "the unit, people, mode or times"),
    "verify.content_changed": ("检查内容与封存值不符", "the content does not match its seal"),
    "cli.verify_help": ("核验检查记录：重新计算封存值和事件链；有改动时退出码为 1。",
                        "Verify records: recompute the seal and the chain of events; exit 1 when anything changed."),
    "cli.verify_format": ("输出格式：{choices}。", "Output format: {choices}."),
    # lifecycle: hazards update / show / list
    "hazards.unknown": ("{path}：没有隐患“{id}”；本记录的隐患：{choices}（也可写检查项标识或 清单/检查项）。",
                        "{path}: no hazard '{id}'; this record's hazards: {choices} (an item id or checklist/item "
                        "also works)."),
    "hazards.ambiguous": ("{path}：检查项“{id}”在多份清单中都有；请写成 {choices} 之一。",
                          "{path}: item '{id}' is in several checklists; write one of {choices}."),
    "hazards.not_a_hazard": ("{path}：检查项“{id}”的结论是{result}，没有隐患。",
                             "{path}: item '{id}' was answered {result}; it has no hazard."),
    "hazards.nothing": ("没有要登记的内容；请给出 --rectified、--note、--evidence、--funds、--plan、--reported-regulator、"
                        "--reported-workers、--listed-by 或 --closed-by。",
                        "nothing to record; give --rectified, --note, --evidence, --funds, --plan, "
                        "--reported-regulator, --reported-workers, --listed-by or --closed-by."),
    "hazards.bad_date": ("{option} 的取值“{value}”不是日期；请写成 2026-03-05 或 today。",
                         "{option} '{value}' is not a date; write 2026-03-05 or today."),
    "hazards.future_date": ("{option} 的日期 {value} 还没到。", "{option} {value} is in the future."),
    "hazards.date_before": ("{option} 的日期 {value} 早于检查开始的 {start}。",
                            "{option} {value} is before the inspection began ({start})."),
    "hazards.major_only": ("{where}：{option} 只用于重大事故隐患。", "{where}: {option} is only for a major hazard."),
    "hazards.bad_transition": ("{where}：隐患当前为“{status}”，不能 {change}。",
                               "{where}: the hazard is '{status}'; {change} is not allowed now."),
    "hazards.needs": ("{where}：{option} 需要与 {other} 一起给出。", "{where}: {option} needs {other}."),
    "hazards.listed_all": ("{where}：挂牌督办要同时给出 --listed-by、--listed-number 和 --listed-date。",
                           "{where}: listing needs --listed-by, --listed-number and --listed-date together."),
    "hazards.self_close": ("{where}：企业自查发现的重大事故隐患不能由本单位自行销号；--closed-by 请写审核销号的监管部门。",
                           "{where}: a major hazard found by a self-audit does not close on the unit's own word; "
                           "--closed-by names the authority that approved it."),
    "hazards.bad_funds": ("--funds 的取值“{value}”应为不小于 0 的金额（元）。",
                          "--funds '{value}' must be an amount of yuan, 0 or more."),
    "hazards.no_file": ("文件不存在或不是普通文件：{path}", "not a regular file: {path}"),
    "hazards.unreadable_file": ("无法读取文件 {path}：{error}", "cannot read {path}: {error}"),
    "hazards.not_complete": ("{path}：检查尚未完成（未封存），还没有可登记的隐患。",
                             "{path}: the inspection is not complete (not sealed); no hazard to update yet."),
    "hazards.unverified": ("{path}：记录未通过核验（{change}），不再登记新事件。",
                           "{path}: the record fails verification ({change}); no new events are recorded."),
    "hazards.recorded": ("{path}：{id}：已登记 {kind}", "{path}: {id}: recorded {kind}"),
    "hazards.history": ("记录：", "History:"),
    "ledger.record_id": ("记录标识", "record id"),
    "ledger.file": ("文件", "file"),
    "ledger.unit": ("单位", "unit"),
    "ledger.hazard": ("隐患", "hazard"),
    "ledger.checklist": ("清单", "checklist"),
    "ledger.item": ("检查项", "item"),
    "ledger.item_text": ("检查内容", "item text"),
    "ledger.kind": ("类别", "kind"),
    "ledger.kind.hazard": ("隐患", "hazard"),
    "ledger.kind.problem": ("问题", "problem"),
    "ledger.level": ("等级", "level"),
    "ledger.description": ("问题描述", "description"),
    "ledger.basis": ("依据", "basis"),
    "ledger.measure": ("整改措施", "measure"),
    "ledger.owner": ("责任人", "owner"),
    "ledger.funds": ("整改资金（元）", "funds (yuan)"),
    "ledger.deadline": ("整改期限", "deadline"),
    "ledger.status": ("状态", "status"),
    "ledger.overdue_days": ("逾期天数", "days overdue"),
    "ledger.found_at": ("发现时间", "found at"),
    "ledger.rectified_at": ("整改完成", "rectified at"),
    "ledger.reviewed_at": ("复查时间", "reviewed at"),
    "ledger.reviewed_by": ("复查人", "reviewed by"),
    "ledger.closed_at": ("销号时间", "closed at"),
    "ledger.last_event": ("最近事件", "last event"),
    "ledger.count_problems": ("共 {hazards} 项隐患、{problems} 项问题。", "{hazards} hazard(s), {problems} problem(s)."),
    "ledger.count": ("共 {count} 项隐患。", "{count} hazard(s)."),
    "ledger.unreadable": ("{path}：无法读取：{error}", "{path}: cannot read: {error}"),
    "cli.hazards_help": ("检查之后：登记整改、双报告、挂牌督办和销号；查看隐患及其记录；隐患台账。",
                         "After the walk: record rectification, reports, listing and closing; show a hazard and its "
                         "history; the hazard ledger."),
    "cli.hazards_update_help": ("为一项或多项隐患登记整改、双报告、挂牌督办或销号（追加事件，不改写检查结果）。",
                                "Record rectification, reports, listing or closing for one or more hazards (appends "
                                "events; the findings stay as sealed)."),
    "cli.hazards_show_help": ("显示一项隐患及其全部记录。", "Show one hazard and its history."),
    "cli.hazards_list_help": ("隐患台账：列出文件夹中各记录的隐患（默认未销号的，逾期的在前）。",
                              "The hazard ledger: hazards of the records under the folders (default: not closed, "
                              "overdue first)."),
    "cli.hazard_ids": ("隐患标识（h1）、检查项标识或 清单/检查项。", "Hazard id (h1), item id, or checklist/item."),
    "cli.h_rectified": ("整改完成日期（YYYY-MM-DD 或 today）。", "Date rectified (YYYY-MM-DD or today)."),
    "cli.h_note": ("说明（附在本次登记的事件上）。", "Note (attached to this call's event)."),
    "cli.h_evidence": ("整改后照片等证据文件（可重复）。", "Evidence file, e.g. an after-photo (repeatable)."),
    "cli.h_funds": ("整改资金（元）。", "Funds spent on rectification (yuan)."),
    "cli.h_plan": ("治理方案文件（重大事故隐患）。", "Plan file (major hazards)."),
    "cli.h_reported_regulator": ("向监管部门报告的日期（重大事故隐患）。",
                                 "Date reported to the regulator (major hazards)."),
    "cli.h_regulator": ("接受报告的监管部门。", "The regulator reported to."),
    "cli.h_reported_workers": ("向职工大会或职工代表大会报告的日期（重大事故隐患）。",
                               "Date reported to the workers' congress (major hazards)."),
    "cli.h_listed_by": ("挂牌督办的机关（重大事故隐患）。", "Authority that listed it for supervision (major hazards)."),
    "cli.h_listed_number": ("挂牌督办文号。", "Number of the listing."),
    "cli.h_listed_date": ("挂牌督办日期。", "Date of the listing."),
    "cli.h_closed_by": ("审核销号的机关或单位。", "Body that approved closing it."),
    "cli.h_closed": ("销号日期。", "Date closed."),
    "cli.h_by": ("登记人。", "Who entered this."),
    "cli.h_status": ("状态：{choices}。", "Status: {choices}."),
    "cli.h_level": ("等级：general（一般）或 major（重大）。", "Level: general or major."),
    "cli.h_unit": ("单位名称包含的文字。", "Text the unit name contains."),
    "cli.h_due_within": ("只列出 DAYS 天内到期（含已逾期）的。", "Only those due within DAYS days (overdue included)."),
    "cli.bad_days": ("{option} 的取值 {value} 应为不小于 0 的天数。", "{option} {value}: give a number of days, 0 or more."),
    "cli.h_paths": ("记录文件或文件夹（默认当前文件夹，递归查找 *.toml）。",
                    "Record files or folders (default: the current folder, searched for *.toml)."),
    # the walk
    "sep.list": ("、", ", "),
    "sep.semi": ("；", "; "),
    "colon": ("：", ": "),
    "method.查资料": ("查资料", "records"),
    "method.看现场": ("看现场", "on site"),
    "method.问询": ("问询", "interview"),
    "method.抽考": ("抽考", "quiz"),
    "mode.inspect": ("执法检查", "inspection"),
    "mode.self": ("企业自查", "self-audit"),
    "mode.supervise": ("督导检查", "supervision"),
    "unit.industry": ("行业", "industry"),
    "unit.mode": ("检查类型", "mode"),
    "unit.body_type": ("单位类型", "kind of body"),
    "result.pass": ("符合", "pass"),
    "result.fail": ("不符合", "fail"),
    "result.na": ("不适用", "n/a"),
    "level.general": ("一般", "general"),
    "level.major": ("重大", "major"),
    "level.problem": ("问题", "problem"),
    "walk.auto_reason": ("仅适用于{key}为{allowed}的单位，本单位{key}为{have}",
                         "applies only when {key} is {allowed}; this unit's {key} is {have}"),
    "walk.finding_default": ("未达到要求：{standard}", "Not met: {standard}"),
    "walk.na_default": ("本单位不涉及此项", "Does not apply to this unit"),
    "walk.keys": ("y/1 符合  n/2 不符合  s/3 不适用  b 上一项  j 跳转  m 备注  q 保存退出  ? 帮助",
                  "y/1 pass  n/2 fail  s/3 n/a  b back  j jump  m note  q save+quit  ? help"),
    "walk.help": ("按键（按一下即可，不用回车）：\n"
                  "  y 或 1  符合\n  n 或 2  不符合（随后填写问题、隐患等级、整改措施、期限、责任人、证据）\n"
                  "  s 或 3  不适用（随后填写理由）\n  b       回到上一项（可修改答案）\n"
                  "  j       跳到某一项（序号或检查项标识）\n  m       为本项添加备注\n"
                  "  q       保存并退出（以后用 safetycheck resume 继续）\n  ?       显示本帮助和本项全部信息\n"
                  "每答一项都会立即保存。Ctrl-C 也会保留已保存的答案。",
                  "Keys (one press, no Enter):\n"
                  "  y or 1  pass\n  n or 2  fail (then: finding, hazard level, measure, deadline, owner, evidence)\n"
                  "  s or 3  not applicable (then: reason)\n  b       back to the previous item (its answer can be changed)\n"
                  "  j       jump to an item (position or item id)\n  m       add a note to this item\n"
                  "  q       save and quit (continue later with safetycheck resume)\n"
                  "  ?       this help and every detail of the item\n"
                  "Every answer is saved at once. Ctrl-C keeps every saved answer."),
    "walk.current": ("当前答案：{answer}", "Current answer: {answer}"),
    "walk.also": ("同时记入：{items}", "Also recorded for: {items}"),
    "walk.note": ("备注：{note}", "Note: {note}"),
    "walk.major_possible": ("◆可能构成重大事故隐患", "* can be a major hazard"),
    "walk.unverified": ("【未核实】", "[unverified]"),
    "walk.at_first": ("已经是第一项。", "This is the first item."),
    "walk.ask_note": ("备注", "Note"),
    "walk.ask_jump": ("跳到第几项（1–{count}）或检查项标识，Enter 取消", "Go to position (1-{count}) or item id; Enter cancels"),
    "walk.jump_unknown": ("“{value}”不是 1–{count} 的序号，也不是本次检查的检查项标识。",
                          "'{value}' is neither a position 1-{count} nor an item id of this inspection."),
    "walk.jump_ambiguous": ("“{value}”在多份清单中都有：{choices}；请输入其中之一（清单标识/检查项标识）。",
                            "'{value}' is in several checklists: {choices}; type one of them (<checklist>/<item>)."),
    "walk.jump_auto": ("已按适用条件将{item}自动记为不适用（{reason}）。仍要跳到该项修改答案吗？",
                       "{item} was set to n/a automatically by its condition ({reason}). Go to it to change the answer?"),
    "walk.ask_na_reason": ("不适用的理由", "Reason it does not apply"),
    "walk.ask_finding": ("问题描述", "Finding"),
    "walk.ask_level": ("隐患等级：1 一般 / 2 重大", "Hazard level: 1 general / 2 major"),
    "walk.ask_kind": ("记为：1 问题（提出整改要求）/ 2 企业事故隐患",
                      "Record as: 1 problem (with a rectification requirement) / 2 an enterprise's accident hazard"),
    "walk.kind_choices": ("请输入 1（问题）或 2（企业事故隐患）。", "Type 1 (problem) or 2 (enterprise hazard)."),
    "walk.ask_requirement": ("整改要求", "Rectification requirement"),
    "walk.ask_report_deadline": ("整改报告报送期限（日期如 {example}，或天数；Enter 为 {days} 天）",
                                 "Rectification report due (a date such as {example}, or days; Enter = {days} days)"),
    "walk.level_choices": ("请输入 1（一般）或 2（重大）。", "Type 1 (general) or 2 (major)."),
    "walk.confirm_major": ("本项通常不构成重大事故隐患。确定将本项定为重大事故隐患吗？",
                           "This item is not normally a major hazard. Record it as major?"),
    "walk.ask_measure": ("整改措施", "Rectification measure"),
    "walk.ask_deadline_general": ("整改期限（日期如 {example}，或天数；Enter 为 {days} 天）",
                                  "Deadline (a date such as {example}, or days; Enter = {days} days)"),
    "walk.ask_deadline_major": ("整改期限（重大隐患必须填写：日期如 {example}，或天数）",
                                "Deadline (required for a major hazard: a date such as {example}, or days)"),
    "walk.deadline_required": ("重大事故隐患必须填写整改期限。", "A major hazard needs a deadline."),
    "walk.deadline_days": ("天数至少为 1。", "The number of days must be at least 1."),
    "walk.deadline_format": ("“{value}”不是日期（如 {example}）也不是天数。",
                             "'{value}' is neither a date (such as {example}) nor a number of days."),
    "walk.deadline_impossible": ("“{value}”不是真实存在的日期。", "'{value}' is not a real date."),
    "walk.deadline_past": ("期限 {value} 已经过去。", "The deadline {value} is in the past."),
    "walk.ask_owner": ("整改责任人（可选）", "Owner (optional)"),
    "walk.ask_evidence": ("证据文件路径（每行一个，Enter 结束）", "Evidence file (one per line; Enter ends)"),
    "walk.answer_saved": ("已保存：{answer}", "saved: {answer}"),
    "walk.evidence_missing": ("找不到文件 {path}。", "no file {path}."),
    "walk.evidence_not_file": ("{path} 是{kind}，不是普通文件；证据须是照片、文档等文件。",
                               "{path} is {kind}, not a regular file; evidence must be a file such as a photo or a "
                               "document."),
    "walk.kind_folder": ("文件夹", "a folder"),
    "walk.kind_fifo": ("命名管道（FIFO）", "a named pipe (FIFO)"),
    "walk.kind_device": ("设备文件", "a device"),
    "walk.kind_socket": ("套接字", "a socket"),
    "walk.kind_other": ("特殊文件", "a special file"),
    "walk.evidence_unreadable": ("无法读取 {path}：{error}。", "cannot read {path}: {error}."),
    "walk.yes_no": ("[y/n]", "[y/n]"),
    "walk.saved": ("已保存", "saved"),
    # starting an inspection
    "ask.mode": ("检查类型：1 执法检查 / 2 企业自查 / 3 督导检查", "Kind: 1 inspection / 2 self-audit / 3 supervision"),
    "ask.mode_choices": ("请输入 1、2 或 3。", "Type 1, 2 or 3."),
    "ask.unit_name": ("被检查单位名称（必填）", "Unit inspected (required)"),
    "ask.unit_name_required": ("单位名称不能为空。", "The unit's name is required."),
    "ask.address": ("地址", "Address"),
    "ask.principal": ("法定代表人/主要负责人", "Legal representative / principal"),
    "ask.phone": ("联系电话", "Phone"),
    "ask.industry": ("行业（编号或名称，多个用逗号分隔）", "Industry (number or name; several separated by commas)"),
    "ask.site": ("检查场所", "Site inspected"),
    "ask.purpose": ("事由和目的（如 日常检查、专项检查、举报核查、复查）",
                    "Purpose (e.g. routine, special campaign, complaint, follow-up)"),
    "ask.rep_name": ("现场负责人姓名", "On-site representative: name"),
    "ask.rep_post": ("现场负责人职务", "On-site representative: post"),
    "ask.rep_phone": ("现场负责人电话", "On-site representative: phone"),
    "ask.witness": ("见证人姓名（可选）", "Witness: name (optional)"),
    "ask.inspector_name": ("检查人员姓名（Enter 结束）", "Inspector's name (Enter ends)"),
    "ask.inspector_cert": ("执法证号", "Certificate number"),
    "ask.inspector_org": ("所在单位", "Organisation"),
    "ask.auditor_name": ("自查人员姓名", "Self-auditor's name"),
    "ask.auditor_post": ("自查人员职务", "Self-auditor's post"),
    "ask.supervisor_name": ("督导人员姓名（Enter 结束）", "Supervisor's name (Enter ends)"),
    "ask.industries": ("可选行业：{choices}", "Industries: {choices}"),
    "ask.supervisor_first": ("督导人员姓名（至少一名）", "Supervisor's name (one at least)"),
    "run.supervisor_needed": ("督导检查至少需要一名督导人员；请输入姓名。",
                              "A supervision needs one supervisor at least; type a name."),
    "ask.body_name": ("被督导单位名称（必填，如 某某镇人民政府、县住建局）",
                      "Body supervised (required, e.g. a town government or a county department)"),
    "ask.body_principal": ("主要负责人", "Head of the body"),
    "ask.body_types": ("被督导单位类型：{choices}", "Kinds of body: {choices}"),
    "ask.body_type": ("单位类型（编号或名称）", "Kind of body (number or name)"),
    "ask.purpose_supervise": ("督导事由（如 年度安全生产督导、专项督导）",
                              "Purpose (e.g. annual work-safety supervision, special campaign)"),
    "ask.contact_name": ("联系人姓名", "Contact person: name"),
    "ask.contact_post": ("联系人职务", "Contact person: post"),
    "ask.contact_phone": ("联系人电话", "Contact person: phone"),
    "run.bad_body_type": ("“{value}”不是被督导单位类型；可选：{choices}（或其编号）。",
                          "'{value}' is not a kind of body supervised; use one of: {choices} (or its number)."),
    "ask.skip_hint": ("除单位名称外都可按 Enter 跳过。", "Everything but the unit's name can be skipped with Enter."),
    "run.need_cert": ("执法检查至少需要一名有执法证号的检查人员（--inspector 姓名:证号[:单位]，或在配置文件中设置）。",
                      "an inspection needs at least one inspector with a certificate number "
                      "(--inspector NAME:CERT[:ORG], or set one in the settings file)."),
    "run.cert_needed_now": ("执法检查至少需要一名有执法证号的检查人员。", "At least one inspector needs a certificate number."),
    "run.fewer_than_two": ("只有 {count} 名检查人员；《行政处罚法》第四十二条规定执法人员不得少于两人。",
                           "only {count} inspector(s); the Administrative Penalty Law (art. 42) requires at least two."),
    "run.bad_inspector": ("--inspector 的取值“{value}”无效；格式为 姓名[:执法证号[:单位]]。",
                          "invalid --inspector '{value}'; write NAME[:CERT[:ORG]]."),
    "run.bad_industry": ("“{value}”不是行业名称；可选：{choices}。", "'{value}' is not an industry; use one of: {choices}."),
    "run.no_tty": ("run 需要终端；在 CI 中请用 form 命令，或用 --answers FILE 提供答案。",
                   "run needs a terminal; use `form` in CI or `--answers FILE`."),
    "run.no_items": ("所选清单中没有要检查的项目（--tag {tags}）。", "the chosen checklists have no items to check (--tag {tags})."),
    "run.record": ("检查记录：{path}", "Record: {path}"),
    "run.quit": ("已保存，检查尚未完成。继续：safetycheck resume {path}", "Saved; not finished. Continue with: safetycheck resume {path}"),
    "run.interrupted": ("检查已中断，已答项目都已保存在 {path}。继续：safetycheck resume {path}",
                        "Interrupted; every answer is saved in {path}. Continue with: safetycheck resume {path}"),
    "run.interrupted_before": ("已中断，尚未开始逐项检查，没有创建检查记录。",
                               "Interrupted before the first item; no record was created."),
    "run.complete": ("检查完成：{path}", "Inspection complete: {path}"),
    "run.reports": ("生成文书和报告：", "Render its documents and reports:"),
    "run.auto_count": ("{count} 项按适用条件自动记为不适用。", "{count} item(s) recorded as n/a by their conditions."),
    "run.out_exists": ("{path} 已存在，不会覆盖；请换一个文件名，或用 safetycheck resume {path} 继续。",
                       "{path} already exists and is never overwritten; choose another name, "
                       "or continue it with safetycheck resume {path}."),
    "run.out_no_folder": ("文件夹 {folder} 不存在；请先建立它，或用 -o 指定已有文件夹中的文件。",
                          "the folder {folder} does not exist; create it, or give -o a file in an existing folder."),
    "run.out_unwritable": ("无法在文件夹 {folder} 中写入检查记录；请用 -o 指定可写文件夹中的文件。",
                           "cannot write a record in the folder {folder}; give -o a file in a folder you can write to."),
    "resume.complete": ("{path} 的检查已完成；如需修改请加 --reopen。",
                        "the inspection in {path} is complete; add --reopen to change it."),
    "resume.no_tty": ("resume 需要终端（逐项提问需要按键）。", "resume needs a terminal (it asks item by item)."),
    "summary.title": ("检查小结", "Summary"),
    "summary.row": ("符合 {passed}，不符合 {failed}，不适用 {na}", "pass {passed}, fail {failed}, n/a {na}"),
    "summary.open": ("，未答 {open}", ", unanswered {open}"),
    "summary.score": ("，得分 {score}", ", score {score}"),
    "summary.total": ("合计", "Total"),
    "summary.hazards": ("隐患：一般 {general} 项，重大 {major} 项。", "Hazards: {general} general, {major} major."),
    "summary.problems": ("问题：{count} 项（已提出整改要求）。", "Problems: {count} (with rectification requirements)."),
    "summary.major_open": ("存在重大事故隐患 {count} 项。", "{count} major hazard(s) not closed."),
    # answers files
    "answers.read": ("无法读取答案文件：{error}。", "cannot read the answers file: {error}."),
    "answers.not_map": ("答案文件应为一个映射（mode、unit、inspectors、default、responses）。",
                        "the answers file must be a mapping (mode, unit, inspectors, default, responses)."),
    "answers.unknown_key": ("{key}：未知的键；可用：{allowed}。", "{key}: unknown key; use: {allowed}."),
    "answers.missing": ("{key}：缺少这一必填项。", "{key}: required, but missing."),
    "answers.bad_value": ("{key}：“{value}”无效；可选：{choices}。", "{key}: '{value}' is not valid; use one of: {choices}."),
    "answers.type": ("{key}：应为{expected}。", "{key}: expected {expected}."),
    "answers.unknown_item": ("{key}：本次检查没有检查项“{value}”{near}。", "{key}: no item '{value}' in this inspection{near}."),
    "answers.near": ("（是不是“{name}”？）", " (did you mean '{name}'?)"),
    "answers.ambiguous_item": ("{key}：检查项“{value}”在多份清单中都有；请写成 {choices} 之一。",
                               "{key}: item '{value}' is in several checklists; write one of {choices}."),
    "answers.twice": ("{key}：检查项“{value}”已在第 {line} 行回答过。", "{key}: item '{value}' is already answered on line {line}."),
    "answers.unanswered": ("{key}：{count} 个检查项没有答案（{items}）；请补上，或写 default: pass 或 default: na。",
                           "{key}: {count} item(s) have no answer ({items}); answer them or set default: pass or na."),
    "answers.bad_date": ("{key}：{error}", "{key}: {error}"),
    "answers.major_deadline": ("{key}：重大事故隐患必须写 deadline。", "{key}: a major hazard needs a deadline."),
    "answers.field_not_for": ("{key}：只有 result 为 {result} 时才能写这一项。", "{key}: only allowed when result is {result}."),
    "answers.no_cert": ("{key}：执法检查至少需要一名有执法证号（cert）的检查人员。",
                        "{key}: an inspection needs at least one inspector with a certificate number (cert)."),
    "answers.bad_time": ("{key}：“{value}”不是带时区的日期时间；请写成 2026-03-05T09:30:00+08:00。",
                         "{key}: '{value}' is not a date and time with its offset; write 2026-03-05T09:30:00+08:00."),
    "answers.finished_before": ("{key}：结束时间早于开始时间 started_at。", "{key}: earlier than started_at."),
    "answers.problem_level": ("{key}：问题（督导检查中不符合项的默认类别）没有隐患等级；要记为企业事故隐患，请同时写 kind: hazard。",
                              "{key}: a problem (what a fail is in a supervision) has no hazard level; to record an "
                              "enterprise's hazard, also write kind: hazard."),
    "answers.problem_supervise": ("{key}：kind: problem 只用于督导检查（mode: supervise）；其他检查的不符合项是事故隐患。",
                                  "{key}: kind: problem is for supervisions only (mode: supervise); in other "
                                  "inspections a fail is a hazard."),
    "answers.empty_inspector": ("{key}：人员姓名不能为空。", "{key}: a person's name must not be empty."),
    "answers.plan_major": ("{key}：治理方案（plan）只用于重大事故隐患（level: major）。",
                           "{key}: a plan is only for a major hazard (level: major)."),
    "answers.bad_funds": ("{key}：整改资金应为不小于 0 的数（元）。", "{key}: funds must be a number of yuan, 0 or more."),
    "answers.written": ("已按答案文件写入检查记录：{path}", "Record written from the answers file: {path}"),
    # TOML files: answers, records, settings
    "toml.syntax": ("TOML 语法错误：{error}。", "TOML syntax error: {error}."),
    "toml.bad_date": ("不是有效的日期或时间（日期写成 YYYY-MM-DD，时间写成 YYYY-MM-DDTHH:MM:SS+08:00）",
                      "not a valid date or time (write a date as YYYY-MM-DD, a time as YYYY-MM-DDTHH:MM:SS+08:00)"),
    "toml.bad_value": ("无法识别的值（文本请加双引号）", "the value cannot be read (put text in double quotes)"),
    "toml.table_header": ("表头缺少结尾的“]”", "the table header has no closing ']'"),
    "toml.array_header": ("表数组头缺少结尾的“]]”", "the array-of-tables header has no closing ']]'"),
    "toml.equals": ("键后面缺少“=”", "a key must be followed by '='"),
    "toml.one_per_line": ("一行只能写一个键值对", "only one key = value per line"),
    "toml.statement": ("这一行既不是键值对也不是表头", "this line is neither key = value nor a table header"),
    "toml.key": ("键的写法不对（含空格或中文的键请加双引号）",
                 "the key is not valid (quote a key that holds spaces or other special characters)"),
    "toml.twice": ("这个键或表已经定义过，不能重复定义", "this key or table is already defined"),
    "toml.array": ("列表缺少“,”或结尾的“]”", "a list is missing ',' or its closing ']'"),
    "toml.inline_table": ("内联表缺少“,”或结尾的“}}”", "an inline table is missing ',' or its closing '}}'"),
    "toml.string": ("字符串缺少结尾的引号", "a string has no closing quote"),
    "toml.backslash": ("字符串中的“\\”用法不对（路径请用单引号，或写成“\\\\”）",
                       "a backslash in a string is not a valid escape (use single quotes for paths, or write '\\\\')"),
    "toml.character": ("出现了不允许的字符（例如字符串中的控制字符）",
                       "a character that is not allowed here (e.g. a control character in a string)"),
    # commands
    "cli.run_help": ("开始一次检查：逐项回答清单，每答一项都保存到 TOML 检查记录。",
                     "Start an inspection: answer the checklists item by item; every answer is saved to a TOML record."),
    "cli.resume_help": ("继续一次未完成的检查。", "Continue an unfinished inspection."),
    "cli.config_help": ("机关信息和默认检查人员的配置。", "Agency settings and default inspectors."),
    "cli.config_init_help": ("写出带注释的配置模板（默认 ./safetycheck.toml）。",
                             "Write a commented settings template (default ./safetycheck.toml)."),
    "cli.config_show_help": ("显示生效的配置及其来源。", "Show the settings in force and where they come from."),
    "cli.config_user": ("写到用户配置文件夹，而不是当前文件夹。", "Write to the user config folder instead of here."),
    "cli.checklists_arg": ("清单或配置方案（标识、别名或标题），可多个。", "Checklists or profiles (id, alias or title); several allowed."),
    "cli.mode_opt": ("检查类型：inspect（执法检查）、self（企业自查）、supervise（督导检查）。",
                     "Kind: inspect, self (self-audit) or supervise."),
    "cli.unit_opt": ("被检查单位名称。", "Name of the unit inspected."),
    "cli.address_opt": ("地址。", "Address."),
    "cli.principal_opt": ("法定代表人/主要负责人。", "Legal representative / principal."),
    "cli.phone_opt": ("联系电话。", "Phone."),
    "cli.industry_opt": ("行业（可重复）。", "Industry (repeatable)."),
    "cli.body_type_opt": ("被督导单位类型（督导检查）：乡镇人民政府、街道办事处、开发区管委会、县级部门或村（社区）。",
                          "Kind of body supervised (supervise): one of the five kinds, by name or by number 1-5 "
                          "(town government, sub-district office, development zone committee, county department, "
                          "village or community)."),
    "cli.site_opt": ("检查场所。", "Site inspected."),
    "cli.purpose_opt": ("事由和目的。", "Purpose of the inspection."),
    "cli.inspector_opt": ("检查人员 姓名[:执法证号[:单位]]（可重复）。", "Inspector NAME[:CERT[:ORG]] (repeatable)."),
    "cli.out_opt": ("检查记录文件（默认 YYYYMMDD-单位-NN.toml）；不会覆盖已有文件。",
                    "Record file (default YYYYMMDD-<unit>-NN.toml); an existing file is never overwritten."),
    "cli.answers_opt": ("从 YAML 或 TOML 答案文件读取全部答案（- 为标准输入），不再提问。",
                        "Read every answer from a YAML or TOML answers file (- for stdin); nothing is asked."),
    "cli.tag_opt": ("只检查带这些标签的检查项（可重复）。", "Only check items with these tags (repeatable)."),
    "cli.record_arg": ("检查记录文件。", "The record file."),
    "cli.reopen_opt": ("重新打开已完成的检查以修改答案。", "Reopen a complete inspection to change answers."),
    "config.unreadable": ("{path}：无法读取配置：{error}。", "{path}: cannot read the settings: {error}."),
    "config.unwritable": ("无法写入配置文件 {path}：{error}。", "cannot write the settings file {path}: {error}."),
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
        "[supervision]\n"
        "# 督导机构（如县安委会办公室）全称，用于督导反馈意见的落款；与执法机关 [agency] 分开。\n"
        "# name = \"××县安全生产委员会办公室\"\n"
        "# 督导机构简称和代字，用于督导反馈意见编号，例如（××安委办）{code}〔2026〕1号。\n"
        "# short_name = \"××安委办\"\n"
        "# code = \"{code}\"\n"
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
        "# name = \"XX County Emergency Management Bureau\"\n"
        "# Short name, used in document numbers (the bracket before the document code).\n"
        "# short_name = \"XX EM\"\n"
        "# Administrative review body named in documents; default \"{review_body}\".\n"
        "# review_body = \"{review_body}\"\n"
        "\n"
        "[supervision]\n"
        "# Full name of the supervising office (e.g. the county work-safety committee office), for the\n"
        "# signature block of supervision feedback; kept apart from the inspecting [agency].\n"
        "# name = \"XX County Work Safety Committee Office\"\n"
        "# Its short name and document code, used in feedback numbers, e.g. (XX SO){code}[2026] No. 1.\n"
        "# short_name = \"XX SO\"\n"
        "# code = \"{code}\"\n"
        "\n"
        "# Default inspectors, used when --inspector is not given. An inspection needs at least\n"
        "# one with a certificate number (cert); the law asks for two inspectors.\n"
        "# [[inspectors]]\n"
        "# name = \"Zhang San\"\n"
        "# cert = \"14000000000\"\n"
        "# org = \"XX County Emergency Management Bureau\"\n"
        "#\n"
        "# [[inspectors]]\n"
        "# name = \"Li Si\"\n"
        "# cert = \"14000000001\"\n"
        "# org = \"XX County Emergency Management Bureau\"\n"),
    # --- documents: report, form, templates ---
    # documents: titles and vocabulary
    "doc.inspection-record.title": ("现场检查记录", "On-site inspection record"),
    "doc.rectification-order.title": ("责令限期整改指令书", "Order to rectify within a time limit"),
    "doc.self-audit.title": ("企业自查报告", "Self-audit report"),
    "doc.supervision.title": ("督导检查记录", "Supervision record"),
    "doc.hazards.title": ("隐患整改清单", "Hazard rectification list"),
    "doc.hazards.title_supervise": ("问题整改清单", "Rectification list"),
    "doc.mode.inspect": ("执法检查", "enforcement inspection"),
    "doc.mode.self": ("企业自查", "self-audit"),
    "doc.mode.supervise": ("督导检查", "supervision"),
    "doc.result.pass": ("符合", "Compliant"),
    "doc.result.fail": ("不符合", "Non-compliant"),
    "doc.result.na": ("不适用", "N/A"),
    "doc.result.unanswered": ("未检查", "Not checked"),
    "doc.short.pass": ("符合", "pass"),
    "doc.short.fail": ("不符合", "fail"),
    "doc.short.na": ("不适用", "n/a"),
    "doc.short.unanswered": ("未检查", "unchecked"),
    "doc.level.general": ("一般事故隐患", "general hazard"),
    "doc.level.major": ("重大事故隐患", "major hazard"),
    "doc.level.general.short": ("一般", "general"),
    "doc.level.major.short": ("重大", "major"),
    "doc.kind.problem": ("问题", "problem"),
    "doc.level.general.kind": ("一般隐患", "general hazard"),
    "doc.level.major.kind": ("重大隐患", "major hazard"),
    "doc.problem_summary": ("问题 {problems} 项；企业事故隐患 {count} 项（一般 {general} 项，重大 {major} 项）。",
                            "{problems} problem(s); {count} enterprise hazard(s) ({general} general, {major} major)."),
    "doc.col.kind": ("类别", "Kind"),
    "doc.status.open": ("待整改", "open"),
    "doc.status.rectified": ("已整改待复查", "rectified, to be reviewed"),
    "doc.status.awaiting": ("已整改待监管部门审核", "rectified, awaiting the authority's approval"),
    "doc.status.closed": ("已销号", "closed"),
    "doc.status.overdue": ("逾期", "overdue"),
    "doc.period_range": ("{start}至{end}", "{start} to {end}"),
    "doc.default_review_body": ("本级人民政府", "the people's government at the same level"),
    "doc.incomplete": ("未完成", "INCOMPLETE"),
    "doc.incomplete_note": ("本记录尚未完成，仅供核对，不作正式文书使用。",
                            "this record is not complete; for checking only, not an official document."),
    "doc.draft": ("草稿", "DRAFT"),
    "doc.draft_note": ("未签发（report --issue 签发并编号），不作正式文书使用。",
                       "not issued (report --issue issues and numbers it); not an official document."),
    "doc.draft_unverified": ("记录未通过核验（safetycheck verify），不能签发，仅供核对。",
                             "the record fails verification (safetycheck verify) and cannot be issued; "
                             "for checking only."),
    "doc.seal": ("记录封存 {seal}", "record seal {seal}"),
    "doc.replaces": ("本文书更正并替代{number}。", "This document corrects and replaces {number}."),
    "doc.deadline_blank": ("　　年　　月　　日前", "by ____-__-__"),
    # documents: field labels
    "doc.unit": ("被检查单位", "Unit inspected"),
    "doc.unit_any": ("单位", "Unit"),
    "doc.address": ("地址", "Address"),
    "doc.principal": ("法定代表人（负责人）", "Legal representative (principal)"),
    "doc.phone": ("联系电话", "Phone"),
    "doc.representative": ("现场负责人", "On-site representative"),
    "doc.site": ("检查场所", "Place inspected"),
    "doc.purpose": ("事由和目的", "Reason and purpose"),
    "doc.when": ("检查时间", "Time of inspection"),
    "doc.witness": ("见证人", "Witness"),
    "doc.inspectors": ("检查人员", "Inspectors"),
    "doc.name": ("姓名", "Name"),
    "doc.cert": ("执法证号", "Certificate no."),
    "doc.org": ("单位", "Organisation"),
    "doc.situation": ("检查情况", "Findings"),
    "doc.failed_items": ("不符合项", "non-compliant items"),
    "doc.passed_items": ("符合项", "compliant items"),
    "doc.na_items": ("不适用项", "items not applicable"),
    "doc.unanswered_items": ("未检查项", "items not checked"),
    "doc.problems": ("发现的问题及处理情况", "Problems found and how they are handled"),
    "doc.signatures": ("签名", "Signatures"),
    "doc.major_open": ("存在重大事故隐患 {count} 项。", " {count} major hazard(s) not closed."),
    "doc.summary": ("共 {total} 项：符合 {pass} 项，不符合 {fail} 项，不适用 {na} 项，未检查 {unanswered} 项。",
                    "{total} items: {pass} compliant, {fail} non-compliant, {na} not applicable, "
                    "{unanswered} not checked."),
    "doc.no_problems": ("未发现问题。", "No problems were found."),
    "doc.handling": ("对上述 {count} 项问题（其中重大事故隐患 {major} 项），依法责令限期整改，"
                     "另行下达《责令限期整改指令书》。",
                     "The {count} problem(s) above ({major} major hazard(s)) are to be rectified within a time "
                     "limit; an order to rectify is issued separately."),
    "doc.order_number": ("文号：{number}。", " Number: {number}."),
    "doc.col.seq": ("序号", "No."),
    "doc.col.item": ("检查项", "Item"),
    "doc.col.section": ("检查内容", "Checklist and section"),
    "doc.col.finding": ("情况描述", "Finding"),
    "doc.col.description": ("问题描述", "Problem"),
    "doc.col.level": ("等级", "Level"),
    "doc.col.measure": ("整改措施", "Measure"),
    "doc.col.requirement": ("整改要求", "Required action"),
    "doc.col.owner": ("责任人", "Owner"),
    "doc.col.deadline": ("期限", "Deadline"),
    "doc.col.status": ("状态", "Status"),
    "doc.col.basis": ("依据", "Basis"),
    "doc.col.score": ("得分", "Score"),
    "doc.col.standard": ("合格标准", "Standard"),
    "doc.col.method": ("检查方法", "Method"),
    "doc.col.note": ("备注", "Notes"),
    "doc.col.result": ("结论", "Result"),
    "doc.note": ("备注", "Note"),
    "doc.col.field": ("项目", "Field"),
    "doc.col.value": ("内容", "Value"),
    # documents: signatures
    "doc.sign.inspectors": ("检查人员（签名）", "Inspectors (signature)"),
    "doc.sign.inspectors_cert": ("检查人员（签名及执法证号）", "Inspectors (signature and certificate no.)"),
    "doc.sign.representative": ("被检查单位现场负责人（签名）", "Unit's on-site representative (signature)"),
    "doc.sign.witness": ("见证人（签名）", "Witness (signature)"),
    "doc.sign.refusal": ("被检查单位负责人拒绝签字的，记明情况",
                         "If the unit's responsible person refuses to sign, record it here"),
    "doc.sign.auditors": ("自查人员（签名）", "Self-auditors (signature)"),
    "doc.sign.principal": ("主要负责人（签名）", "Principal (signature)"),
    "doc.sign.supervisors": ("督导人员（签名）", "Supervisors (signature)"),
    "doc.sign.supervised": ("被督导单位负责人（签名）", "Head of the body supervised (signature)"),
    "doc.sign.compiler": ("填表人（签名）", "Compiled by (signature)"),
    "doc.sign.date_blank": ("　　年　　月　　日", "date ________"),
    "doc.sign.line": ("＿＿＿＿＿＿＿＿＿＿＿＿", "________________"),
    "doc.colon": ("：", ": "),
    "doc.paren": ("（{text}）", " ({text})"),
    "doc.mark": ("【{text}】", "[{text}]"),
    "doc.mark_gap": ("", " "),
    "doc.gap": ("\u3000", "  "),
    "doc.indent": ("\u3000\u3000", ""),
    "doc.sign.agency_blank": ("＿＿＿＿＿＿＿＿＿＿", "____________"),
    "doc.sign.seal": ("（印章）", " (seal)"),
    # documents: rectification order
    "doc.ro.order": ("你单位于{date}接受现场检查，存在下列问题（事故隐患）。依据《中华人民共和国安全生产法》"
                     "第六十五条的规定，现责令你单位对下列 {count} 项问题在各项规定的期限前整改完毕，达到法律、"
                     "法规、规章和国家标准或者行业标准的要求。由此造成事故的，依法追究有关人员的责任。",
                     "The on-site inspection of your unit on {date} found the problems (accident hazards) below. "
                     "Under Article 65 of the Work Safety Law of the People's Republic of China, your unit is "
                     "ordered to rectify these {count} problem(s), each by its own deadline, so that they meet "
                     "laws, regulations, rules and national or industry standards. Anyone responsible for an "
                     "accident they cause will be held liable according to law."),
    "doc.ro.meanwhile": ("整改期间，你单位应当采取有效措施，确保安全生产。对依法应当给予行政处罚的安全生产"
                         "违法行为，本机关将依法另行处理。",
                         "While rectifying, your unit must take effective measures to keep production safe. "
                         "Violations subject to administrative penalties will be dealt with separately."),
    "doc.ro.major": ("重大事故隐患排除前或者排除过程中无法保证安全的，应当从危险区域内撤出作业人员，"
                     "暂时停产停业或者停止使用相关设施、设备。",
                     "Where safety cannot be ensured before or while a major hazard is removed, workers must be "
                     "withdrawn from the danger zone and production, business or the equipment concerned "
                     "suspended."),
    "doc.ro.remedies": ("如不服本指令，可以自收到本指令书之日起六十日内依法向{review_body}申请行政复议，"
                        "或者在六个月内依法向人民法院提起行政诉讼，但本指令不停止执行，法律另有规定的除外。",
                        "If you disagree with this order you may apply to {review_body} for administrative "
                        "reconsideration within 60 days of receiving it, or bring an administrative lawsuit "
                        "before a people's court within 6 months; the order is not suspended meanwhile, unless "
                        "the law provides otherwise."),
    "doc.ro.copies": ("本文书一式两份，一份由被检查单位留存，一份归档。",
                      "Made in two copies: one for the unit inspected, one for the file."),
    # documents: self-audit, supervision, hazard list
    "doc.sa.unit": ("单位名称", "Enterprise"),
    "doc.sa.principal": ("主要负责人", "Principal"),
    "doc.sa.auditors": ("自查人员", "Self-auditors"),
    "doc.sa.site": ("自查范围", "Scope"),
    "doc.sa.period": ("自查时间", "Time of the self-audit"),
    "doc.sa.score": ("自查得分", "Score"),
    "doc.sa.results": ("自查结果", "Results"),
    "doc.sa.hazards": ("隐患及整改", "Hazards and their rectification"),
    "doc.sa.hazard_summary": ("共发现隐患 {count} 项，其中一般事故隐患 {general} 项，重大事故隐患 {major} 项。",
                              "{count} hazard(s) found: {general} general, {major} major."),
    "doc.sa.dual_report": ("本项为重大事故隐患。依据《中华人民共和国安全生产法》第四十一条，其排查治理情况应当"
                           "及时向负有安全生产监督管理职责的部门和职工大会或者职工代表大会报告（双报告）。",
                           "This is a major hazard. Under Article 41 of the Work Safety Law, how it is found and "
                           "dealt with must be reported promptly to the department responsible for work-safety "
                           "supervision and to the workers' congress (dual reporting)."),
    "doc.supervision-feedback.title": ("督导反馈意见", "Supervision feedback"),
    "doc.fb.to": ("{name}：", "To {name}:"),
    "doc.fb.intro": ("{period}，{office}督导组{team}{arranged}对你单位安全生产工作进行了督导检查，共检查 {asked} 项，"
                     "发现问题 {problems} 项",
                     "On {period}, the supervision team of {office}{team} supervised the work safety of your "
                     "body{arranged}: {asked} items were checked and {problems} problem(s) found"),
    "doc.fb.arranged": ("按照{purpose}安排，", " ({purpose})"),
    "doc.fb.intro_hazards": ("，另发现企业事故隐患 {count} 项", "; {count} enterprise hazard(s) were also found"),
    "doc.fb.intro_end": ("。现将督导发现的问题和整改要求反馈如下。",
                         ". The problems found and the action required are set out below."),
    "doc.fb.intro_none": ("。", "."),
    "doc.fb.office_blank": ("督导机构", "the supervising office"),
    "doc.fb.numerals": ("一,二,三,四", "1,2,3,4"),
    "doc.fb.heading": ("{n}、{title}", "{n}. {title}"),
    "doc.fb.h_problems": ("存在的问题及整改要求", "Problems and the action required"),
    "doc.fb.h_hazards": ("督导中发现的企业事故隐患", "Enterprise hazards found during the supervision"),
    "doc.fb.h_requirements": ("整改工作要求", "What is asked of your body"),
    "doc.fb.report_due": ("整改报告报送期限", "Rectification report due"),
    "doc.fb.requirements": ("请你单位高度重视，对照上述问题逐项制定整改措施，明确责任领导、责任人和完成时限，于各项所列期限前将整改报告"
                            "（附整改佐证材料）报送{office}。{office}将对整改情况进行复查。",
                            "Please take each problem above in hand: set the measures, the leader and the person "
                            "responsible and the date each is done, and send the rectification report (with its "
                            "supporting material) to {office} by the date given for each problem. {office} will "
                            "review the rectification."),
    "doc.fb.requirements_none": ("请你单位继续落实安全生产责任，巩固督导检查成果。",
                                 "Please keep up your body's work-safety responsibilities."),
    "doc.fb.requirements_hazards": ("对督导中发现的企业事故隐患，请督促相关企业按期整改到位，并将整改情况一并报送。",
                                    " For the enterprise hazards found, please see that the enterprises concerned "
                                    "rectify them in time, and report on them together."),
    "doc.sv.body": ("被督导单位", "Body supervised"),
    "doc.sv.principal": ("主要负责人", "Head"),
    "doc.sv.contact": ("联络人", "Contact"),
    "doc.sv.purpose": ("督导事项", "Subject of the supervision"),
    "doc.sv.period": ("督导时间", "Time of the supervision"),
    "doc.sv.team": ("督导人员", "Supervisors"),
    "doc.sv.results": ("督导情况", "Results"),
    "doc.sv.problems": ("发现的问题及整改要求", "Problems found and the action required"),
    "doc.hz.summary": ("隐患数量", "Hazards"),
    "doc.hz.summary_supervise": ("问题和隐患数量", "Findings"),
    # blank forms
    "form.title_one": ("{title}检查表", "Checklist: {title}"),
    "form.title_many": ("安全生产检查表", "Work-safety checklist"),
    "form.date": ("检查日期", "Date"),
    "form.date_blank": ("　　　　年　　月　　日", "____-__-__"),
    "form.id_version": ("（{id}，版本 {version}）", " ({id}, version {version})"),
    "form.count": ("共 {count} 项", "{count} items"),
    "form.major": ("可能构成重大事故隐患", "can be a major hazard"),
    "form.when_industry": ("适用行业：{values}", "Industries: {values}"),
    "form.when_mode": ("检查类型：{values}", "Inspections: {values}"),
    "form.when_body_type": ("被督导单位类型：{values}", "Bodies supervised: {values}"),
    "form.provisional": ("【推定】本清单为推定重建，未见官方枚举，使用前需当地核实。",
                         "[provisional] This list is reconstructed, not an official enumeration; confirm it "
                         "locally."),
    "form.unverified": ("依据未核实", "basis unverified"),
    "form.result": ("结论", "Result"),
    "form.how_to": ("在每项的“符合”“不符合”“不适用”中勾选一项；不符合的，在备注中写明问题、整改措施和期限。",
                    "Tick one of compliant, non-compliant or N/A for each item; for a non-compliant item write "
                    "the problem, the measure and the deadline under notes."),
    "form.sign.inspectors": ("检查人员（签名）", "Inspectors (signature)"),
    "form.sign.unit": ("被检查单位负责人（签名）", "Unit's responsible person (signature)"),
    "form.csv.checklist": ("清单标识", "checklist"),
    "form.csv.checklist_title": ("清单", "checklist title"),
    "form.csv.section": ("部分", "section"),
    "form.csv.item": ("检查项标识", "item"),
    "form.csv.seq": ("序号", "no."),
    "form.csv.text": ("检查项", "item text"),
    "form.csv.standard": ("合格标准", "standard"),
    "form.csv.method": ("检查方法", "method"),
    "form.csv.basis": ("依据", "basis"),
    "form.csv.major": ("可能构成重大事故隐患", "can be major"),
    "form.csv.result": ("结论（符合/不符合/不适用）", "result (compliant/non-compliant/N/A)"),
    "form.csv.note": ("备注", "notes"),
    "form.yes": ("是", "yes"),
    "form.bad_date": ("--date 的取值“{value}”不是日期；请写成 2026-03-05。",
                      "--date '{value}' is not a date; write it as 2026-03-05."),
    "form.no_names": ("请给出清单名称，或用 --all 生成全部清单的表格。",
                      "name one or more checklists, or use --all for every checklist."),
    "form.both": ("--all 不能与清单名称同时使用。", "--all cannot be combined with checklist names."),
    "form.no_builtin_alone": ("--no-builtin 只能与 --all 同用。", "--no-builtin goes with --all only."),
    "form.no_own": ("--all --no-builtin：没有找到自己的清单；用 --checklists DIR、SAFETYCHECK_PATH 或 ./checklists 指定。",
                    "--all --no-builtin: no checklists of your own were found; name them with --checklists DIR, "
                    "SAFETYCHECK_PATH or ./checklists."),
    "form.no_items": ("按 --tag {tags} 筛选后没有任何检查项。", "no item carries --tag {tags}."),
    "form.wrote": ("已写入 {count} 个表格：{path}", "wrote {count} form(s) to {path}"),
    # report command
    "report.unknown_doc": ("没有名为“{doc}”的文书；可选：{docs}。", "no document named '{doc}'; use one of: {docs}."),
    "report.wrong_mode": ("{path}：“{doc}”不适用于{mode}记录；该记录可出具：{docs}。",
                          "{path}: '{doc}' does not fit a {mode} record; this record can give: {docs}."),
    "report.no_hazards": ("{path}：记录中没有不符合项（隐患），不出具责令限期整改指令书。",
                          "{path}: the record has no non-compliant items (hazards), so no order to rectify."),
    "report.needs_folder": ("多份记录或多种文书要写成多个文件：请用 -o 指定输出文件夹。",
                            "several records or documents make several files: name an output folder with -o."),
    "report.progress": ("生成文书", "Rendering"),
    "report.wrote": ("已写入 {count} 个文件：{path}", "wrote {count} file(s) to {path}"),
    "report.no_agency": ("未设置机关简称（safetycheck.toml 的 [agency] short_name），文号留空待手填。",
                         "no agency short name ([agency] short_name in safetycheck.toml): the document "
                         "number is left blank to fill in by hand."),
    "number.locked": ("文号计数文件 {path} 正被另一个进程（pid {pid}）使用，等待 {seconds} 秒后仍未释放；请稍后重试。",
                      "the counter file {path} is held by another process (pid {pid}) for more than {seconds} s; "
                      "try again later."),
    "number.bad_table": ("文号计数文件 {path}：{key} 应是一个表；请修复或移走该文件。",
                         "counter file {path}: {key} must be a table; repair or move the file."),
    "number.bad_counter": ("文号计数文件 {path}：{key} = {value} 不是 0 到 {max} 之间的整数；请修复或移走该文件。",
                           "counter file {path}: {key} = {value} is not a whole number from 0 to {max}; repair or "
                           "move the file."),
    "number.unwritable": ("无法写入文号计数文件 {path}：{error}。", "cannot write the counter file {path}: {error}."),
    "report.drafts": ("{count} 份文书未签发，标为草稿、不编号；签发：safetycheck report … --issue。",
                      "{count} document(s) not issued: marked DRAFT, without a number; to issue: "
                      "safetycheck report … --issue."),
    "issue.incomplete": ("{path}：检查尚未完成，不能签发文书。", "{path}: the inspection is not complete; nothing can "
                         "be issued."),
    "issue.unverified": ("{path}：记录未通过核验（{change}），不能签发；草稿仍可生成。",
                         "{path}: the record fails verification ({change}), so nothing can be issued; drafts can "
                         "still be made."),
    "issue.changed": ("{path}：{doc}（{number}）签发后记录已更改，其内容与已签发的不同；请用 --reissue 另行编号、更正并替代原文书。",
                      "{path}: {doc} ({number}) states something else since it was issued; use --reissue to give "
                      "it a new number that corrects and replaces it."),
    "issue.reissue_never": ("{path}：{doc} 尚未签发，无可替代；请用 --issue。",
                            "{path}: {doc} was never issued, so nothing to replace; use --issue."),
    "issue.served_never": ("{path}：{doc} 尚未签发，不能登记送达；请先用 --issue 签发。",
                           "{path}: {doc} was never issued, so it cannot be served; issue it with --issue first."),
    "issue.no_agency": ("{path}：签发 {doc} 需要文号，但未设置机关简称（safetycheck.toml 的 [agency] short_name）。",
                        "{path}: issuing {doc} takes a number, but no agency short name is set ([agency] short_name "
                        "in safetycheck.toml)."),
    "issue.no_supervision": ("{path}：签发 {doc} 需要督导机构的文号，但未设置督导机构简称（safetycheck.toml 的 [supervision] "
                             "short_name）。",
                             "{path}: issuing {doc} takes a number of the supervising office, but no short name is set "
                             "([supervision] short_name in safetycheck.toml)."),
    "issue.no_number": ("不编号", "no number"),
    "issue.done": ("{path}：已签发 {doc}：{number}（记录封存 {seal}）", "{path}: issued {doc}: {number} (record seal {seal})"),
    "issue.served": ("{path}：已登记 {doc}（{number}）于 {date} 送达", "{path}: {doc} ({number}) served on {date}"),
    "issue.bad_served": ("--served 的取值“{value}”不是日期；请写成 2026-03-05。",
                         "--served '{value}' is not a date; write it as 2026-03-05."),
    "issue.how_without_date": ("--served-how 需要与 --served DATE 一起使用。", "--served-how needs --served DATE."),
    "cli.issue_opt": ("签发：为每份编号文书取文号并记入记录（不加则为草稿、不编号）。",
                      "Issue: take a number for each numbered document and record it (without it: a DRAFT, "
                      "no number)."),
    "cli.reissue_opt": ("重新签发：取新文号，更正并替代已签发的文书。",
                        "Reissue: a new number that corrects and replaces the document issued before."),
    "cli.served_opt": ("送达日期（复议期限自此起算）。", "Date of service (the period for reconsideration runs from it)."),
    "cli.served_how_opt": ("送达方式：{choices}。", "How it was served: {choices}."),
    "number.bad_file": ("文号计数文件 {path} 无法读写或已损坏（{error}）；请修复或移走该文件。",
                        "the document-number counter file {path} cannot be used ({error}); repair or move it."),
    "template.no_folder": ("{origin} 指定的模板文件夹“{path}”不存在。",
                           "the template folder '{path}' given by {origin} does not exist."),
    "template.syntax": ("{where}: 模板语法错误：{error}", "{where}: template syntax error: {error}"),
    "template.render": ("{where}: 模板渲染出错：{error}", "{where}: template error: {error}"),
    "template.missing": ("找不到模板“{name}”。", "template '{name}' not found."),
    "template.not_utf8": ("{where}: 模板文件不是 UTF-8 编码；请另存为 UTF-8。",
                          "{where}: the template file is not UTF-8; save it as UTF-8."),
    "template.exists": ("{path} 中已有同名模板：{names}；加 --force 覆盖。",
                        "{path} already has templates named {names}; add --force to overwrite."),
    "template.exported": ("已导出 {count} 个模板到 {path}。", "exported {count} template(s) to {path}."),
    "output.unwritable": ("无法写入 {path}：{error}。", "cannot write {path}: {error}."),
    "disk.full": ("磁盘空间不足：无法写入 {path}（{error}）；原有文件未改动，请腾出空间后重试。",
                  "disk full: cannot write {path} ({error}); the existing file is unchanged. Free some space and try "
                  "again."),
    "output.bad_extension": ("-o {path}：扩展名不对应支持的格式；请用 {exts}，或用 --format {choices} 指定格式。",
                             "-o {path}: the extension names no supported format; use {exts}, or give "
                             "--format {choices}."),
    "output.not_folder": ("{path} 是文件；多份输出需要一个文件夹。",
                          "{path} is a file; several outputs need a folder."),
    # CLI: report, form, templates
    "cli.report_help": ("根据检查记录生成文书（现场检查记录、责令限期整改指令书、自查报告、督导检查记录、隐患整改清单）。",
                        "Render documents from records (inspection record, order to rectify, self-audit report, "
                        "supervision record, hazard list)."),
    "cli.records_arg": ("检查记录文件（.toml）。", "Record files (.toml)."),
    "cli.report_doc": ("文书：{docs}（可重复；默认按检查类型选择）。",
                       "Document: {docs} (repeatable; the default follows the record's mode)."),
    "cli.report_format": ("输出格式：{choices}（默认按 -o 的扩展名，否则 md）。",
                          "Output format: {choices} (default: from -o's extension, else md)."),
    "cli.report_out": ("输出文件；多份记录或多种文书时为文件夹。", "Output file; a folder for several records or documents."),
    "cli.templates_opt": ("自定义模板文件夹（可重复，优先于内置模板）。",
                          "Custom template folder (repeatable; takes precedence over the built-ins)."),
    "cli.form_help": ("生成空白检查表（纸质检查和 CI 用）。", "Print blank checklist forms (for paper and CI)."),
    "cli.form_names": ("清单或配置方案的名称。", "Checklist or profile names."),
    "cli.form_all": ("为每份清单各生成一份表格。", "A form for every checklist."),
    "cli.form_out": ("输出文件；与 --all 同用时为文件夹。", "Output file; a folder with --all."),
    "cli.form_date": ("填入检查日期（YYYY-MM-DD）；不给则留空。", "Fill in the date (YYYY-MM-DD); blank without it."),
    "cli.form_tag": ("只列带有该标签的检查项（可重复）。", "Only items with this tag (repeatable)."),
    "cli.templates_help": ("管理文书模板。", "Manage document templates."),
    "cli.templates_export_help": ("把内置模板复制到文件夹，供修改后用 --templates 使用。",
                                  "Copy the built-in templates to a folder to edit and use with --templates."),
    "cli.export_dir": ("目标文件夹。", "Destination folder."),
    "cli.force": ("覆盖已有文件。", "Overwrite existing files."),
    # --- coverage ---
    "cli.coverage_help": ("列出来源通知的每项要求及引用它的检查项。",
                          "List every requirement of the source notices with the items that cite it."),
    "coverage.title": ("来源要求覆盖情况", "Coverage of the source requirements"),
    "coverage.summary": ("共 {total} 项要求，其中可检查 {checkable} 项，已覆盖 {covered} 项，未覆盖 {uncovered} 项。",
                         "{total} requirements, {checkable} checkable, {covered} covered, {uncovered} uncovered."),
    "coverage.col_doc": ("文件", "Document"),
    "coverage.col_clause": ("条款", "Clause"),
    "coverage.col_text": ("要求", "Requirement"),
    "coverage.col_items": ("检查项", "Items"),
    "coverage.uncovered": ("未覆盖", "not covered"),
    "coverage.not_checkable": ("不可检查", "not checkable"),
    # --- the option parser's own words ---
    "parser.usage": ("用法：", "Usage: "),
    "parser.help_option": ("显示本帮助并退出。", "Show this message and exit."),
    "parser.try_help": ("运行 {command} --help 查看用法。", " Run {command} --help for usage."),
    "parser.no_option": ("没有选项 {a0}。", "no such option {a0}."),
    "parser.did_you_mean_option": ("是不是 {names}？", " Did you mean {names}?"),
    "parser.did_you_mean_command": ("是不是“{names}”？", " Did you mean '{names}'?"),
    "parser.or": ("”或“", "' or '"),
    "parser.or_plain": (" 或 ", " or "),
    "parser.missing_argument": ("缺少参数 {a0}。", "missing argument {a0}."),
    "parser.missing_option": ("缺少选项 {a0}。", "missing option {a0}."),
    "parser.extra_argument": ("多余的参数：{a0}。", "unexpected extra argument(s): {a0}."),
    "parser.no_command": ("没有命令“{a0}”。", "no such command '{a0}'."),
    "parser.missing_command": ("缺少命令。", "missing command."),
    "parser.needs_value": ("选项 {a0} 需要一个值。", "option {a0} needs a value."),
    "parser.no_value": ("选项 {a0} 不接受值。", "option {a0} does not take a value."),
    "parser.invalid_value": ("{a0} 的值无效：{a1}", "invalid value for {a0}: {a1}"),
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


def os_error(exc: OSError) -> str:
    """An operating-system error in the interface language, e.g. 没有这个文件或文件夹.

    Why: ``strerror`` is always English ("No such file or directory"), which made Chinese
    messages mix languages; the message around it names the path.
    """
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    name = "EACCES" if name == "EPERM" else name
    if f"os.{name}" in MESSAGES:
        return t(f"os.{name}")
    if _lang == "en" and exc.strerror:
        return exc.strerror
    return t("os.other", code=name or exc.errno or type(exc).__name__)
