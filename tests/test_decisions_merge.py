"""`yigai decisions merge`: two reviewers' files as one; nothing lost, every disagreement reported."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yigai.align import Grade
from yigai.decisions import (
    ENTRY_KEYS,
    Action,
    Decision,
    Decisions,
    ItemRef,
    agree,
    dump_decisions,
    merge_decisions,
    pair_key,
    parse_decisions,
)

from .conftest import CITY, NATIONAL

# a few items on each side, named as the report names them (fingerprints) or by hand (a title, an index)
NATIONAL_REFS = [ItemRef(1, "推进药品耗材集中带量采购", "a61f4974fd"), ItemRef(2, "深化医疗服务价格改革", "0123456789"),
                 ItemRef(title="加大三明医改经验推广力度"), ItemRef(index=7)]
LOCAL_REFS = [ItemRef(3, "建设智慧医院<img src=x onerror=alert(1)>", "b3ca405f20"), ItemRef(4, 'key: "v"\n- x', "8c566307e9"),
              ItemRef(title="提升基层服务"), ItemRef(index=12)]
HOSTILE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["key: value\n- x", '"; action: reject', "\u2028\x85\ufeff", "# not a comment", "{a: b}", "王 <b>审</b>"])


@st.composite
def decision(draw, source: str = "A.yaml"):  # type: ignore[no-untyped-def]
    action = draw(st.sampled_from(list(Action)))
    grades = [Grade.FULL, Grade.PARTIAL] + ([None] if action in (Action.CONFIRM, Action.REJECT) else [])
    return Decision(action, draw(st.sampled_from(NATIONAL_REFS)), draw(st.sampled_from(LOCAL_REFS)),
                    draw(st.sampled_from(grades)), draw(HOSTILE), draw(HOSTILE),
                    draw(st.sampled_from(["", "2026-12-07", "2026-12-08"])), source)


def _numbered(entries: list[Decision], source: str) -> Decisions:
    return Decisions(source, tuple(Decision(d.action, d.national, d.local, d.grade, d.note, d.who, d.when, source, k)
                                   for k, d in enumerate(entries, 1)), local="某县")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(decision(), max_size=8), st.lists(decision(), max_size=8), st.lists(st.booleans(), max_size=8))
def test_merge_loses_no_decision_and_reports_every_conflict(a, b, shared):
    # random overlap: some of A's entries are in B too, as they are (the reviewers agree) or decided anew
    b = b + [d for d, keep in zip(a, shared) if keep]
    first, second = _numbered(a, "A.yaml"), _numbered(b, "B.yaml")
    merged = merge_decisions([first, second])
    out = merged.decisions.entries
    for d in first.entries + second.entries:  # every decision is in the result, its note and name with it
        kept = [e for e in out if pair_key(e) == pair_key(d) and agree(e, d)]
        assert kept, d
        assert any(d.note in e.note and d.who in e.who for e in kept)
    everything = first.entries + second.entries
    disagreeing = {pair_key(d) for d in everything for e in everything if pair_key(d) == pair_key(e) and not agree(d, e)}
    assert {pair_key(c.entries[0]) for c in merged.conflicts} == disagreeing
    for conflict in merged.conflicts:
        assert len({pair_key(e) for e in conflict.entries}) == 1 and len(conflict.entries) >= 2
    # the merged file reads back as it was written: --decisions takes it, no text added a key
    text = dump_decisions(merged.decisions, merged.conflicts)
    raw = yaml.safe_load(text)
    assert set(raw) == {"local", "decisions"} and all(set(e) <= set(ENTRY_KEYS) for e in raw["decisions"])
    again = parse_decisions(text, "all.yaml")
    assert [(d.action, d.national, d.local, d.grade, d.note, d.who, d.when) for d in again.entries] == \
        [(d.action, d.national, d.local, d.grade, d.note, d.who, d.when) for d in out]


def test_agreeing_entries_become_one_with_both_notes():
    n, lo = NATIONAL_REFS[0], LOCAL_REFS[0]
    a = _numbered([Decision(Action.REJECT, n, lo, note="only a mention", who="王", when="2026-12-07")], "A.yaml")
    b = _numbered([Decision(Action.REJECT, n, lo, note="不相关", who="李", when="2026-12-08")], "B.yaml")
    merged = merge_decisions([a, b])
    assert merged.conflicts == ()
    (entry,) = merged.decisions.entries
    assert (entry.note, entry.who, entry.when) == ("only a mention / 不相关", "王, 李", "2026-12-08")


def _file(tmp_path, name, entries, local="某市"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"local": local, "decisions": entries}, allow_unicode=True), encoding="utf-8")
    return path


def test_cli_merge_lists_conflicts_and_the_result_applies(cli, tmp_path):
    compared = cli("compare", NATIONAL, CITY, "--format", "json").json()
    n = {i["index"]: i for i in compared["national"]["items"]}
    loc = {i["index"]: i for i in compared["local"]["items"]}
    one, two, three = compared["pairs"][:3]

    def entry(pair, action, **extra):  # type: ignore[no-untyped-def]
        return {"action": action, "national": {"title": n[pair["national"]]["title"]},
                "local": {"title": loc[pair["local"]]["title"]}, **extra}

    a = _file(tmp_path, "wang.yaml", [entry(one, "confirm", who="王"), entry(two, "reject", who="王", note="passing")])
    b = _file(tmp_path, "li.yaml", [entry(two, "confirm", who="李"), entry(three, "reject", who="李")])
    out = tmp_path / "all.yaml"
    result = cli("decisions", "merge", a, b, "-o", out)
    assert result.status == 1 and result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 2 and lines[0].startswith("yigai: conflict: ") and "wang.yaml entry 2 says reject" in lines[0]
    assert "li.yaml entry 1 says confirm" in lines[0] and lines[1].startswith("yigai: 1 conflict: every entry is kept")
    merged = parse_decisions(out.read_text(encoding="utf-8"), str(out))
    assert [d.action.value for d in merged.entries] == ["confirm", "reject", "confirm", "reject"]
    assert "# CONFLICT: reject, then confirm" in out.read_text(encoding="utf-8")
    applied = cli("compare", NATIONAL, CITY, "--decisions", out, "--format", "json")
    assert applied.status == 0
    data = applied.json()
    decided = {(p["national"], p["local"]): p["decision"]["action"] for p in data["pairs"] + data["rejected"] if "decision" in p}
    # the last entry on the disputed pair applies, as it would with two --decisions files
    assert decided == {(one["national"], one["local"]): "confirm", (two["national"], two["local"]): "confirm",
                       (three["national"], three["local"]): "reject"}
    assert "decides national" in applied.err  # and yigai says the pair was decided twice

    clean = cli("decisions", "merge", a, _file(tmp_path, "zhao.yaml", [entry(three, "reject", who="赵")]))
    assert clean.status == 0 and clean.err == "" and parse_decisions(clean.out, "-").local == "某市"


def test_cli_merge_refuses_files_of_different_documents_and_keeps_inputs(cli, tmp_path):
    a = _file(tmp_path, "a.yaml", [{"action": "reject", "national": 1, "local": 2}])
    b = _file(tmp_path, "b.yaml", [{"action": "reject", "national": 1, "local": 2}], local="四川省")
    before = a.read_bytes()
    result = cli("decisions", "merge", a, b, "-o", tmp_path / "all.yaml")
    assert result.status == 2 and result.err.count("\n") == 1
    assert result.err.startswith("yigai: error: ") and "different local documents" in result.err
    assert not (tmp_path / "all.yaml").exists()
    onto = cli("decisions", "merge", a, a, "-o", a)
    assert onto.status == 2 and a.read_bytes() == before
    missing = cli("decisions", "merge", a, tmp_path / "none.yaml")
    assert missing.status == 2
    assert missing.err == f"yigai: error: {tmp_path / 'none.yaml'}: no such decisions file (check the --decisions path)\n"
    bad = _file(tmp_path, "bad.yaml", [{"action": "maybe", "national": 1, "local": 2}])
    broken = cli("decisions", "merge", a, bad)
    assert broken.status == 2 and "bad.yaml" in broken.err and "unknown action" in broken.err


def test_merge_on_a_gbk_console(tmp_path):
    """Printed to a GBK console, the merged file and the conflicts are GBK text, never a traceback."""
    import os
    import subprocess
    import sys

    a = _file(tmp_path, "a.yaml", [{"action": "reject", "national": {"title": "推进药品耗材集中带量采购"}, "local": 2,
                                    "who": "王", "note": "✓ 不相关"}])
    b = _file(tmp_path, "b.yaml", [{"action": "confirm", "national": {"title": "推进药品耗材集中带量采购"}, "local": 2,
                                    "who": "李"}])
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    result = subprocess.run([sys.executable, "-m", "yigai_cli", "decisions", "merge", str(a), str(b)],
                            capture_output=True, env=env)
    assert result.returncode == 1
    out, err = result.stdout.decode("gbk"), result.stderr.decode("gbk")
    assert 'title: "推进药品耗材集中带量采购"' in out and 'who: "王"' in out
    assert err.startswith("yigai: conflict: national '推进药品耗材集中带量采购'") and "b.yaml entry 1 says confirm (李)" in err


def test_cli_merge_usage(cli):
    bare = cli("decisions", "merge")
    assert bare.status == 2 and bare.err == "yigai: error: missing argument 'FILE...' (see 'yigai decisions merge --help')\n"
    listed = cli("decisions")
    assert listed.status == 0 and "merge" in listed.out
