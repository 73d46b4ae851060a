"""Who issued a document: jurisdiction names from data/jurisdictions.yaml and from the text itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .resources import load_data


@dataclass(frozen=True)
class Jurisdiction:
    name: str
    level: str  # national | provincial | municipal | county | unknown
    short: str


NATIONAL = "全国"
UNKNOWN = Jurisdiction("", "unknown", "")


@dataclass(frozen=True)
class _Names:
    canonical: dict[str, str]  # printed form -> canonical name
    short: dict[str, str]  # canonical name -> short name
    full_pattern: re.Pattern[str]  # full names and aliases
    short_pattern: re.Pattern[str]  # short names used as a subject (广西将, 湖南还将)
    any_short_pattern: re.Pattern[str]  # short names anywhere (for titles: 广西深化…)
    national_markers: tuple[str, ...]


@cache
def _names() -> _Names:
    data = load_data("jurisdictions.yaml")
    canonical: dict[str, str] = {}
    short_forms: dict[str, str] = {}
    shorts: dict[str, str] = {}
    for entry in data["provinces"]:
        name = entry["name"]
        canonical[name] = name
        for alias in entry.get("aliases", []):
            canonical[alias] = name
        for short in entry.get("short", []):
            short_forms[short] = name
        shorts[name] = entry.get("short", [name])[0]
    alt = lambda words: "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # noqa: E731
    return _Names(
        canonical={**canonical, **short_forms},
        short=shorts,
        full_pattern=re.compile(alt(canonical)),
        # A short name counts only as a subject, so that 京津冀 or 广西医院 do not switch jurisdiction.
        short_pattern=re.compile(rf"({alt(short_forms)})(?=将|还|也|在|要|以|坚持|认真|全面|持续|继续|聚焦|深入)"),
        any_short_pattern=re.compile(f"({alt(short_forms)})"),
        national_markers=tuple(data["national"]["markers"]),
    )


def canonical(name: str) -> str:
    """The canonical form of a printed provincial name (广西 -> 广西壮族自治区); other names unchanged."""
    return _names().canonical.get(name, name)


def short_name(name: str) -> str:
    return _names().short.get(name, name)


def leading_province(paragraph: str, window: int = 40) -> str | None:
    """The province a round-up paragraph is about, when it names one near its start."""
    names = _names()
    head = paragraph[:window]
    found = [(m.start(), m.group(0)) for m in names.full_pattern.finditer(head)]
    found += [(m.start(), m.group(1)) for m in names.short_pattern.finditer(head)]
    if not found:
        return None
    return canonical(min(found)[1])


_LOCAL_TAIL = r"(?=人民政府|政府|党委|委员会|卫生|医改|医疗保障|深化|关于|办公|委|医保)"
_CITY = r"[\u4e00-\u9fff]{1,6}?(?:自治州|市|州|盟|地区)"
_COUNTY = r"[\u4e00-\u9fff]{1,6}?(?:自治县|县|区|旗|市)"
_BELOW_PROVINCE = re.compile(rf"({_CITY})?({_COUNTY})?{_LOCAL_TAIL}")
# Names printed without a province: 某市, XX市, X县, 湛江市 — directly before an issuer word.
# A name is no place where it opens with 各 (the addressees: 各市州医疗保障局), 本/该/我 (this one) or 度 (2023年度…),
# or holds 全 (全市, 全省: the whole of one not named). A province the names table does not hold (某省 in a
# template) is a province all the same.
_BARE_LOCAL = re.compile(r"(?:^|年|印发)(?![各本该我度])((?:某|XX|X|××|\*+|(?:(?!全)[\u4e00-\u9fff]){2,4}?)"
                         rf"(?:省|市|县|区|州|旗)){_LOCAL_TAIL}")


def _level_of(name: str) -> str:
    if name.endswith("省"):
        return "provincial"
    if name.endswith(("县", "区", "旗")):
        return "county"
    if name.endswith(("市", "州", "盟", "地区")):
        return "municipal"
    return "unknown"


def _province_in(line: str) -> re.Match[str] | None:
    names = _names()
    return (
        names.full_pattern.search(line)
        or names.short_pattern.search(line)
        # a header may open with the short name: 广西深化医药卫生体制改革近期重点工作任务
        or names.any_short_pattern.match(line)
        or names.any_short_pattern.search(line, line.find("印发") + 2 if "印发" in line else len(line))
    )


def identify(lines: list[str]) -> Jurisdiction:
    """The issuing jurisdiction from a document's short header lines, title first.

    The first line that names an issuer decides: a national marker (国务院办公厅…), a province
    with an optional city and county after it (湖北省襄阳市保康县人民政府办公室), or a bare local
    name (某市委某市人民政府)."""
    names = _names()
    for line in lines:
        m = _province_in(line)
        if line.startswith(names.national_markers) and (m is None or m.start() > line.find("关于") >= 0):
            return Jurisdiction(NATIONAL, "national", NATIONAL)
        if m is not None:
            province = canonical(m.group(1) if m.lastindex else m.group(0))
            below = _BELOW_PROVINCE.match(line, m.end())
            if below and below.group(2):
                return Jurisdiction(below.group(2), "county", below.group(2))
            if below and below.group(1):
                return Jurisdiction(below.group(1), "municipal", below.group(1))
            return Jurisdiction(province, "provincial", short_name(province))
        bare = _BARE_LOCAL.search(line)
        if bare:
            name = bare.group(1)
            return Jurisdiction(name, _level_of(name), name)
    return UNKNOWN
