"""`yigai check` output: text (in the manner of coverage.py's --fail-under), JSON, JUnit XML, GitHub workflow commands."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from yigai.align import Alignment
from yigai.coverage import Coverage, percent
from yigai.gate import Verdict

from .. import jsonout
from .cells import markdown_cell as _md
from .cells import visible, xml_text
from .compare import MARK, as_object

NO_GATE = "no gate given (--min-coverage, --require, --require-full, --max-uncovered): nothing was checked"


def _summary(alignment: Alignment, cover: Coverage) -> str:
    return (f"coverage {percent(cover.ratio)}: {len(cover.full)} full, {len(cover.partial)} partial, "
            f"{len(cover.uncovered)} uncovered of {cover.total} {alignment.national.as_reference} items")


def _gaps(alignment: Alignment, cover: Coverage, verdict: Verdict) -> list[int]:
    """Uncovered national items, and the partly covered ones a failing gate needs fully."""
    return sorted(set(cover.uncovered) | set(verdict.missing))


def _outcome(verdict: Verdict) -> str:
    if not verdict.gates:
        return "PASSED (no gate given)"
    failed = sum(not g.passed for g in verdict.gates)
    total = len(verdict.gates)
    return f"FAILED: {failed} of {total} gates failed" if failed else f"PASSED: {total} of {total} gates passed"


def as_text(alignment: Alignment, cover: Coverage, verdict: Verdict, warn: bool = True) -> str:
    """One draft's block; `warn=False` leaves out the no-gate warning (several drafts print it once)."""
    n = alignment.national
    lines = [f"yigai check {alignment.local.ref} against {n.ref}", _summary(alignment, cover)]
    lines += [f"{'PASS' if g.passed else 'FAIL'}  {g.detail}" for g in verdict.gates]
    if not verdict.gates and warn:
        lines.append(f"WARN  {NO_GATE}")
    gaps = _gaps(alignment, cover, verdict)
    if gaps:
        lines.append(f"uncovered {n.as_reference} items (* a failing gate needs it):")
        for i in gaps:
            item = n.item(i)
            needed = "*" if i in verdict.missing else " "
            lines.append(f" {needed}{i:>3} {MARK[alignment.grade_of(i)]} {item.label}{item.title}")
    lines.append(_outcome(verdict))
    return visible("\n".join(lines), "\n") + "\n"  # a log or a terminal reads it


def as_json(alignment: Alignment, cover: Coverage, verdict: Verdict) -> str:
    data = as_object(alignment, cover)
    data.update({"passed": verdict.passed, "failures": list(verdict.failures),
                 "required": {k: list(v) for k, v in verdict.required.items()},
                 "gates": [{"gate": g.gate, "passed": g.passed, "detail": g.detail, "items": list(g.items),
                            "value": g.value} for g in verdict.gates]})
    return jsonout.dumps(data)


def _item_lines(alignment: Alignment, items: tuple[int, ...] | list[int]) -> str:
    n = alignment.national
    return "\n".join(f"{i} {MARK[alignment.grade_of(i)]} {n.item(i).label}{n.item(i).title}" for i in items)


def _suite(alignment: Alignment, cover: Coverage, verdict: Verdict) -> ET.Element:
    """One <testsuite> per local document: a test case per gate, at most one failure each."""
    local = alignment.local
    classname = "yigai.check." + (local.short_name or local.jurisdiction or "local")
    suite = ET.Element("testsuite", name=f"yigai check {local.ref}")
    properties = ET.SubElement(suite, "properties")
    for name, value in (("national", alignment.national.ref), ("local", local.ref), ("coverage", f"{cover.ratio:.4f}")):
        ET.SubElement(properties, "property", name=name, value=value)
    failures = skipped = 0
    for gate in verdict.gates:
        case = ET.SubElement(suite, "testcase", classname=classname, name=gate.gate, time="0")
        if not gate.passed:
            failures += 1
            failure = ET.SubElement(case, "failure", message=gate.detail, type="yigai.gate")
            failure.text = _item_lines(alignment, gate.items) if gate.items else gate.detail
        else:
            ET.SubElement(case, "system-out").text = gate.detail
    if not verdict.gates:  # nothing was checked: a skipped case, so the CI server shows it
        skipped = 1
        case = ET.SubElement(suite, "testcase", classname=classname, name="no gate given", time="0")
        ET.SubElement(case, "skipped", message=NO_GATE)
    ET.SubElement(suite, "system-out").text = _summary(alignment, cover)
    stamp = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None).isoformat()
    suite.attrib.update({"tests": str(max(len(verdict.gates), 1)), "failures": str(failures), "errors": "0",
                         "skipped": str(skipped), "time": "0", "timestamp": stamp})
    return suite


