"""Typed models: checklists, profiles and the source registry; the closed vocabularies.

Why: the models are declared once, as msgspec Structs; ``safetycheck schema`` derives the
JSON Schema from them, and the loader decodes YAML into them, so there is no second copy.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

METHODS = ("查资料", "看现场", "问询", "抽考")
AUDIENCES = ("企业", "执法", "监管部门", "党委政府", "乡镇村社区")
STATUSES = ("draft", "provisional", "stable")
MODES = ("inspect", "self", "supervise")
RESULTS = ("pass", "fail", "na")
LEVELS = ("general", "major")
KINDS = ("hazard", "problem")  # a finding: an accident hazard, or a 问题 of a government body (supervise)

# The closed vocabulary of industries: `run --industry` and checklist `when` conditions use it.
INDUSTRIES = (
    "危险化学品",
    "化工",
    "煤矿",
    "金属非金属矿山",
    "尾矿库",
    "冶金",
    "有色",
    "建材",
    "机械",
    "轻工",
    "纺织",
    "烟草",
    "商贸",
    "粉尘涉爆",
    "涉氨制冷",
    "有限空间作业",
    "建筑施工",
    "经营性自建房",
    "道路运输",
    "城镇燃气",
    "人员密集场所",
    "九小场所",
    "特种设备",
    "烟花爆竹",
    "民用爆炸物品",
    "文化旅游",
    "其他",
)

# The closed vocabulary of government bodies a supervision (`--mode supervise`) is made of.
BODY_TYPES = ("乡镇人民政府", "街道办事处", "开发区管委会", "县级部门", "村（社区）")

# Unit attributes a `when` condition may name, with their allowed values (None = free text).
WHEN_KEYS: dict[str, tuple[str, ...] | None] = {"industry": INDUSTRIES, "mode": MODES, "body_type": BODY_TYPES}

Method = Literal["查资料", "看现场", "问询", "抽考"]
Audience = Literal["企业", "执法", "监管部门", "党委政府", "乡镇村社区"]
Status = Literal["draft", "provisional", "stable"]
Mode = Literal["inspect", "self", "supervise"]
Result = Literal["pass", "fail", "na"]
Level = Literal["general", "major"]
Kind = Literal["hazard", "problem"]
BodyType = Literal["乡镇人民政府", "街道办事处", "开发区管委会", "县级部门", "村（社区）"]

Slug = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        max_length=64,
        description="标识：小写字母、数字和连字符。 / Id: lowercase letters, digits and hyphens.",
    ),
]
Text = Annotated[str, msgspec.Meta(min_length=1)]
MAX_ITEM_TEXT = 120  # characters of an item's text: one checkable fact, read aloud on site
ItemText = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_ITEM_TEXT)]


def _about(zh: str, en: str, *examples: object) -> msgspec.Meta:
    """Schema metadata of one field: Chinese, then English, and optional examples.

    Why: editors (yaml-language-server) show the description on hover and offer the
    examples as completions; docstrings never reach the schema.
    """
    return msgspec.Meta(description=f"{zh} / {en}", examples=list(examples) if examples else None)


class Model(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Base of every checklist-side model: immutable, unknown keys refused."""


class Citation(Model, frozen=True, kw_only=True):
    """A basis or penalty citation: either ``{doc, clause}`` or ``{law, article}``.

    Why one struct: the YAML shapes carry no tag, and msgspec cannot decode untagged unions
    of structs; the loader checks that exactly one of ``doc`` and ``law`` is given.
    """

    doc: Annotated[str | None, _about(
        "所引用文件的文号或名称（来源登记表或本清单 sources 中的文件），与 clause 同用。",
        "Number or name of the cited document (in the source registry or this checklist's sources); "
        "use with clause.")] = None
    clause: Annotated[str | None, _about(
        "文件中的条款，按原文写法，如“(三)”或“二、(一)”。", "Clause of the document as written in it, e.g. \"(三)\".",
        "(三)")] = None
    req: Annotated[str | None, _about(  # requirement id from the coverage index
        "要求索引（requirements.yaml）中的要求标识，用于覆盖统计。",
        "Requirement id from the requirement index (requirements.yaml), for coverage.")] = None
    law: Annotated[str | None, _about(
        "所引用法律法规的名称（来源登记表中的法律），与 article 同用。",
        "Name of the cited law or regulation (in the source registry); use with article.")] = None
    article: Annotated[Annotated[int, msgspec.Meta(ge=1)] | None, _about(
        "法律法规的条号（阿拉伯数字）。", "Article number of the law (an integer).", 22)] = None
    item: Annotated[str | None, _about(  # e.g. "(七)" of an article
        "条文中的项，如“(七)”。", "Item of the article, e.g. \"(七)\".", "(七)")] = None
    note: Annotated[str | None, _about(
        "对本引用的说明。", "A note on this citation.")] = None


