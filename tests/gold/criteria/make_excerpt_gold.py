# degree-dependent rows are written as the contract says: any over all[degree, years], one row per degree
# hand-written criteria gold for web excerpts (written from reading the texts); run once, JSON committed
import json

UPB = ["bachelor", "second_bachelor", "master", "master_professional", "doctor"]


def all_(*of):
    return {"op": "all", "of": list(of)}


def any_(*of, min=1):
    return {"op": "any", "min": min, "of": list(of)}


def none_(*of):
    return {"op": "none", "of": list(of)}


def deg(*d):
    return {"atom": "degree", "in": list(d)}


def yrs(n, basis="title"):
    return {"atom": "years", "years": n, "basis": basis}


def cnt(kind, n=1, subtype=None, implied=False):
    x = {"atom": "count", "kind": kind, "min_count": n, "subtype": subtype}
    if implied:
        x["implied"] = True
    return x


def txt(tag):
    return {"atom": "text", "tag": tag}


def st(*s):
    return {"atom": "status", "in": list(s)}


def ext():
    return {"atom": "external"}


REF = {"ref": "?"}
gold = {
    # 正高级工程师: a regular degree+years row, a 破格 route (no degree, or degree and 4 years) with a 之一 list
    "web-002": [
        # 专业理论知识要求: (精通…基础理论知识) is a section of conditions like the others: a text leaf
        # (as web2-006/web2-036 keep theirs), and the 破格 route refers to it as to the 能力 list
        ("regular", all_(all_(deg(*UPB), yrs(5)), txt("knowledge"), cnt("project", 2))),
        (
            "exceptional",
            all_(
                any_(yrs(5), all_(deg(*UPB), yrs(4))),
                txt("outstanding"),
                any_(
                    any_(cnt("award", 1), cnt("award", 2)),
                    cnt("project", 1, implied=True),
                    cnt("award", 1, implied=True),
                    yrs(30, "work"),
                ),
                REF,
                REF,
            ),
        ),
    ],
    # 高级工程师: degree rows with two year counts each, then 第1-7条的其中1条
    "web-010": [
        (
            "regular",
            all_(
                # the opening 系统掌握专业基础理论和专业技术知识… is the notice's knowledge condition
                txt("knowledge"),
                any_(
                    all_(deg("doctor"), yrs(2)),
                    all_(deg("master"), yrs(8, "work"), yrs(5)),
                    all_(deg("bachelor"), yrs(10, "work"), yrs(5)),
                ),
                any_(
                    cnt("award", 1, implied=True),
                    any_(
                        cnt("award", 1, implied=True),
                        cnt("award", 1, implied=True),
                        cnt("award", 1),
                        cnt("award", 2),
                    ),
                    cnt("award", 1, implied=True),
                    any_(cnt("project", 2), cnt("project", 2)),
                    any_(
                        cnt("patent", 1, "invention"),
                        cnt("patent", 2, "utility_model"),
                        cnt("patent", 2, "design"),
                        cnt("software_copyright", 2),
                    ),
                    any_(cnt("paper", 1, "core"), cnt("paper", 2, "general"), cnt("paper", 3, "general")),
                    any_(cnt("book", 1), cnt("book", 1)),
                ),
            ),
        ),
    ],
    # 馆员: degree rows 之一, ability items 之一, results 2 of 5 (下列成果中的2项)
    "web2-006": [
        (
            "regular",
            all_(
                any_(
                    deg("doctor"),
                    all_(deg("master"), yrs(2)),
                    all_(deg("bachelor"), yrs(4)),
                    all_(deg("college"), yrs(4)),
                    all_(deg("secondary"), yrs(7)),
                ),
                all_(
                    txt("knowledge"), any_(txt("ability"), cnt("standard", 1, implied=True), txt("ability"))
                ),
                any_(
                    txt("outstanding"),
                    cnt("award", 1, implied=True),
                    txt("accepted"),
                    cnt("honor", 1, implied=True),
                    cnt("paper", 2, "general"),
                    min=2,
                ),
            ),
        ),
    ],
    # 高级工程师 (广东): three text conditions, a 之一 list of achievements, a 之一 list of degree rows
    "web-004": [
        (
            "regular",
            all_(
                txt("knowledge"),
                txt("ability"),
                txt("ability"),
                any_(
                    all_(cnt("project", 2), txt("accepted")),
                    txt("outstanding"),
                    cnt("project", 1),
                    cnt("project", 2),
                    any_(cnt("standard", 1), cnt("standard", 3)),
                ),
                any_(
                    any_(all_(deg("doctor"), yrs(2)), all_(deg("doctor"), yrs(3, "work"))),
                    any_(
                        all_(deg("master"), yrs(5)),
                        all_(deg("second_bachelor"), yrs(5)),
                        all_(deg("bachelor"), yrs(5)),
                        all_(deg("secondary"), yrs(5)),
                    ),
                ),
            ),
        ),
    ],
    # 正高级审计师: two 之一 rows (the second a 业绩显著 row with its own 之一 list), knowledge, 5 projects and a 之一 list
    "web2-016": [
        (
            "regular",
            all_(
                any_(
                    all_(deg(*UPB), any_(yrs(5, "post"), yrs(5, "work"))),
                    all_(
                        # 从事审计相关工作满4年 counts from the 取得高级审计师职称后 of line 1: basis title, as
                        # in the flat gold (a years leaf is its flat entry)
                        yrs(4, "title"),
                        txt("outstanding"),
                        any_(cnt("award", 1, implied=True), cnt("honor", 1, implied=True)),
                    ),
                ),
                txt("knowledge"),
                cnt("project", 5),
                # 被审计署/省级/设区市审计机关评为优秀审计项目 is an award, as the flat gold codes it
                any_(cnt("award", 1), cnt("award", 2), cnt("award", 3), cnt("report", 6)),
            ),
        ),
    ],
    # 律师: 符合下列条件 (all) lists, a 之一 list, and 符合下列条件中的2条以上
    "web2-036": [
        (
            "regular",
            all_(
                all_(txt("knowledge"), txt("knowledge")),
                all_(txt("ability"), txt("other"), txt("ability")),
                any_(any_(cnt("paper", 1, "general"), cnt("paper", 2, "general")), cnt("book", 1)),
                # cases have no kind in the record contract: `other`, as in the flat gold
                any_(
                    cnt("other", 2),
                    any_(cnt("other", 1), cnt("other", 1)),
                    cnt("other", 1),
                    any_(cnt("other", 10), cnt("other", 1)),
                    min=2,
                ),
            ),
        ),
    ],
    # 高级工程师 (某省): a 不得参加 list, degree+years, continuing education, assessment, an unquantified 业绩 list (alternatives)
    "web-024": [
        (
            "regular",
            all_(
                none_(st("retired"), st("public_servant")),
                all_(deg(*UPB), yrs(5)),
                # 2.2 prints 公需课不少于24小时, 专业科目不少于56小时: printed counts (the flat gold has both)
                all_(txt("continuing_education"), cnt("course", 24), cnt("course", 56)),
                txt("assessment"),
                any_(
                    cnt("award", 1, implied=True),
                    any_(cnt("patent", 2, "invention"), cnt("patent", 3, "utility_model")),
                    cnt("project", 1, implied=True),
                    all_(cnt("project", 2), cnt("honor", 1, implied=True)),
                    all_(cnt("project", 2), cnt("honor", 1, implied=True)),
                    # 重点新产品的研制 is a project by the record contract's 新产品 rule (as in the flat gold)
                    all_(cnt("project", 2), cnt("honor", 1, implied=True)),
                    any_(cnt("standard", 1), cnt("standard", 2)),
                    all_(txt("outstanding"), txt("accepted")),
                    # item 9 is cut before any number: no flat entry, so an implied count
                    cnt("paper", 1, "core", implied=True),
                ),
            ),
        ),
    ],
    # 卫生高级 (广西): 不得申报 (retired, public servants) and the conditions kept in another document
    "web-022": [
        ("regular", all_(none_(st("retired"), st("public_servant")), ext())),
    ],
}
for name, routes in gold.items():
    folder = "web2" if name.startswith("web2") else "web"
    doc = {
        "source": f"../shared/corpus/{folder}/{name}.txt",
        "routes": [{"route": r, "requires": n} for r, n in routes],
    }
    with open(f"tests/gold/criteria/{name}.json", "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