def _junit(suites: list[ET.Element]) -> str:
    """<testsuites> whose counts are the sums of its suites'."""
    counts = {key: str(sum(int(s.get(key, "0")) for s in suites)) for key in ("tests", "failures", "errors", "skipped")}
    root = ET.Element("testsuites", {"name": "yigai check", "time": "0", **counts})
    root.extend(suites)
    for element in root.iter():  # no character XML 1.0 forbids (a control character in an item) reaches the file
        element.text = xml_text(element.text) if element.text else element.text
        for key, value in element.attrib.items():
            element.set(key, xml_text(value))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def as_junit(alignment: Alignment, cover: Coverage, verdict: Verdict) -> str:
    """JUnit XML as CI servers read it: one test case per gate; no gate given is one skipped case."""
    return _junit([_suite(alignment, cover, verdict)])


def _escape_data(text: str) -> str:
    text = visible(text, "\n\r")  # the runner's log is a terminal: no escape sequence of a document's reaches it
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(alignment: Alignment, cover: Coverage, verdict: Verdict) -> str:
    """GitHub Actions workflow commands: an ::error per failed gate, a ::notice with the coverage."""
    file = _escape_property(alignment.local.source)
    lines = []
    for gate in verdict.gates:
        if not gate.passed:
            message = gate.detail + ("\n" + _item_lines(alignment, gate.items) if gate.items else "")
            title = _escape_property(f"yigai check: {gate.gate}")
            lines.append(f"::error file={file},title={title}::{_escape_data(message)}")
    if not verdict.gates:
        lines.append(f"::warning file={file},title={_escape_property('yigai check')}::{_escape_data(NO_GATE)}")
    notice = f"{_summary(alignment, cover)}; {_outcome(verdict)}"
    lines.append(f"::notice file={file},title={_escape_property('yigai check')}::{_escape_data(notice)}")
    return "\n".join(lines) + "\n"


def summary_markdown(alignment: Alignment, cover: Coverage, verdict: Verdict) -> str:
    """For $GITHUB_STEP_SUMMARY: the verdict, one row per gate, and the national items left uncovered."""
    lines = [
        f"### yigai check: {'✅ passed' if verdict.passed else '❌ failed'} — `{alignment.local.ref}`",
        "",
        f"Coverage **{percent(cover.ratio)}** of {cover.total} {_md(alignment.national.as_reference)} items: "
        f"{len(cover.full)} full, "
        f"{len(cover.partial)} partial, {len(cover.uncovered)} uncovered.",
        "",
    ]
    if verdict.gates:
        lines += ["| gate | result | detail |", "|---|:---:|---|"]
        lines += [f"| `{_md(g.gate)}` | {'✅ PASS' if g.passed else '❌ FAIL'} | {_md(g.detail)} |" for g in verdict.gates]
    else:
        lines.append(f"⚠️ {NO_GATE}")
    gaps = _gaps(alignment, cover, verdict)
    if gaps:
        lines += ["", f"| # | uncovered {_md(alignment.national.as_reference)} item | grade | topic |", "|---:|---|:---:|---|"]
        for index in gaps:
            item = alignment.national.item(index)
            grade = alignment.grade_of(index)
            lines.append(f"| {index} | {_md(item.title)} | {MARK[grade]} {grade.value} | {alignment.topics.get(index, '')} |")
    return "\n".join(lines) + "\n\n"


FORMATTERS = {"text": as_text, "json": as_json, "junit": as_junit, "github": as_github}


Result = tuple[Alignment, Coverage, Verdict]


def as_single(alignment: Alignment, cover: Coverage, verdict: Verdict, format: str) -> str:
    return FORMATTERS[format](alignment, cover, verdict)


def as_many(results: list[Result], format: str) -> str:
    """Several drafts checked at once: JSON is a list, JUnit one suite per draft, text one block each."""
    if format == "json":
        return "[" + ",\n".join(as_json(*r) for r in results) + "]\n"
    if format == "junit":
        return _junit([_suite(*r) for r in results])
    if format == "github":
        return "".join(as_github(*r) for r in results) or "::notice title=yigai check::no changed documents to check\n"
    failed = sum(not verdict.passed for _, _, verdict in results)
    blocks = [as_text(*r, warn=False) for r in results]
    if results and not results[0][2].gates:  # the gates are the same for every draft: said once, first
        blocks.insert(0, f"WARN  {NO_GATE}\n")
    blocks.append(f"{len(results)} documents checked: {failed} failed, {len(results) - failed} passed\n")
    return "\n".join(blocks)
