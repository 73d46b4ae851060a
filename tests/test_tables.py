"""Task tables (重点任务分工表) in Word documents and web pages read as numbered lists (yigai.tables)."""

from __future__ import annotations

import io

import docx

from yigai.documents import read_documents
from yigai.tables import task_lines

HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
ROWS = [
    ["附件：2024年深化医改重点任务分工表", "", "", "", ""],
    HEADER,
    ["一、深化医疗保障制度改革"] * 5,
    ["1", "深化药品耗材集中带量采购，落实国家和省级集采结果。", "县医保局", "县卫生健康局\n县市场监管局", "2024年12月底前"],
    ["2", "推进医疗服务价格动态调整", "县医保局", "", "持续推进"],
    ["二、推进分级诊疗"] * 5,
    ["3", "加强紧密型县域医共体建设，推动优质资源下沉。", "县卫生健康局", "县财政局", "2024年6月底前"],
    ["", "", "", "", ""],
]


def test_rows_become_the_lines_a_list_prints():
    assert task_lines(ROWS) == [
        "附件：2024年深化医改重点任务分工表",
        "一、深化医疗保障制度改革",
        "1.深化药品耗材集中带量采购，落实国家和省级集采结果。(县医保局、县卫生健康局、县市场监管局按职责分工负责,2024年12月底前)",
        "2.推进医疗服务价格动态调整(县医保局负责,持续推进)",
        "二、推进分级诊疗",
        "3.加强紧密型县域医共体建设，推动优质资源下沉。(县卫生健康局、县财政局按职责分工负责,2024年6月底前)",
    ]


def test_numbers_run_on_where_the_table_has_none_and_a_printed_label_is_kept():
    rows = [["工作任务", "责任单位"], ["推进医共体建设", "县卫健局"], ["(3)深化薪酬制度改革", "县人社局"]]
    assert task_lines(rows) == ["1.推进医共体建设(县卫健局负责)", "(3)深化薪酬制度改革(县人社局负责)"]


def test_a_table_of_something_else_is_not_a_task_table():
    assert task_lines([["指标", "2023年", "2024年目标"], ["集采药品品种数", "300", "350"]]) is None
    assert task_lines([["重点任务", "备注"], ["推进医共体建设", ""]]) is None  # neither who nor by when
    assert task_lines([]) is None


def _page(path, markup: str):  # type: ignore[no-untyped-def]
    """The one document a saved web page holds."""
    path.write_text(markup, encoding="utf-8")
    (document,) = read_documents(path)
    return document


def _docx(path, before: str, rows: list[list[str]], after: str):  # type: ignore[no-untyped-def]
    document = docx.Document()
    document.add_paragraph("某县2024年深化医药卫生体制改革重点工作任务")
    document.add_paragraph(before)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph(after)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _check_items(document) -> None:  # type: ignore[no-untyped-def]
    assert [i.label for i in document.items] == ["1.", "2.", "3."]
    first, second, third = document.items
    assert first.title.startswith("深化药品耗材集中带量采购")
    assert first.departments == ("县医保局", "县卫生健康局", "县市场监管局") and first.deadline == "2024年12月底前"
    assert second.departments == ("县医保局",) and second.deadline is None
    assert third.section == "二、推进分级诊疗" and third.due is not None and third.due.month == 6


def test_a_task_table_in_a_word_document_is_its_list(tmp_path):
    path = _docx(tmp_path / "tasks.docx", "各单位要抓好落实。", ROWS[1:], "各单位要于每季度末报送进展。")
    (document,) = read_documents(path)
    _check_items(document)
    assert document.year == 2024 and "某县" in document.title