class Item(Model, frozen=True, kw_only=True):
    """One checkable fact, answered 符合 / 不符合 / 不适用."""

    id: Annotated[Slug, _about(
        "检查项标识：小写字母、数字和连字符，发布后不再改变。",
        "Item id: lowercase letters, digits and hyphens; never changes once published.", "zeren-01")]
    text: Annotated[ItemText, _about(
        "检查内容：检查人员读出的问题，一般以“是否”开头。",
        "What is checked: the question the inspector reads, usually a yes/no question.",
        "是否制定全员安全生产责任制？")]
    standard: Annotated[Text, _about(
        "合格标准：检查人员在现场能看到或查到的具体要求。",
        "Pass standard: what the inspector can see or check on site.")]
    method: Annotated[list[Method], msgspec.Meta(min_length=1), _about(
        "检查方法，可多选：查资料、看现场、问询、抽考。",
        "How it is checked, one or more of: records (查资料), on site (看现场), interview (问询), quiz (抽考).")]
    basis: Annotated[list[Citation], msgspec.Meta(min_length=1), _about(
        "依据：本项出自的文件条款和适用的法律条文，至少一条。",
        "Basis: the notice clause this item comes from and the law articles that apply; at least one.")]
    major_possible: Annotated[bool, _about(
        "不符合时是否可能构成重大事故隐患。", "Whether a failure can be a major accident hazard.")] = False
    hint: Annotated[str | None, _about(
        "不符合时建议的整改措施。", "Suggested rectification measure when the item fails.")] = None
    tags: Annotated[list[str], _about(
        "标签，供 run/form 的 --tag 筛选。", "Tags, for selecting items with --tag in run and form.")] = []
    verified: Annotated[bool, _about(
        "依据是否已对照原文核实；false 时必须用 note 写明未核实的内容。",
        "Whether the basis was checked against the original text; when false, note says what is unverified.")] = True
    note: Annotated[str | None, _about(
        "备注，例如未核实的内容。", "A note, e.g. what is unverified.")] = None
    when: Annotated[dict[str, list[str]] | None, _about(
        "适用条件：只对所列行业（industry）、检查类型（mode）或被督导单位类型（body_type：乡镇人民政府、街道办事处、"
        "开发区管委会、县级部门、村（社区））的单位检查本项，其他单位自动记为不适用。",
        "Applies only to units of the listed industries (industry), inspection kinds (mode) or kinds of government "
        "body supervised (body_type: 乡镇人民政府, 街道办事处, 开发区管委会, 县级部门, 村（社区）); "
        "other units get n/a automatically.",
        {"body_type": ["县级部门"]})] = None
    penalty: Annotated[list[Citation], _about(
        "罚则：不符合时适用的处罚条文。", "Penalty: the articles that set the penalty for a failure.")] = []
    same_as: Annotated[str | None, _about(
        "与另一份清单中的检查项相同（写成 清单标识/检查项标识），一次检查中只问一次。",
        "Same fact as an item of another checklist (<checklist>/<item>); asked once per inspection.",
        "wudaowei/zeren-01")] = None


class Section(Model, frozen=True, kw_only=True):
    """A titled group of items."""

    id: Annotated[Slug, _about(
        "部分标识：小写字母、数字和连字符。", "Section id: lowercase letters, digits and hyphens.", "zeren")]
    title: Annotated[Text, _about("部分标题。", "Section title.", "安全责任")]
    aliases: Annotated[list[str], _about("部分的其他名称。", "Other names of the section.")] = []
    items: Annotated[list[Item], msgspec.Meta(min_length=1), _about(
        "本部分的检查项，至少一项。", "The items of this section; at least one.")]


