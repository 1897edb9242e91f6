"""Content lints of the built-in library: numbers that trace to a source, citations that say what
an item checks, one rule for `checkable`, and profiles tried on realistic units."""

from __future__ import annotations

import re

import pytest

from safetycheck.catalog import models
from safetycheck.catalog.catalog import Catalog, open_catalog

# The phrase that marks a number, frequency or time window in a standard as the checklist's own
# suggestion (a method choice such as a sample size), not a duty stated by a source.
OWN_SUGGESTION = "本清单建议"
OWN_SUGGESTION_SHARE = 0.05

# Numbers that the cited law articles and rule clauses themselves state, read in their full
# texts (docs/checklists.md names the texts). A number in a standard traces to a citation when
# the item cites an article listed here with that number, or a requirement of the coverage index
# whose text carries it.
SOURCE_NUMBERS: dict[tuple[str, int | str], set[str]] = {
    ("安全生产法", 24): {"100人"},
    ("生产安全事故应急条例", 8): {"每半年", "1次", "每2年"},
    ("生产安全事故报告和调查处理条例", 9): {"1小时"},
    ("生产安全事故报告和调查处理条例", 11): {"2小时"},
    ("生产安全事故报告和调查处理条例", 13): {"7日", "30日"},
    ("特种设备安全法", 33): {"30日"},
    ("特种设备安全法", 40): {"1个月"},
    ("特种设备安全法", 43): {"每日"},
    ("消防法", 16): {"每年", "1次"},
    ("消防法", 17): {"每日"},
    ("道路运输条例", 28): {"4小时"},
    ("建设工程安全生产管理条例", 36): {"每年", "1次"},
    ("危险化学品安全管理条例", 22): {"3年", "1次"},
    ("安全生产法", 78): {"7个工作日"},
    ("安全生产法", 86): {"1年"},
    ("行政处罚法", 42): {"2名", "2人"},
    ("生产安全事故应急条例", 14): {"24小时"},
    ("应急管理部令第2号", "第三十三条"): {"每年", "每半年", "1次"},
    ("山西省人民政府令第293号", "第六条(四)"): {"每月", "每年"},
    ("矿安〔2022〕88号", "地下矿山(一)"): {"30米", "1000米"},
}

_CN = {"零": "0", "〇": "0", "一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5",
       "六": "6", "七": "7", "八": "8", "九": "9"}
# Frequencies, counts with a unit, and look-back windows ("近12个月") in a standard.
_ATOM = re.compile(
    r"每(?:日|天|周|月|季度|季|半年|年|班|车次|\d+年)"
    r"|近\d+(?:个)?(?:年|月|日|天|周)"
    r"|\d+(?:个工作日|个月|小时|分钟|日|天|年(?!度)|周|名|人|次|%|学时|米|周岁)"
)


def normalise(text: str) -> str:
    """Chinese numerals as digits (十二 → 12, 二十 → 20), no spaces, 季 as 季度."""
    text = re.sub(r"([一二三四五六七八九])?十([一二三四五六七八九])?",
                  lambda m: (_CN[m.group(1)] if m.group(1) else "1") + (_CN[m.group(2)] if m.group(2) else "0"),
                  text)
    text = "".join(_CN.get(c, c) for c in text).replace(" ", "")
    text = re.sub(r"(最近|上|前|该|每)1(?!\d)", r"\1一", text)  # "最近一次", "上一年度" count nothing
    text = re.sub(r"(最后|近)1次", r"\1一次", text)
    text = re.sub(r"(\d+)年(行动|规划)", r"\1-年\2", text)  # "三年行动" names a campaign
    return text.replace("每季度", "每季").replace("每季", "每季度").replace("％", "%")


def number_atoms(text: str) -> set[str]:
    """The numbers, frequencies and time windows a text states."""
    return set(_ATOM.findall(normalise(text)))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return open_catalog([], env={}, strict=True)


