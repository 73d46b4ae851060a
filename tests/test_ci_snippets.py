"""The README's CI snippets, run as printed on a scratch git repository of drafts.

The repository has Chinese file names (which git quotes unless asked for raw names) and a name with a
space; a later commit changes one draft and adds another. Every changed draft must be checked, the
unchanged one must not, and the failing one must fail the job.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from yigai.changes import changed_documents
from yigai.clean import clean
from yigai.load import load
from yigai.split import split

from .conftest import CITY, NATIONAL_PAGE, SICHUAN

README = Path(__file__).resolve().parent.parent / "README.md"
YIGAI = Path(sys.executable).parent / "yigai"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _snippets() -> tuple[dict, dict]:
    section = README.read_text(encoding="utf-8").split("### Gating new local drafts in CI", 1)[1].split("\n### ", 1)[0]
    github, gitlab = (yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", section, re.S))
    return github, gitlab


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "analyst", "GIT_AUTHOR_EMAIL": "a@example.org",
           "GIT_COMMITTER_NAME": "analyst", "GIT_COMMITTER_EMAIL": "a@example.org"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path):
    """main: the national list and two drafts; then one commit that edits one draft and adds a failing one."""
    repo = tmp_path / "plans"
    (repo / "national").mkdir(parents=True)
    (repo / "drafts").mkdir()
    national, guangxi = split(clean(load(NATIONAL_PAGE).text))
    (repo / "national" / "2024.txt").write_text("\n".join(national.lines) + "\n", encoding="utf-8")
    (repo / "drafts" / "广西.txt").write_text("\n".join(guangxi.lines) + "\n", encoding="utf-8")
    (repo / "drafts" / "四川 2021.txt").write_bytes(SICHUAN.read_bytes())
    (repo / "notes.txt").write_text("not a draft\n", encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "national list and two drafts")
    before = _git(repo, "rev-parse", "HEAD")
    with (repo / "drafts" / "四川 2021.txt").open("a", encoding="utf-8") as handle:
        handle.write("\n本方案自印发之日起施行。\n")
    (repo / "drafts" / "某市 征求意见稿.txt").write_bytes(CITY.read_bytes())  # covers 69%: fails --min-coverage 0.8
    (repo / "notes.txt").write_text("still not a draft\n", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "redraft Sichuan, add the city's draft")
    return repo, before


def _run(command: str, repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    assert YIGAI.exists(), "yigai is not installed next to this Python"
    path = f"{YIGAI.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run(["bash", "-c", command], cwd=repo, env={**os.environ, "PATH": path, **env},
                          capture_output=True, text=True)


def test_changed_documents_reads_raw_names(repo):
    repo, before = repo
    assert sorted(changed_documents(before, ["drafts/*"], repo)) == ["drafts/四川 2021.txt", "drafts/某市 征求意见稿.txt"]
    assert sorted(changed_documents("0" * 40, ["drafts/*"], repo)) == ["drafts/四川 2021.txt", "drafts/广西.txt",
                                                                       "drafts/某市 征求意见稿.txt"]


def test_github_snippet(repo, tmp_path):
    repo, before = repo
    github, _ = _snippets()
    steps = github["jobs"]["check-drafts"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0 and checkout["with"]["submodules"] is True
    step = next(s for s in steps if s.get("name") == "check changed drafts")
    assert "github.event.before" in step["env"]["BASE"]  # a push to main compares with the commit before it
    summary = tmp_path / "summary.md"
    done = _run(step["run"], repo, {"BASE": before, "GITHUB_STEP_SUMMARY": str(summary)})
    assert done.returncode == 1, done.stderr  # the city's draft fails, so the job fails
    notices = [line for line in done.stdout.splitlines() if line.startswith("::notice ")]
    files = sorted(re.match(r"::notice file=([^,]+),", line)[1] for line in notices)
    assert files == ["drafts/四川 2021.txt", "drafts/某市 征求意见稿.txt"]  # both changed drafts, not 广西
    errors = [line for line in done.stdout.splitlines() if line.startswith("::error ")]
    assert errors and all(line.startswith("::error file=drafts/某市 征求意见稿.txt,") for line in errors)
    text = summary.read_text(encoding="utf-8")
    assert text.count("### yigai check") == 2 and "❌ failed — `drafts/某市 征求意见稿.txt#1`" in text

    # A push that creates the branch: no previous commit, every draft is checked.
    everything = _run(step["run"], repo, {"BASE": "0" * 40, "GITHUB_STEP_SUMMARY": str(summary)})
    assert len([line for line in everything.stdout.splitlines() if line.startswith("::notice ")]) == 3


def test_github_snippet_passes_when_every_changed_draft_passes(repo):
    repo, before = repo
    github, _ = _snippets()
    step = next(s for s in github["jobs"]["check-drafts"]["steps"] if s.get("name") == "check changed drafts")
    head = _git(repo, "rev-parse", "HEAD")
    (repo / "drafts" / "某市 征求意见稿.txt").unlink()
    _git(repo, "commit", "-q", "-am", "withdraw the city's draft")
    done = _run(step["run"], repo, {"BASE": head})  # only a deletion since: nothing to check
    assert done.returncode == 0 and "::error" not in done.stdout
    done = _run(step["run"], repo, {"BASE": before})  # Sichuan's redraft alone passes
    assert done.returncode == 0, done.stdout


def test_gitlab_snippet(repo):
    repo, before = repo
    _, gitlab = _snippets()
    job = gitlab["check-drafts"]
    assert job["variables"]["GIT_DEPTH"] == 0 and job["variables"]["GIT_SUBMODULE_STRATEGY"] == "recursive"
    for mr_base, push_before in (("", before), (before, "0" * 40)):  # a push pipeline; a merge-request pipeline
        (repo / "junit.xml").unlink(missing_ok=True)
        env = {"CI_MERGE_REQUEST_DIFF_BASE_SHA": mr_base, "CI_COMMIT_BEFORE_SHA": push_before}
        status = 0
        for line in job["script"]:
            if line.startswith("pip install"):
                continue  # yigai is already installed here
            status = _run(line, repo, env).returncode or status
        assert status == 1
        report = ET.parse(repo / job["artifacts"]["reports"]["junit"]).getroot()
        suites = {s.get("name"): s for s in report.iter("testsuite")}
        assert sorted(suites) == ["yigai check drafts/四川 2021.txt#1", "yigai check drafts/某市 征求意见稿.txt#1"]
        assert suites["yigai check drafts/某市 征求意见稿.txt#1"].get("failures") == "1"
        assert suites["yigai check drafts/四川 2021.txt#1"].get("failures") == "0"


def test_changed_since_outside_git_or_with_an_unknown_ref(repo, tmp_path, cli, monkeypatch):
    repo, _ = repo
    national = repo / "national" / "2024.txt"
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.chdir(outside)
    result = cli("check", national, "--changed-since", "main", "--min-coverage", "0.8")
    assert result.status == 2 and result.err.startswith("yigai: error: git: ") and result.err.count("\n") == 1
    monkeypatch.chdir(repo)
    result = cli("check", national, "--changed-since", "no-such-branch", "--min-coverage", "0.8")
    assert result.status == 2 and "no-such-branch: is not a commit this repository has" in result.err
