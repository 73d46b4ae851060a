"""Any list as the reference: a province's list against its cities works as national against provinces."""

from __future__ import annotations

from pathlib import Path

from .conftest import NATIONAL, ROUNDUP

GUANGXI_2023 = Path(__file__).parent / "fixtures" / "diff" / "guangxi-2023.txt"
GUANGXI_2024 = f"{ROUNDUP}#广西"


def test_provincial_reference_names_itself_everywhere(cli):
    markdown = cli("compare", GUANGXI_2023, GUANGXI_2024, "--format", "markdown").out
    assert "| 广西壮族自治区 2023 item |" in markdown and "national item" not in markdown
    table = cli("compare", GUANGXI_2023, GUANGXI_2024).out
    assert "national item" not in table.replace("\n", " ") and "广西壮族自治区" in table
    data = cli("compare", GUANGXI_2023, GUANGXI_2024, "--format", "json").json()
    assert data["reference"] == {"name": "广西壮族自治区 2023", "jurisdiction": "广西壮族自治区", "level": "provincial",
                                 "year": 2023, "ref": f"{GUANGXI_2023}#1"}
    assert data["national"]["jurisdiction"] == "广西壮族自治区"  # the contract's key stays
    check = cli("check", GUANGXI_2023, GUANGXI_2024, "--min-coverage", "0.1").out
    assert "of 20 广西壮族自治区 2023 items" in check
    matrix = cli("matrix", GUANGXI_2023, GUANGXI_2024, "--format", "json").json()
    assert matrix["reference"]["name"] == "广西壮族自治区 2023"


def test_national_reference_is_still_called_national(cli):
    data = cli("compare", NATIONAL, GUANGXI_2024, "--format", "json").json()
    assert data["reference"]["name"] == "national" and data["reference"]["level"] == "national"
    assert "| national item |" in cli("compare", NATIONAL, GUANGXI_2024, "--format", "markdown").out


def test_provincial_reference_aligns_with_quoted_evidence(cli):
    data = cli("compare", GUANGXI_2023, GUANGXI_2024, "--format", "json").json()
    reference = {i["index"]: i["text"] for i in data["national"]["items"]}
    local = {i["index"]: i["text"] for i in data["local"]["items"]}
    assert data["pairs"]
    for pair in data["pairs"]:
        assert pair["national_sentence"] in reference[pair["national"]]
        assert pair["local_sentence"] in local[pair["local"]]
    # 2024's 促进医防融合发展 clause carries 2023's item 16 (促进医防协同、医防融合)
    assert any(p["national"] == 16 and p["grade"] == "full" for p in data["pairs"])


def test_ownership_reads_a_provincial_reference_too():
    from yigai.align import owned_instruments
    from yigai.documents import read_document
    from yigai.vocab import load_vocabulary

    vocabulary = load_vocabulary()
    guangxi = read_document(str(GUANGXI_2023))
    owned = owned_instruments(guangxi, vocabulary)
    # item 14 is the 集采 item; item 12 (payment methods) names 结余留用 only beside 总额付费 and 协商谈判
    assert "集中带量采购" in owned[13] and "集中带量采购" not in owned[11]
    assert "DRG" in owned[11] and "DRG" not in owned[13]


def test_an_older_local_list_is_a_warning_not_an_error(cli):
    from .conftest import BAOKANG, SICHUAN

    result = cli("compare", NATIONAL, BAOKANG, "--format", "json")
    assert result.status == 0 and "(2017) is older than the reference" in result.err and "yigai diff" not in result.err
    same_place = cli("compare", f"{ROUNDUP}#四川", SICHUAN, "--format", "json")
    assert same_place.status == 0 and "(2021) is older than the reference" in same_place.err
    assert f"yigai diff '{SICHUAN}' '{ROUNDUP}#四川'" in same_place.err
    assert "older than" not in cli("compare", SICHUAN, f"{ROUNDUP}#四川", "--format", "json").err


def test_matrix_names_the_older_lists_once(cli):
    from .conftest import BAOKANG, CITY, SICHUAN

    result = cli("matrix", NATIONAL, SICHUAN, BAOKANG, CITY, "--format", "json")
    assert result.status == 0 and result.err.count("\n") == 1
    assert "2 of 3 local lists are older than the reference" in result.err
    assert "2021 (sichuan-2021.txt)" in result.err and "2017 (baokang-county-2017.txt)" in result.err
    assert "city-2023-draft" not in result.err