def builtin_items(catalog: Catalog) -> list[tuple[str, models.Item]]:
    out = []
    for entry in catalog.checklists():
        if isinstance(entry.model, models.Checklist):
            out.extend((f"{entry.id}/{item.id}", item) for s in entry.model.sections for item in s.items)
    return out


def traced_atoms(catalog: Catalog, item: models.Item) -> set[str]:
    """Every number the item's citations state: requirement texts and the source-number table.

    Why the note counts for unverified items: an item marked ``verified: false`` whose note names
    the number says the number is taken from its source unchecked — marked, as the issue asks.
    """
    found: set[str] = number_atoms(item.note or "") if not item.verified else set()
    for cite in item.basis:
        req = catalog.registry.requirements.get(cite.req or "")
        if req is not None:
            found |= number_atoms(req.text)
        key = (cite.law, cite.article) if cite.law else (cite.doc or "", cite.clause or "")
        found |= SOURCE_NUMBERS.get(key, set())  # type: ignore[arg-type]
    return found


def untraced_numbers(catalog: Catalog) -> tuple[list[str], list[str]]:
    """Items whose standard states a number no citation states; and items marked as suggestion."""
    bad, marked = [], []
    for ref, item in builtin_items(catalog):
        if OWN_SUGGESTION in item.standard:
            marked.append(ref)
            continue
        missing = number_atoms(item.standard) - traced_atoms(catalog, item)
        if missing:
            bad.append(f"{ref}: {sorted(missing)} in the standard trace to no citation")
    return bad, marked


def test_normalise_reads_chinese_numerals() -> None:
    assert number_atoms("每年至少进行一次全面检测") == {"每年", "1次"}
    assert number_atoms("近十二个月有记录") == {"近12个月"}
    assert number_atoms("二十年以上") == {"20年"}
    assert number_atoms("查最近一次调整后的版本") == set()
    assert number_atoms("每季至少一次") == {"每季度", "1次"}


def test_every_number_in_a_standard_traces_to_a_citation_or_is_marked(catalog: Catalog) -> None:
    bad, marked = untraced_numbers(catalog)
    assert bad == []
    items = builtin_items(catalog)
    assert len(marked) <= OWN_SUGGESTION_SHARE * len(items), f"{len(marked)} items marked {OWN_SUGGESTION}"


def test_a_number_without_a_source_is_found(tmp_path) -> None:
    """The lint catches the kind of invented window it exists for."""
    catalog = open_catalog([], env={})
    item = next(i for _, i in builtin_items(catalog) if i.id == "jingying-03" and i.when)
    invented = msgspec_replace(item, standard=item.standard + "每年至少更新一次。")
    assert number_atoms(invented.standard) - traced_atoms(catalog, invented) == {"每年", "1次"}
    marked = msgspec_replace(item, standard=item.standard + f"每年至少更新一次（{OWN_SUGGESTION}）。")
    assert OWN_SUGGESTION in marked.standard


def msgspec_replace(item: models.Item, **changes: object) -> models.Item:
    import msgspec

    return msgspec.structs.replace(item, **changes)


# --- §2: a major-hazard flag holds only where its standard applies ---------------------------

# Generic items flagged on the 工贸 (10号令) or 化工 (121号) standard without an industry condition.
SCOPED_GENERIC = ["shibicha/peixun-03", "shibicha/weixianzuoye-02", "shibicha/jiankong-01",
                  "wudaowei/touru-08", "wudaowei/touru-09", "wudaowei/peixun-06", "wudaowei/guanli-15"]


def test_generic_items_flag_a_major_hazard_only_for_the_standards_industries(catalog: Catalog) -> None:
    items = dict(builtin_items(catalog))
    for ref in SCOPED_GENERIC:
        item = items[ref]
        assert item.major_possible and item.when is None, ref
        scope = catalog.registry.major_industries(item)
        assert scope and "建筑施工" not in scope and "人员密集场所" not in scope, ref
    assert "冶金" in (catalog.registry.major_industries(items["shibicha/peixun-03"]) or [])
    # a flag resting on no scoped standard holds everywhere; an unflagged item has no scope
    assert catalog.registry.major_industries(items["xiaofang/tongdao-01"]) is None
    assert catalog.registry.major_industries(items["gongmao/youxian-02"]) is None