class SourceRef(Model, frozen=True, kw_only=True):
    """A document a checklist draws on, with the clauses it uses."""

    doc: Annotated[Text, _about(
        "文件的文号或名称；本清单的 basis 可以引用它。",
        "Number or name of the document; this checklist's basis may cite it.", "某政发〔2026〕1号")]
    issuer: Annotated[str | None, _about("发文机关。", "Issuing body.")] = None
    date: Annotated[str | None, _about("发文日期（YYYY-MM-DD）。", "Date of issue (YYYY-MM-DD).", "2026-02-01")] = None
    title: Annotated[str | None, _about("文件标题。", "Title of the document.")] = None
    clauses: Annotated[list[str], _about("本清单用到的条款。", "Clauses this checklist uses.")] = []


class Checklist(Model, frozen=True, kw_only=True):
    """A checklist file (``checklists/*.yaml``)."""

    id: Annotated[Slug, _about(
        "清单标识：小写字母、数字和连字符，发布后不再改变。",
        "Checklist id: lowercase letters, digits and hyphens; never changes once published.", "my-plant")]
    title: Annotated[Text, _about("清单标题。", "Checklist title.", "本厂季度安全检查")]
    aliases: Annotated[list[str], _about(
        "别名：命令行中可以用它代替标识。", "Aliases: names the command line accepts instead of the id.")] = []
    version: Annotated[Text, _about(
        "版本号（文本，如 \"1.0\"，请加引号）。", "Version (text such as \"1.0\"; quote it).", "1.0")]
    audience: Annotated[list[Audience], msgspec.Meta(min_length=1), _about(
        "使用对象：企业、执法、监管部门、党委政府、乡镇村社区，可多选。",
        "Who uses it: enterprises, enforcement, supervising departments, party and government, towns and villages.")]
    summary: Annotated[Text, _about("一句话说明本清单的用途。", "One sentence on what the checklist is for.")]
    status: Annotated[Status, _about(
        "状态：draft 草稿、provisional 推定重建（未见官方枚举）、stable 稳定。",
        "Status: draft, provisional (reconstructed, no official list) or stable.")] = "draft"
    sources: Annotated[list[SourceRef], _about(
        "本清单引用的、不在来源登记表中的文件（如本地通知）。",
        "Documents this checklist cites that are not in the source registry (e.g. a local notice).")] = []
    sections: Annotated[list[Section], msgspec.Meta(min_length=1), _about(
        "清单的各部分，至少一个。", "The sections of the checklist; at least one.")]


class Profile(Model, frozen=True, kw_only=True):
    """A profile (``checklists/profiles/*.yaml``): checklists combined for a kind of unit."""

    id: Annotated[Slug, _about(
        "配置方案标识：小写字母、数字和连字符，发布后不再改变。",
        "Profile id: lowercase letters, digits and hyphens; never changes once published.", "weihua-qiye")]
    title: Annotated[Text, _about("方案标题。", "Profile title.", "危险化学品企业综合检查")]
    aliases: Annotated[list[str], _about(
        "别名：命令行中可以用它代替标识。", "Aliases: names the command line accepts instead of the id.")] = []
    version: Annotated[Text, _about("版本号（文本）。", "Version (text).", "1")] = "1"
    audience: Annotated[list[Audience], msgspec.Meta(min_length=1), _about(
        "使用对象，可多选。", "Who uses it; one or more.")]
    summary: Annotated[Text, _about("一句话说明本方案的用途。", "One sentence on what the profile is for.")]
    checklists: Annotated[list[str], msgspec.Meta(min_length=1), _about(
        "组合的清单（标识或别名），按检查顺序。", "The checklists combined (ids or aliases), in the order asked.",
        ["wudaowei", "weihua"])]
    exclude: Annotated[list[str], _about(
        "不检查的检查项（写成 清单标识/检查项标识）。", "Items left out (<checklist>/<item>).")] = []
    industry: Annotated[list[str], _about(
        "本方案针对的行业。", "The industries this profile is for.")] = []