def test_a_task_table_on_a_web_page_is_its_list(tmp_path):
    cells = "".join(f"<tr>{''.join(f'<td>{c}</td>'.replace(chr(10), '<br>') for c in row)}</tr>" for row in ROWS[1:])
    page = ("<html><body><div class='content'><h1>某县2024年深化医药卫生体制改革重点工作任务</h1>"
            "<p>为深入推进医改，现将重点任务分解如下，各单位要抓好落实，确保各项任务按时完成，加强组织领导，明确"
            "责任分工，细化工作措施。</p>"
            f"<table>{cells}</table></div></body></html>")
    document = _page(tmp_path / "tasks.html", page)
    _check_items(document)


def test_text_in_a_task_table_stays_text(tmp_path):
    page = ("<html><body><table><tr><th>工作任务</th><th>牵头单位</th></tr>"
            "<tr><td>推进医共体建设&lt;script&gt;alert(1)&lt;/script&gt;</td><td>县卫健局</td></tr>"
            "<tr><td>深化薪酬制度改革</td><td>县人社局</td></tr></table></body></html>")
    document = _page(tmp_path / "t.html", page)
    assert "<script>alert(1)</script>" in document.items[0].text and document.items[1].departments == ("县人社局",)


def test_a_word_table_that_lists_no_tasks_is_read_in_its_place_row_by_row(tmp_path):
    rows = [["指标", "2023年", "2024年目标"], ["集采药品品种数", "300", "350"]]
    path = _docx(tmp_path / "indicators.docx", "(一)推进集采。扩大集采药品品种。", rows, "(二)推进医共体建设。")
    (document,) = read_documents(path)
    assert [i.label for i in document.items] == ["(一)", "(二)"]
    assert "集采药品品种数 300 350" in document.items[0].text


def test_a_task_table_inside_a_layout_table_is_read(tmp_path):
    """Older government pages lay the whole page out in a table: the task table inside it is still one."""
    rows = "".join(f"<tr><td>{n}</td><td>{task}</td><td>{lead}</td></tr>"
                   for n, task, lead in ((1, "推进医共体建设", "县卫健局"), (2, "深化薪酬制度改革", "县人社局")))
    page = ("<html><body><table><tr><td>导航</td><td><table><tr><th>序号</th><th>工作任务</th><th>牵头单位</th></tr>"
            f"{rows}</table></td></tr></table></body></html>")
    document = _page(tmp_path / "layout.html", page)
    assert [(i.label, i.departments) for i in document.items] == [("1.", ("县卫健局",)), ("2.", ("县人社局",))]


def _xlsx(path, rows, creator: str | None = None):  # type: ignore[no-untyped-def]
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if creator:
        workbook.properties.creator = creator
    workbook.save(path)
    return path


def test_a_task_table_in_a_workbook_is_its_list(tmp_path):
    import datetime

    rows = [["某县2024年深化医药卫生体制改革重点工作任务分工表"], *ROWS[1:3],
            [1, ROWS[3][1], "县医保局", "县卫生健康局\n县市场监管局", "2024年12月底前"],
            [2.0, ROWS[4][1], "县医保局", None, "持续推进"], ROWS[5],
            [3, ROWS[6][1], "县卫生健康局", "县财政局", datetime.datetime(2024, 6, 30)]]
    (document,) = read_documents(_xlsx(tmp_path / "分工表.xlsx", rows))
    assert [i.label for i in document.items] == ["1.", "2.", "3."]
    assert document.year == 2024 and document.items[0].departments[0] == "县医保局"
    assert document.items[2].deadline == "2024年6月30日前" and document.items[2].due.day == 30  # type: ignore[union-attr]


def test_matrix_reads_workbooks_in_a_folder_but_never_its_own_output(cli, tmp_path):
    from .conftest import NATIONAL

    folder = tmp_path / "lists"
    folder.mkdir()
    _xlsx(folder / "county.xlsx", ROWS[1:])
    data = cli("matrix", NATIONAL, folder, "--format", "json").json()
    assert [c["source"].rsplit("/", 1)[1] for c in data["columns"]] == ["county.xlsx#1"]
    assert cli("matrix", NATIONAL, folder, "-o", folder / "heatmap.xlsx").status == 0
    again = cli("matrix", NATIONAL, folder, "--format", "json")  # the folder's own output is skipped
    assert again.status == 0 and [c["source"].rsplit("/", 1)[1] for c in again.json()["columns"]] == ["county.xlsx#1"]
    named = cli("matrix", NATIONAL, folder / "heatmap.xlsx")  # named, it is read, and refused
    assert named.status == 2 and "heatmap.xlsx: is a workbook yigai wrote (an output), not a task list" in named.err