def test_every_scoped_standard_names_known_industries(catalog: Catalog) -> None:
    scoped = {d.doc: d.industries for d in catalog.registry.documents.values() if d.industries}
    assert scoped["应急管理部令第10号"][:8] == ["冶金", "有色", "建材", "机械", "轻工", "纺织", "烟草", "商贸"]
    assert scoped["安监总管三〔2017〕121号"] == ["危险化学品", "化工"]
    assert scoped["城镇燃气经营安全重大隐患判定标准"] == ["城镇燃气"]
    assert all(set(v) <= set(models.INDUSTRIES) for v in scoped.values())


def test_an_unknown_industry_on_a_standard_is_reported_with_its_line(tmp_path) -> None:
    from conftest import run_cli

    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "local.yaml").write_text(
        "documents:\n  - doc: 本地判定标准\n    kind: standard\n    industries: [冶金, 炼钢]\n", encoding="utf-8")
    result = run_cli("validate", "--checklists", str(tmp_path))
    assert result.returncode == 1
    assert "local.yaml:4:" in result.stdout and "炼钢" in result.stdout


def test_the_gas_standard_clause_is_cited_where_the_item_states_it(catalog: Catalog) -> None:
    items = dict(builtin_items(catalog))
    cited = {(c.doc, c.clause) for c in items["ranqi/jingying-01"].basis}
    assert ("城镇燃气经营安全重大隐患判定标准", "第四条(一)") in cited
    assert items["ranqi/jingying-01"].verified
    youxian = items["gongmao/youxian-02"]
    assert not youxian.major_possible and any(c.req == "jc2021-09-e" for c in youxian.basis)


# --- §4: one rule for `checkable` -------------------------------------------------------------

_DEMO_CAMPAIGN = re.compile(r"^(开展|推进|加强)[^，。；]*示范[^，。；]*创建")
_STUDY_OR_PUBLICITY = re.compile(r"学习|宣传|第一议题|专题片")


def test_checkable_follows_one_rule(catalog: Catalog) -> None:
    """Study and publicity leave records, so they are checkable; taking part in a demonstration
    campaign is voluntary, so it is not (docs/checklists.md, the coverage index)."""
    wrong = []
    for req in catalog.registry.requirements.values():
        demo = bool(_DEMO_CAMPAIGN.match(req.text))
        if demo and req.checkable:
            wrong.append(f"{req.id}: a demonstration campaign marked checkable")
        if not demo and _STUDY_OR_PUBLICITY.search(req.text) and not req.checkable:
            wrong.append(f"{req.id}: study or publicity marked not checkable")
        if not req.checkable and not req.reason:
            wrong.append(f"{req.id}: no reason")
    assert wrong == []
    named = catalog.registry.requirements
    assert all(named[r].checkable for r in ("lc2025-01-a", "yq2025-01-a", "xx2023-01-a", "yq2025-01-b",
                                              "xx2023-30-a", "jc2021-18-c"))
    assert not named["sx2024-10-j"].checkable and not named["jc2021-18-e"].checkable


def test_the_missed_requirements_are_in_the_index(catalog: Catalog) -> None:
    reqs = catalog.registry.requirements
    added = ["lc2025-07-j", "lc2025-12-e", "lc2025-12-f", "lc2025-13-f", "lc2025-13-g", "lc2025-17-d",
             "lc2025-19-d", "lc2025-22-c", "lc2025-23-d", "lc2025-24-f", "sx2024-01-o", "sx2024-10-m",
             "sx2024-10-n", "sx2024-13-g", "sx2024-13-h", "sx2024-14-e", "sx2024-19-d", "sx2024-22-c",
             "sx2024-26-c", "sx2024-26-d", "sx2024-26-e"] + [f"sx2024-21-{c}" for c in "fghijklmnopq"]
    assert len(added) == 33 and all(r in reqs for r in added)
    assert "林缘" in reqs["sx2024-21-g"].text and reqs["sx2024-21-g"].clause == "(二十一)"