class Document(Model, frozen=True, kw_only=True):
    """A notice, rule or standard that checklists may cite by document number."""

    doc: Annotated[Text, _about(
        "文号（没有文号时写文件名称）；清单的 basis 用它引用本文件。",
        "Document number (or the name when it has none); checklists cite it in basis.", "晋政发〔2024〕1号")]
    title: Annotated[str | None, _about("文件标题。", "Title of the document.")] = None
    issuer: Annotated[str | None, _about("发文机关。", "Issuing body.")] = None
    date: Annotated[str | None, _about(
        "发文日期（YYYY-MM-DD 或年份）。", "Date of issue (YYYY-MM-DD or a year).")] = None
    kind: Annotated[Literal["notice", "plan", "rule", "standard", "normative"], _about(
        "文件类别：notice 通知、plan 工作要点、rule 规章、standard 标准、normative 规范性文件。",
        "Kind: notice, plan, rule, standard or normative document.")] = "notice"
    aliases: Annotated[list[str], _about("文件的其他名称或简称。", "Other names or short names.")] = []
    industries: Annotated[list[str], _about(
        "重大事故隐患判定标准适用的行业（与 when 的行业词表相同）；空表示适用于任何单位。"
        "引用该标准、标为可能构成重大事故隐患的检查项只对这些行业的单位这样提示。",
        "For a major-hazard standard: the unit industries (the vocabulary of `when`) it applies to; empty = any "
        "unit. An item flagged as a possible major hazard that cites it is flagged only for those units.")] = []
    verified: Annotated[bool, _about(
        "文号、日期是否已对照原文核实。", "Whether number and date were checked against the original.")] = True
    note: Annotated[str | None, _about("备注。", "A note.")] = None


class Law(Model, frozen=True, kw_only=True):
    """A law or regulation that checklists cite by article."""

    law: Annotated[Text, _about(
        "法律法规的简称；清单的 basis 和 penalty 用它引用。",
        "Short name of the law or regulation; checklists cite it in basis and penalty.", "安全生产法")]
    title: Annotated[str | None, _about("全称。", "Full title.")] = None
    issuer: Annotated[str | None, _about("制定机关。", "Enacting body.")] = None
    date: Annotated[str | None, _about(
        "施行或最近修正日期（YYYY-MM-DD）。", "Date in force or last amended (YYYY-MM-DD).")] = None
    articles: Annotated[int, msgspec.Meta(ge=1), _about(
        "条文总数；引用超出的条号会报错。", "Number of articles; citing a higher one is an error.", 119)]
    aliases: Annotated[list[str], _about("其他名称或简称。", "Other names or short names.")] = []
    verified: Annotated[bool, _about(
        "条文数是否已对照原文核实。", "Whether the article count was checked against the original.")] = True
    note: Annotated[str | None, _about("备注。", "A note.")] = None


class Requirement(Model, frozen=True, kw_only=True):
    """One checkable requirement of a notice clause (the coverage index)."""

    id: Annotated[Slug, _about(
        "要求标识：小写字母、数字和连字符，发布后不再改变。",
        "Requirement id: lowercase letters, digits and hyphens; never changes once published.")]
    doc: Annotated[Text, _about("要求所在的文件（文号）。", "The document (number) the requirement is in.")]
    clause: Annotated[Text, _about("要求所在的条款。", "The clause the requirement is in.")]
    audience: Annotated[list[Audience], msgspec.Meta(min_length=1), _about(
        "要求针对的对象，可多选。", "Whom the requirement addresses; one or more.")]
    text: Annotated[Text, _about("要求的内容。", "What is required.")]
    checkable: Annotated[bool, _about(
        "能否在检查中核对；false 时必须写 reason。",
        "Whether an inspection can check it; when false, give reason.")] = True
    reason: Annotated[str | None, _about("不可检查的理由。", "Why it cannot be checked.")] = None


class SourceFile(Model, frozen=True, kw_only=True):
    """A file in ``checklists/sources/``: registry entries and coverage-index entries."""

    documents: Annotated[list[Document], _about(
        "可按文号引用的通知、规章和标准。", "Notices, rules and standards cited by document number.")] = []
    laws: Annotated[list[Law], _about("可按条号引用的法律法规。", "Laws and regulations cited by article.")] = []
    requirements: Annotated[list[Requirement], _about(
        "要求索引：来源通知中的每项要求。", "Requirement index: every requirement of the source notices.")] = []