def test_a_damaged_workbook_is_one_line(cli, tmp_path):
    import zipfile

    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not a workbook")
    result = cli("parse", path)
    assert result.status == 2 and result.err.count("\n") == 1
    assert result.err.startswith(f"yigai: error: {path}: is not a readable Excel workbook")


def test_a_sheet_that_declares_a_far_corner_is_bounded(cli, tmp_path):
    """One cell at XFD60000 makes a sheet of 16,384 columns and 60,000 rows: read to 64 columns, refused
    past 50,000 rows, in one line."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "工作任务", "牵头单位"])
    sheet.append([1, "推进医共体建设", "县卫健局"])
    sheet["XFD60000"] = "x"
    path = tmp_path / "far.xlsx"
    workbook.save(path)
    result = cli("parse", path)
    assert result.status == 2 and result.err.strip().endswith("holds more than 50,000 rows (one task list holds hundreds)")


def test_a_task_over_several_rows_is_one_item_with_every_measure_and_unit():
    """A task cell merged over its measures: Word repeats it, a workbook leaves it empty below; either way one
    item, its measures in order, its units after the task's own lead."""
    header = ["序号", "重点任务", "具体措施", "牵头单位", "完成时限"]
    word = [header, ["1", "深化集采", "落实国家集采结果", "县医保局", "2024年底前"],
            ["1", "深化集采", "做好结余留用", "县卫健局", ""],
            ["2", "推进医共体建设", "推动资源下沉", "县卫健局", "2024年6月底前"]]
    workbook = [header, word[1], ["", "", "做好结余留用", "县卫健局", ""], word[3]]
    expected = ["1.深化集采。落实国家集采结果;做好结余留用(县医保局、县卫健局按职责分工负责,2024年底前)",
                "2.推进医共体建设。推动资源下沉(县卫健局负责,2024年6月底前)"]
    assert task_lines(word) == expected and task_lines(workbook) == expected


def test_a_web_table_s_rowspan_and_colspan_keep_every_column_in_place(tmp_path):
    page = ("<html><body><table><tr><th>序号</th><th>重点任务</th><th>具体措施</th><th>牵头单位</th></tr>"
            "<tr><td rowspan='2'>1</td><td rowspan='2'>深化集采</td><td>落实国家集采结果</td><td>县医保局</td></tr>"
            "<tr><td>做好结余留用</td><td>县卫健局</td></tr>"
            "<tr><td colspan='4'>二、推进分级诊疗</td></tr>"
            "<tr><td>2</td><td>推进医共体建设</td><td>推动资源下沉</td><td>县卫健局</td></tr></table></body></html>")
    document = _page(tmp_path / "spans.html", page)
    first, second = document.items
    assert first.text.startswith("深化集采。落实国家集采结果;做好结余留用") and first.departments == ("县医保局", "县卫健局")
    assert second.section == "二、推进分级诊疗" and second.departments == ("县卫健局",)