# --- §4: citations that say what an item checks ------------------------------------------------

# Clauses that only name a list or a duty set the notice does not spell out.
_UMBRELLA = re.compile(r"十必查|十查十到位|五到位|11项职责|判定标准|一件事")
SEED_DOCS = {"潞城政发〔2025〕1号", "2023年XX县安全生产工作要点", "晋市政发〔2021〕1号", "垣政发〔2025〕1号",
             "晋政发〔2024〕1号"}


def umbrella_only(catalog: Catalog) -> list[str]:
    """Items whose every citation is an umbrella clause, though the item checks something else.

    An item that checks the umbrella itself (whether the 十必查 are applied, whether the 一件事
    has a lead department) names it in its text, and the umbrella clause is then the clause that
    states what it checks.
    """
    reqs = catalog.registry.requirements
    out = []
    for ref, item in builtin_items(catalog):
        cites = [c for c in item.basis]
        umbrella = all(c.doc in SEED_DOCS and c.req in reqs and _UMBRELLA.search(reqs[c.req].text) for c in cites)
        if umbrella and not _UMBRELLA.search(item.text) and "地质先行" not in item.text:
            out.append(ref)
    return out


def test_umbrella_only_citations_are_at_most_two_percent(catalog: Catalog) -> None:
    items = builtin_items(catalog)
    assert len(umbrella_only(catalog)) <= 0.02 * len(items)


def test_same_as_copies_cite_the_specific_clause_of_their_original(catalog: Catalog) -> None:
    items = dict(builtin_items(catalog))
    reqs = catalog.registry.requirements
    for ref in ("shicha-shidaowei/peixun-05", "shicha-shidaowei/xianchang-02", "shicha-shidaowei/zuoye-02"):
        original = items[ref].same_as
        assert original is not None, ref
        specific = {c.req for c in items[ref].basis if c.req in reqs and not _UMBRELLA.search(reqs[c.req].text)}
        assert specific and specific <= {c.req for c in items[original].basis}, ref


def test_items_the_county_plan_alone_supports_say_so(catalog: Catalog) -> None:
    plan = "2023年XX县安全生产工作要点"
    silent = [ref for ref, item in builtin_items(catalog)
              if {c.doc or c.law for c in item.basis} == {plan}
              and "XX县" not in item.standard + item.text + (item.note or "")]
    assert silent == []


# --- §6: profiles tried on realistic units ----------------------------------------------------

def asked(catalog: Catalog, profile: str, industry: list[str]) -> set[str]:
    """The items a walk with this profile asks a unit of these industries (the real plan)."""
    from safetycheck.inspection import recordmodels, session, walk

    snaps = walk.snapshots(catalog, [profile], [])
    record = recordmodels.InspectionRecord(mode="inspect", started_at=__import__("datetime").datetime(2025, 3, 5),
                                           unit=recordmodels.Unit(name="单位", industry=industry), checklists=snaps)
    plan = session.make_plan(record)
    return {f"{c}/{i}" for slot in plan.slots for c, i in slot.members}


