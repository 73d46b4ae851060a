"""How strongly a local item takes up its national counterpart: targets, deadlines and lead
departments side by side, for every full or partial pair of an Alignment.

- targets: each national target beside the local target on the same subject, `stricter`, `same`,
  `looser`, `not comparable` (another unit or bound) or `absent` (the local item sets none on it);
- deadline: the local item's `earlier`, `same` or `later` than the national one, or `none`;
- lead: the first lead departments of both serve the same function (data/departments.yaml) or differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from .align import Alignment, Pair
from .model import Document, Item, Target
from .promises import Departments


class TargetVerdict(str, Enum):
    STRICTER = "stricter"
    SAME = "same"
    LOOSER = "looser"
    NOT_COMPARABLE = "not comparable"
    ABSENT = "absent"


class DeadlineVerdict(str, Enum):
    EARLIER = "earlier"
    SAME = "same"
    LATER = "later"
    NONE = "none"


class LeadVerdict(str, Enum):
    SAME_FUNCTION = "same function"
    DIFFERS = "differs"
    UNKNOWN = "unknown"  # a side names no lead, or a name the department map does not know


# Characters that say where or how much, not what is measured (全区集采药品数 and 每个省份…药品通用名数
# measure the same thing in different places), and those nearly every subject of a health plan holds
# (村级医疗卫生服务 and 家庭医生签约服务覆盖率 share 医生服务 and nothing that matters).
_GENERIC = set("的和及与等全各每个省市县区国份地方在其中合计") | set("医疗卫生服务健康机构建设工作推进开展实施")
_TEXT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
SAME_SUBJECT = 0.5  # share of the shorter subject's characters found in the other


def subject_overlap(a: str, b: str) -> float:
    """How much two printed subjects share: characters of the shorter found in the longer (0-1)."""
    chars_a = {c for c in a if _TEXT.match(c)} - _GENERIC
    chars_b = {c for c in b if _TEXT.match(c)} - _GENERIC
    if not chars_a or not chars_b:
        return 0.0
    return len(chars_a & chars_b) / min(len(chars_a), len(chars_b))


@dataclass(frozen=True)
class TargetComparison:
    national: Target
    local: Target | None  # the local target on the same subject (None: absent)
    verdict: TargetVerdict

    def as_dict(self) -> dict[str, object]:
        return {"national": self.national.as_dict(), "local": self.local.as_dict() if self.local else None,
                "verdict": self.verdict.value}


@dataclass(frozen=True)
class DeadlineComparison:
    national: str | None  # as printed
    local: str | None
    national_date: str | None  # ISO, the document's year filling in 年底前
    local_date: str | None
    verdict: DeadlineVerdict

    def as_dict(self) -> dict[str, object]:
        return {"national": self.national, "local": self.local, "national_date": self.national_date,
                "local_date": self.local_date, "verdict": self.verdict.value}


@dataclass(frozen=True)
class LeadComparison:
    national: str | None  # the first lead department printed
    local: str | None
    national_functions: tuple[str, ...]
    local_functions: tuple[str, ...]
    verdict: LeadVerdict

    def as_dict(self) -> dict[str, object]:
        return {"national": self.national, "local": self.local, "national_functions": list(self.national_functions),
                "local_functions": list(self.local_functions), "verdict": self.verdict.value}


@dataclass(frozen=True)
class PairStrength:
    """Targets, deadline and lead of one (national item, local item) pair, side by side."""

    national: int
    local: int
    targets: tuple[TargetComparison, ...]
    deadline: DeadlineComparison
    lead: LeadComparison

    def notes(self, departments: Departments) -> tuple[str, ...]:
        """What an analyst would remark on: a weaker target, a later deadline, a lead of another function."""
        notes = []
        for t in self.targets:
            if t.verdict in (TargetVerdict.LOOSER, TargetVerdict.STRICTER) and t.local is not None:
                notes.append(f"target {t.verdict.value}: {t.national.text} → {t.local.text}")
            elif t.verdict is TargetVerdict.ABSENT:
                notes.append(f"no local target for {t.national.text}")
        if self.deadline.verdict is DeadlineVerdict.LATER:
            notes.append(f"deadline later: {self.deadline.national} → {self.deadline.local}")
        if self.lead.verdict is LeadVerdict.DIFFERS:
            national = "/".join(departments.label(f) for f in self.lead.national_functions)
            local = "/".join(departments.label(f) for f in self.lead.local_functions)
            notes.append(f"lead differs: {self.lead.national} ({national}) → {self.lead.local} ({local})")
        return tuple(notes)

    def as_dict(self) -> dict[str, object]:
        return {"targets": [t.as_dict() for t in self.targets], "deadline": self.deadline.as_dict(),
                "lead": self.lead.as_dict()}


def _direction(target: Target) -> int:
    """+1 where more is more ambitious (超过, 达到, bare numbers), -1 for ceilings (控制在10%以下)."""
    return -1 if target.bound == "at_most" else 1


def compare_target(national: Target, local_targets: tuple[Target, ...]) -> TargetComparison:
    """The national target beside the local target on the most alike subject."""
    if not local_targets:
        return TargetComparison(national, None, TargetVerdict.ABSENT)
    ranked = sorted(local_targets, key=lambda t: (subject_overlap(national.subject, t.subject), t.unit == national.unit),
                    reverse=True)
    best = ranked[0]
    if subject_overlap(national.subject, best.subject) < SAME_SUBJECT:
        return TargetComparison(national, None, TargetVerdict.ABSENT)
    if best.unit != national.unit or _direction(best) != _direction(national):
        return TargetComparison(national, best, TargetVerdict.NOT_COMPARABLE)
    gain = (best.value - national.value) * _direction(national)
    verdict = TargetVerdict.STRICTER if gain > 0 else TargetVerdict.LOOSER if gain < 0 else TargetVerdict.SAME
    return TargetComparison(national, best, verdict)


def compare_deadline(national: Item, national_year: int | None, local: Item, local_year: int | None) -> DeadlineComparison:
    n_date = national.due.date(national_year) if national.due else None
    l_date = local.due.date(local_year) if local.due else None
    if n_date is None or l_date is None:
        verdict = DeadlineVerdict.NONE
    else:
        verdict = (DeadlineVerdict.EARLIER if l_date < n_date
                   else DeadlineVerdict.LATER if l_date > n_date else DeadlineVerdict.SAME)
    return DeadlineComparison(national.deadline, local.deadline, n_date, l_date, verdict)


def compare_lead(national: Item, national_year: int | None, local: Item, local_year: int | None,
                 departments: Departments) -> LeadComparison:
    n_lead = national.departments[0] if national.departments else None
    l_lead = local.departments[0] if local.departments else None
    n_functions = departments.functions_of(n_lead, national_year) if n_lead else ()
    l_functions = departments.functions_of(l_lead, local_year) if l_lead else ()
    if not n_functions or not l_functions:
        verdict = LeadVerdict.UNKNOWN
    elif set(n_functions) & set(l_functions):
        verdict = LeadVerdict.SAME_FUNCTION
    else:
        verdict = LeadVerdict.DIFFERS
    return LeadComparison(n_lead, l_lead, n_functions, l_functions, verdict)


def pair_strength(national: Document, local: Document, pair: Pair, departments: Departments) -> PairStrength:
    n_item, l_item = national.item(pair.national), local.item(pair.local)
    return PairStrength(
        national=pair.national,
        local=pair.local,
        targets=tuple(compare_target(t, l_item.targets) for t in n_item.targets),
        deadline=compare_deadline(n_item, national.year, l_item, local.year),
        lead=compare_lead(n_item, national.year, l_item, local.year, departments),
    )


@dataclass(frozen=True)
class Strength:
    """Every full or partial pair of an alignment, with what both items promise side by side."""

    pairs: dict[tuple[int, int], PairStrength]

    def of(self, pair: Pair) -> PairStrength:
        return self.pairs[(pair.national, pair.local)]


def strength(alignment: Alignment, departments: Departments) -> Strength:
    """Targets, deadlines and leads side by side for every pair of `alignment`."""
    return Strength({(p.national, p.local): pair_strength(alignment.national, alignment.local, p, departments)
                     for p in alignment.pairs})
