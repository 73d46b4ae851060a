"""`yigai check` output: text, JSON (compare object + verdict), JUnit XML, GitHub workflow commands."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from yigai.align import Alignment, Grade
from yigai.coverage import Coverage
from yigai.gate import Verdict

from .compare import as_object


def as_text(alignment: Alignment, cover: Coverage, verdict: Verdict) -> str:
    n = alignment.national
    lines = [f"{'PASSED' if verdict.passed else 'FAILED'}: {alignment.local.ref} covers {cover.ratio!r} of "
             f"{n.ref} ({len(cover.full)} full, {len(cover.partial)} partial, {len(cover.uncovered)} uncovered of {cover.total})"]
    lines += [f"  gate failed: {f}" for f in verdict.failures]
    if verdict.missing:
        lines.append("  missing national items:")
        lines += [f"    {i} {n.item(i).label} {n.item(i).title}" for i in verdict.missing]
    return "\n".join(lines) + "\n"


def as_json(alignment: Alignment, cover: Coverage, verdict: Verdict) -> str:
    data = as_object(alignment, cover)
    data.update({"passed": verdict.passed, "failures": list(verdict.failures),
                 "required": {k: list(v) for k, v in verdict.required.items()}})
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_junit(alignment: Alignment, cover: Coverage, verdict: Verdict) -> str:
    """One test case per national item (failing when a gate needs it and it is missing), plus one per gate."""
    suite = ET.Element("testsuite", name=f"yigai check {alignment.local.ref}")
    failures = 0
    required = {i for items in verdict.required.values() for i in items}
    for item in alignment.national.items:
        case = ET.SubElement(suite, "testcase", classname="yigai.national", name=f"{item.index} {item.title}")
        grade = alignment.grade_of(item.index)
        if item.index in verdict.missing:
            failures += 1
            why = "required" if item.index in required else "uncovered"
            ET.SubElement(case, "failure", message=f"national item {item.index} {why} and has no local counterpart",
                          type="uncovered").text = item.text
        elif grade is Grade.NONE:
            ET.SubElement(case, "skipped", message="uncovered (no gate requires it)")
        else:
            counterparts = ", ".join(str(p.local) for p in alignment.pairs_of(item.index))
            ET.SubElement(case, "system-out").text = f"{grade.value}: local {counterparts}"
    gate_case = ET.SubElement(suite, "testcase", classname="yigai.gates", name="gates")
    for failure in verdict.failures:
        failures += 1
        ET.SubElement(gate_case, "failure", message=failure, type="gate")
    suite.set("tests", str(len(alignment.national.items) + 1))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(alignment: Alignment, cover: Coverage, verdict: Verdict) -> str:
    """GitHub Actions workflow commands: ::error per failure and missing item, ::warning per other gap."""
    file = _escape_property(alignment.local.source)
    lines = [f"::error file={file},title={_escape_property('yigai check')}::{_escape_data(f)}" for f in verdict.failures]
    for i in cover.uncovered:
        item = alignment.national.item(i)
        level = "error" if i in verdict.missing else "warning"
        title = _escape_property(f"national item {i} uncovered")
        lines.append(f"::{level} file={file},title={title}::{_escape_data(item.label + item.title)}")
    lines.append(f"::notice file={file}::{_escape_data(f'coverage {cover.ratio:.4f}; passed={verdict.passed}')}")
    return "\n".join(lines) + "\n"


def summary_markdown(alignment: Alignment, cover: Coverage, verdict: Verdict) -> str:
    """For $GITHUB_STEP_SUMMARY: the verdict, the failures, and the national items left uncovered."""
    lines = [
        f"### yigai check: {'✅ passed' if verdict.passed else '❌ failed'} — `{alignment.local.ref}`",
        "",
        f"Coverage **{cover.ratio:.1%}** of {cover.total} national items: {len(cover.full)} full, "
        f"{len(cover.partial)} partial, {len(cover.uncovered)} uncovered.",
        "",
    ]
    lines += [f"- {failure}" for failure in verdict.failures]
    if cover.uncovered:
        lines += ["", "| # | uncovered national item | topic |", "|---:|---|---|"]
        for index in cover.uncovered:
            item = alignment.national.item(index)
            title = item.title.replace("|", "\\|")
            lines.append(f"| {index} | {title} | {alignment.topics.get(index, '')} |")
    return "\n".join(lines) + "\n\n"


FORMATTERS = {"text": as_text, "json": as_json, "junit": as_junit, "github": as_github}