# A unit is its trade, the building it occupies and the work going on inside it. Each row: the
# unit, the profile an inspector picks, the industries given, items it must be asked, and items it
# must not be asked (ruled out by `when`).
UNITS = [
    ("临街火锅店，租用三层经营性自建房的一、二层，后厨正在改造燃气管道", "餐饮",
     ["人员密集场所", "九小场所", "经营性自建房"],
     {"ranqi/yonghu-01", "ranqi/yonghu-06", "jianzhu-zijianfang/zijianfang-03", "changsuo-shigong/fabao-01",
      "changsuo-shigong/donghuo-01", "xiaofang/tongdao-01"},
     {"ranqi/jingying-01", "jianzhu-zijianfang/weida-02"}),
    ("商业综合体内的大型商场，营业期间对一层局部装修，商场有自动扶梯和客梯", "商场", ["人员密集场所"],
     {"tezhong-shebei/tongyong-02", "changsuo-shigong/fabao-04", "changsuo-shigong/zhuangxiu-02",
      "changsuo-shigong/zhuangxiu-04", "xiaofang/sheshi-05", "wudaowei/zeren-01"},
     {"jianzhu-zijianfang/zijianfang-02", "ranqi/guanwang-01"}),
    ("城区宾馆，十二层高层建筑，地下一层为厨房和锅炉房，客房层正在进行电气焊维修", "宾馆", ["人员密集场所"],
     {"changsuo-shigong/donghuo-04", "xiaofang/dianqi-07", "ranqi/yonghu-06", "tezhong-shebei/dianti-02",
      "yingji-yuan/yanlian-04"},
     {"jianzhu-zijianfang/zijianfang-05"}),
    ("县人民医院，住院楼有电梯，食堂使用管道天然气，门诊楼正在加层改造", "医院", ["人员密集场所"],
     {"tezhong-shebei/tongyong-01", "ranqi/yonghu-02", "changsuo-shigong/zhuangxiu-01", "xiaofang/tongdao-02"},
     {"wudaowei/touru-01", "ranqi/pingzhuang-01"}),
    ("乡镇中心小学，教学楼和学生宿舍，暑期对宿舍楼进行装修", "学校", ["人员密集场所"],
     {"xiaofang/tongdao-03", "changsuo-shigong/zhuangxiu-04", "changsuo-shigong/fabao-02"},
     {"jianzhu-zijianfang/weida-01"}),
    ("村口小超市兼住人，经营性自建房，无施工", "九小场所单位", ["九小场所", "经营性自建房"],
     {"xiaofang/cailiao-06", "jianzhu-zijianfang/zijianfang-04", "xiaofang/diandongche-01"},
     {"wudaowei/zeren-01", "tezhong-shebei/dianti-01"}),
    ("轧钢厂，厂区有煤气柜、职工食堂和宿舍，检修期间外包单位在车间动火", "工贸企业", ["冶金", "有限空间作业"],
     {"gongmao/yejin-08", "xiaofang/shenghuoqu-03", "xiaofang/shenghuoqu-04", "wudaowei/guanli-15"},
     {"gongmao/fenchen-01"}),
    ("危险化学品储存企业，有重大危险源罐区和办公楼、员工宿舍", "危化企业", ["危险化学品"],
     {"weihua/weixianyuan-01", "xiaofang/shenghuoqu-01", "xiaofang/cailiao-05"},
     {"gongmao/yejin-08"}),
    ("井工煤矿，地面有职工澡堂、食堂和单身宿舍", "煤矿企业", ["煤矿"],
     {"meikuang/zhongda-07", "xiaofang/shenghuoqu-02", "xiaofang/shenghuoqu-03"},
     {"weihua/panding-01"}),
    ("客运和危险货物运输公司，办公楼和停车场", "道路运输企业", ["道路运输"],
     {"daolu-yunshu/jiankong-01", "xiaofang/tongdao-05"},
     {"xiaofang/shenghuoqu-01"}),
    ("房建项目总承包单位，工地有工棚宿舍和临时用电", "建筑施工企业", ["建筑施工"],
     {"jianzhu-zijianfang/weida-02", "jianzhu-zijianfang/xianchang-04", "xiaofang/tongdao-03"},
     {"jianzhu-zijianfang/zijianfang-01"}),
    ("金属地下矿山，地面有办公楼和职工食堂", "非煤矿山企业", ["金属非金属矿山"],
     {"feimei-kuangshan/dixia-02", "xiaofang/shenghuoqu-03"},
     {"meikuang/zhongda-07"}),
    ("区应急管理局，接受区安委办督导", "监管部门督导", [],
     {"sanguan-sanbixu/zhifa-01", "sheqi-jiancha/jihua-09"}, set()),
    ("镇人民政府，接受县安委办督导", "乡镇街道", [],
     {"jiceng-yingji/xuanchuan-01", "dangzheng-zeren/xuexi-01"}, set()),
]


