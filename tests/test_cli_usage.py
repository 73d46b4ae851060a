"""The command line itself: --version, -h, examples and readable metavars in every help, option errors in one line,
and `yigai vocab` / `yigai vocab suggest`."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

import yigai
from yigai.vocab import load_vocabulary

from .conftest import CITY, NATIONAL, ROUNDUP, SAMPLES

COMMANDS = [["parse"], ["compare"], ["matrix"], ["check"], ["vocab"], ["vocab", "suggest"], ["cache", "info"],
            ["cache", "clear"]]


def test_version(cli):
    result = cli("--version")
    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert result.status == 0 and result.out == f"yigai {project['project']['version']}\n"
    assert yigai.__version__ == project["project"]["version"]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_has_examples_and_readable_metavars(cli, command):
    short, long = cli(*command, "-h"), cli(*command, "--help")
    assert short.status == long.status == 0 and short.out == long.out
    assert "Examples:" in short.out
    assert re.search(rf"^\s+yigai {' '.join(command)} \S", short.out, re.M), short.out
    for unreadable in ("<list[", "<str>", "<path>", "{docs}", "{national}", "<float", "<int"):
        assert unreadable not in short.out


def test_root_help(cli):
    out = cli("-h").out
    assert "Examples:" in out and "--version" in out and "vocab" in out


@pytest.mark.parametrize("args, command, problem", [
    (["compare", NATIONAL, CITY, "--format", "xml"], "compare", "--format: 'xml' is not one of"),
    (["check", NATIONAL, CITY, "--max-uncovered", "x"], "check", "--max-uncovered: must be a whole number"),
    (["check", NATIONAL, CITY, "--max-uncovered", "-1"], "check", "--max-uncovered: must be at least 0"),
    (["check"], "check", "missing argument 'NATIONAL'"),
    (["check", NATIONAL, CITY, "--bogus"], "check", "no such option: --bogus"),
    (["matrix", "--transpose=3", NATIONAL, CITY], "matrix", "option '--transpose' does not take a value"),
    (["bogus"], "", "no such command 'bogus'"),
    (["vocab", "--format", "xml"], "vocab", "--format: 'xml' is not one of"),
    (["vocab", "suggest", SAMPLES, "--least", "1"], "vocab suggest", "--least: must be at least 2"),
])
def test_option_errors_are_one_line(cli, args, command, problem):
    result = cli(*args)
    assert result.status == 2 and result.out == ""
    assert result.err.count("\n") == 1 and result.err.startswith(f"yigai: error: {problem}")
    assert result.err.rstrip().endswith(f"(see 'yigai{' ' + command if command else ''} --help')")
    assert "Input should" not in result.err and "Value error" not in result.err


def test_vocab_lists_what_require_takes(cli, tmp_path):
    vocabulary = load_vocabulary()
    data = cli("vocab", "--format", "json").json()
    assert [t["topic"] for t in data["topics"]] == list(vocabulary.topics)
    names = [i["name"] for t in data["topics"] for i in t["instruments"]]
    assert names == [i.name for i in vocabulary.instruments]
    table = cli("vocab").out
    assert all(topic in table for topic in vocabulary.topics)
    # the YAML is a vocabulary file as --vocab reads it
    path = tmp_path / "all.yaml"
    path.write_text(cli("vocab", "--format", "yaml").out, encoding="utf-8")
    again = load_vocabulary([path])
    assert [(i.name, i.topic, set(i.aliases)) for i in again.instruments] == \
        [(i.name, i.topic, set(i.aliases)) for i in vocabulary.instruments]


def test_vocab_includes_the_analysts_additions(cli, tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text("topics:\n  - topic: 公立医院\n    instruments:\n      - name: 国考\n        aliases: [国考, 绩效考核]\n",
                     encoding="utf-8")
    data = cli("vocab", "--format", "json", "--vocab", extra).json()
    assert any(i["name"] == "国考" for t in data["topics"] for i in t["instruments"])


def test_vocab_suggest_writes_a_vocabulary_of_recurring_phrases(cli, tmp_path):
    from yigai.documents import read_documents

    result = cli("vocab", "suggest", ROUNDUP, "--least", "4")
    assert result.status == 0 and result.err == ""
    path = tmp_path / "candidates.yaml"
    path.write_text(result.out, encoding="utf-8")
    base = load_vocabulary()
    extended = load_vocabulary([path])  # a valid --vocab file
    added = [i for i in extended.instruments if i.name not in {b.name for b in base.instruments}]
    assert added, result.out
    documents = read_documents(ROUNDUP)
    for instrument in added:
        phrase = instrument.name
        assert not base.find(phrase)  # the vocabulary did not know it
        printed_by = {d.jurisdiction for d in documents if any(phrase in i.title + i.measures for i in d.items)}
        assert len(printed_by) >= 4, (phrase, printed_by)
    # once confirmed and passed with --vocab, a phrase is no longer suggested
    again = cli("vocab", "suggest", ROUNDUP, "--least", "4", "--vocab", path).out
    assert not {i.name for i in added} & set(re.findall(r"name: (\S+)", again))


def test_vocab_suggest_needs_several_jurisdictions(cli):
    result = cli("vocab", "suggest", CITY)
    assert result.status == 2 and "fewer than --least 3" in result.err


def test_require_takes_every_topic_and_instrument_vocab_lists(cli):
    data = json.loads(cli("vocab", "--format", "json").out)
    terms = [t["topic"] for t in data["topics"]] + [i["name"] for t in data["topics"] for i in t["instruments"]]
    result = cli("check", NATIONAL, CITY, *[arg for term in terms for arg in ("--require", term)], "--format", "json")
    assert result.status in (0, 1), result.err
    assert len(result.json()["gates"]) == len(terms)
