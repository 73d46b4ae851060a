"""Columns in the order a Chinese reader expects: provinces as national statistics list them (GB/T 2260
division codes), other places by pinyin; by level, national → provincial → municipal → county, then the same."""

from __future__ import annotations

import json

from yigai.resources import load_data

from .conftest import BAOKANG, CITY, GUANGXI, NATIONAL, ROUNDUP, SICHUAN

# GB/T 2260's order, as the national statistics yearbook lists the provinces
STATISTICS = ("北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 广西 "
              "海南 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆").split()


def test_the_provinces_are_listed_in_division_code_order():
    provinces = load_data("jurisdictions.yaml")["provinces"]
    codes = [p["code"] for p in provinces if "code" in p]
    assert codes == sorted(codes) and len(set(codes)) == len(codes) == 34
    assert all(100000 < c < 900000 and c % 10000 == 0 for c in codes)  # provincial codes: two digits, then 0000
    names = [p["name"] for p in provinces]
    assert names[names.index("新疆维吾尔自治区") + 1] == "新疆生产建设兵团"  # as national statistics list it


def _labels(cli, *args):
    data = cli("matrix", NATIONAL, *args, "--format", "json").json()
    return [c["label"].split(" (")[0] for c in data["columns"]]


def test_sort_name_follows_the_division_order_then_pinyin(cli):
    labels = _labels(cli, CITY, BAOKANG, ROUNDUP, SICHUAN, "--sort", "name")
    provinces = [label.split()[0] for label in labels if label.split()[0] in STATISTICS]
    assert list(dict.fromkeys(provinces)) == [p for p in STATISTICS if p in provinces]
    assert labels.index("四川 2021") + 1 == labels.index("四川 2024")  # one place's lists by year
    assert labels.index("新疆 2024") + 1 == labels.index("兵团 2024")
    # places whose province yigai does not know come last, by pinyin: bao before mou
    assert labels[-2:] == ["保康县 2017", "某市 2023"]
    assert labels[0] == "北京 2024" and "上海 2024" not in labels[:8]  # not code-point order (上 < 北)


def test_sort_level_goes_national_provincial_municipal_county(cli):
    labels = _labels(cli, BAOKANG, CITY, SICHUAN, GUANGXI, "--sort", "level")
    assert labels == ["广西 2023", "四川 2021", "某市 2023", "保康县 2017"]  # 广西 45 before 四川 51
    from yigai.matrix import level_rank

    assert [level_rank(level) for level in ("national", "provincial", "municipal", "county")] == [0, 1, 2, 3]


def test_places_whose_province_is_unknown_go_by_pinyin_not_code_point():
    from yigai.order import chinese_order

    names = ["重庆市", "长沙市", "成都市", "北京市"]  # code points: 北 < 成 < 重 < 长
    ordered = sorted(names, key=lambda n: chinese_order(n, n))
    assert ordered == ["北京市", "重庆市", "长沙市", "成都市"]  # provinces first, by code (11, 50); then chang < cheng
    assert chinese_order("", "长沙") < chinese_order("", "成都") < chinese_order("", "株洲")


def test_the_reports_menu_offers_the_same_order():
    from yigai.documents import read_document
    from yigai.matrix import Order, matrix, ordered
    from yigai.vocab import load_vocabulary
    from yigai_cli.formats.report import gather

    national = read_document(NATIONAL)
    columns = matrix(national, [str(CITY), str(BAOKANG), str(ROUNDUP)], detail=True)
    summary = json.loads(gather(national, columns, {}, load_vocabulary())["data"])["columns"]
    by_rank = sorted(range(len(summary["label"])), key=lambda k: summary["rank"][k])
    assert [summary["label"][k] for k in by_rank] == [c.label for c in ordered(columns, Order.name)]