@pytest.mark.parametrize(("unit", "profile", "industry", "must", "must_not"), UNITS, ids=[u[0][:12] for u in UNITS])
def test_a_profile_gives_a_real_unit_the_items_it_needs(catalog: Catalog, unit: str, profile: str, industry: list[str],
                                                        must: set[str], must_not: set[str]) -> None:
    got = asked(catalog, profile, industry)
    assert must - got == set(), unit
    assert must_not & got == set(), unit


def test_every_profile_is_tried_on_realistic_units(catalog: Catalog) -> None:
    profiles = {e.id for e in catalog.checklists() if e.kind == "profile"}
    tried = {catalog.resolve(u[1]).id for u in UNITS}
    assert len(UNITS) >= 8
    assert tried == profiles


def test_a_scoped_major_flag_does_not_follow_an_item_into_a_profile_of_another_trade(catalog: Catalog) -> None:
    """xiaofang/dianqi-07 rests on the 工贸 standard: marked for the rolling mill, not for the hotel."""
    from safetycheck.inspection import session, walk

    snaps = {s.id: s for s in walk.snapshots(catalog, ["宾馆"], [])}
    item = next(i for i in snaps["xiaofang"].items if i.id == "dianqi-07")
    from safetycheck.inspection import recordmodels

    assert not session.major_applies(item, recordmodels.Unit(name="宾馆", industry=["人员密集场所"]))
    assert session.major_applies(item, recordmodels.Unit(name="轧钢厂", industry=["冶金"]))


# --- §1: the sector laws are cited for duty and penalty ----------------------------------------

SECTOR_LAWS = {
    "xiaofang": "消防法", "tezhong-shebei": "特种设备安全法", "ranqi": "城镇燃气管理条例",
    "daolu-yunshu": "道路交通安全法", "jianzhu-zijianfang": "建设工程安全生产管理条例",
    "weihua": "危险化学品安全管理条例",
}


def test_the_sector_laws_are_registered_with_their_article_counts(catalog: Catalog) -> None:
    counts = {name: law.articles for name, law in catalog.registry.laws.items()}
    assert counts["城镇燃气管理条例"] == 55
    assert counts["消防法"] == 74 and counts["特种设备安全法"] == 101 and counts["道路交通安全法"] == 124
    assert counts["危险化学品安全管理条例"] == 102 and counts["建设工程安全生产管理条例"] == 71
    assert counts["道路运输条例"] == 82 and counts["建设工程质量管理条例"] == 82
    assert all(catalog.registry.laws[name].verified for name in SECTOR_LAWS.values())


def test_sector_checklists_cite_their_sector_law(catalog: Catalog) -> None:
    by_checklist: dict[str, list[models.Item]] = {}
    for ref, item in builtin_items(catalog):
        by_checklist.setdefault(ref.split("/")[0], []).append(item)
    for checklist, law in SECTOR_LAWS.items():
        items = by_checklist[checklist]
        citing = [i for i in items if any(c.law in (law, "道路运输条例") for c in [*i.basis, *i.penalty])]
        assert len(citing) >= 0.15 * len(items), checklist
    items = dict(builtin_items(catalog))
    # fire findings carry the fire law's penalty; special equipment has its own
    assert [(c.law, c.article) for c in items["xiaofang/sheshi-06"].penalty][0] == ("消防法", 60)
    assert ("特种设备安全法", 84) in {(c.law, c.article) for c in items["tezhong-shebei/tongyong-02"].penalty}
    assert ("特种设备安全法", 87) in {(c.law, c.article) for c in items["tezhong-shebei/youle-01"].penalty}
    assert ("城镇燃气管理条例", 45) in {(c.law, c.article) for c in items["ranqi/jingying-01"].penalty}


def test_no_item_asks_for_light_injuries_to_be_reported(catalog: Catalog) -> None:
    standard = dict(builtin_items(catalog))["zhuyao-fuzeren/lvzhi-10"].standard
    assert "不要求向监管部门报告" in standard and "一一对应" not in standard