def test_a_list_written_as_a_task_table_aligns_as_its_text_does(tmp_path):
    """保康县 2017 retyped as a 分工表 workbook (序号, 重点任务, 具体措施, 牵头单位, 完成时限): the same items, leads and
    deadlines, and the same pairs against the national list."""
    import openpyxl

    from yigai.align import align
    from yigai.documents import read_ref
    from yigai.vocab import load_vocabulary

    from .conftest import BAOKANG, NATIONAL

    text = read_documents(BAOKANG)[0]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([text.title])
    sheet.append(["序号", "重点任务", "具体措施", "牵头单位", "完成时限"])
    for item in text.items:
        sheet.append([item.index, item.title, item.measures, "、".join(item.departments), item.deadline or ""])
    path = tmp_path / "baokang.xlsx"
    workbook.save(path)
    (table,) = read_documents(path)
    assert (table.jurisdiction, table.year, len(table.items)) == (text.jurisdiction, text.year, len(text.items))
    assert [i.departments for i in table.items] == [i.departments for i in text.items]
    assert [i.deadline for i in table.items] == [i.deadline for i in text.items]
    national, vocabulary = read_ref(NATIONAL)[0], load_vocabulary()
    pairs = {(p.national, p.local, p.grade) for p in align(national, text, vocabulary).pairs}
    assert {(p.national, p.local, p.grade) for p in align(national, table, vocabulary).pairs} == pairs


def test_a_two_row_header_is_a_header(tmp_path):
    page = ("<html><body><table>"
            "<tr><th rowspan='2'>序号</th><th rowspan='2'>重点任务</th><th colspan='2'>责任单位</th>"
            "<th rowspan='2'>完成时限</th></tr>"
            "<tr><th>牵头单位</th><th>配合单位</th></tr>"
            "<tr><td>1</td><td>深化集采</td><td>县医保局</td><td>县卫健局</td><td>2024年底前</td></tr>"
            "<tr><td>2</td><td>推进医共体建设</td><td>县卫健局</td><td></td><td>2024年6月底前</td></tr></table></body></html>")
    document = _page(tmp_path / "two-row-header.html", page)
    assert [(i.label, i.title, i.departments) for i in document.items] == [
        ("1.", "深化集采", ("县医保局", "县卫健局")), ("2.", "推进医共体建设", ("县卫健局",))]


def _tab_separated(rows) -> str:  # type: ignore[no-untyped-def]
    """A table as a web page's table saved as text: one line a row, cells apart by tabs, a heading row as its text."""
    lines = []
    for row in rows:
        filled = [c for c in row if c]
        lines.append(filled[0] if filled and len(set(filled)) == 1 else "\t".join(c.replace("\n", "、") for c in row))
    return "\n".join(lines)


def test_a_task_table_saved_as_text_with_tabs_is_its_list(tmp_path):
    path = tmp_path / "table.txt"
    path.write_text("某县2024年深化医改重点任务分工表\n" + _tab_separated(ROWS[1:]) + "\n\n各单位要抓好落实。\n",
                    encoding="utf-8")
    (document,) = read_documents(path)
    assert [(i.index, i.label, i.section) for i in document.items] == [
        (1, "1.", "一、深化医疗保障制度改革"), (2, "2.", "一、深化医疗保障制度改革"), (3, "3.", "二、推进分级诊疗")]
    _check_items(document)
    assert "抓好落实" not in document.item(3).text  # the closing line after the table is no row
    # the same table in a Word document reads to the same items
    word = read_documents(_docx(tmp_path / "tasks.docx", "", ROWS[1:], ""))[0]
    assert [(i.title, i.text) for i in document.items] == [(i.title, i.text) for i in word.items]


def test_tabs_in_text_that_is_no_task_table_are_left_as_they_are():
    from yigai.tables import text_tables

    text = "姓名\t电话\t单位\n张三\t123\t县医保局\n"
    assert text_tables(text) == text
    assert text_tables("没有制表符的文本\n第二行") == "没有制表符的文本\n第二行"


def test_a_lead_department_may_hold_a_bracket_of_its_own(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("某县2024年医改重点任务\n1.健全医改工作机制。(县医改办(县卫健局)、各乡镇(街道)按职责分工负责)\n"
                    "2.推进药品集采。(县医保局、各县(市、区)政府负责)\n", encoding="utf-8")
    (document,) = read_documents(path)
    assert document.item(1).departments == ("县医改办(县卫健局)", "各乡镇(街道)")
    assert document.item(1).title == "健全医改工作机制"
    assert document.item(2).departments == ("县医保局", "各县(市、区)政府")
