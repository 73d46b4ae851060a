/* The side panel: a cell's pairs (with the review's controls), a jurisdiction's gaps and own items,
   and every panel as one list, on request and for printing. */
var panel = document.getElementById("panel");
var panelBody = document.getElementById("panel-body");
var shown = null; /* what the panel shows: {cell: [columnId, index]} or {column: id} */

function promises(national, local) {
  var table = el("table", "promises");
  var head = table.appendChild(el("tr"));
  head.appendChild(el("th", null, ""));
  head.appendChild(el("th", null, "national"));
  if (local) { head.appendChild(el("th", null, "local")); }
  [["lead departments", "departments"], ["deadline", "deadline"], ["targets", "targets"]].forEach(function (row) {
    var tr = table.appendChild(el("tr"));
    tr.appendChild(el("th", null, row[0]));
    [national, local].forEach(function (item) {
      if (!item) { return; }
      var value = item[row[1]];
      tr.appendChild(el("td", null, Array.isArray(value) ? (value.join("、") || "—") : (value || "—")));
    });
  });
  return table;
}

function decisionText(decision, machine) {
  var text = DECIDED + " analyst's decision: " + decision.action + (decision.grade ? " as " + decision.grade : "") +
    " (yigai had " + GRADE[machine][1] + ")";
  if (decision.note) { text += ": " + decision.note; }
  if (decision.who) { text += " (" + decision.who + (decision.when ? ", " + decision.when : "") + ")"; }
  return text;
}

function pairBlock(columnId, pair, interactive) {
  /* pair keys: see detail() in report-data.js */
  var column = detail(columnId);
  var decision = decisionOf(columnId, pair);
  var grade = gradeOf(pair, decision);
  var block = el("div", "pair" + (decision ? " decided" : "") + (grade === "n" ? " dropped" : ""));
  block.dataset.c = columnId;
  block.dataset.key = pairKey(pair.n, pair.l);
  var local = column.items[String(pair.l)] || { label: "", title: "" };
  var head = block.appendChild(el("div"));
  head.appendChild(el("span", "grade g " + grade, GRADE[grade][0] + " " + GRADE[grade][1]));
  head.appendChild(el("strong", null, (local.label || pair.l) + " " + local.title));
  head.appendChild(el("span", "muted", pair.g === "n" ? "  added by an analyst" : "  score " + pair.s +
    (pair.k && pair.k.level ? " · " + pair.k.level : "")));
  if (decision) { block.appendChild(el("p", "decision", decisionText(decision, pair.g))); }
  var nationalText = pair.nt || "";
  var localText = pair.lt || "";
  var n = block.appendChild(el("p", "quote national"));
  n.appendChild(el("span", "who", data.reference + (nationalText ? " sentence" : " item")));
  n.appendChild(nationalText ? marked(nationalText, pair.nm) : document.createTextNode(data.national[String(pair.n)].title));
  var l = block.appendChild(el("p", "quote local"));
  l.appendChild(el("span", "who", localText ? "local sentence" : "local item"));
  l.appendChild(localText ? marked(localText, pair.lm) : document.createTextNode(itemText(local)));
  if (pair.t && pair.t.length) {
    var chips = block.appendChild(el("div", "chips"));
    chips.appendChild(el("span", "muted", "shared"));
    pair.t.forEach(function (term) { chips.appendChild(el("span", null, data.terms[term])); });
  }
  if (local.departments) { block.appendChild(promises(data.national[String(pair.n)], local)); }
  if (pair.c && pair.c.length) {
    var list = block.appendChild(el("ul", "plain comparisons"));
    pair.c.forEach(function (c) {
      list.appendChild(el("li", null, c.aspect + ": " + c.national + " → " + c.local + (c.verdict ? " (" + c.verdict + ")" : "")));
    });
  }
  if (interactive) { block.appendChild(reviewControls(columnId, pair, decision)); }
  return block;
}

function cellView(columnId, index) {
  var column = detail(columnId);
  var item = data.national[String(index)];
  var view = el("div", "cell-view");
  view.appendChild(el("h3", null, index + " " + item.title));
  var pairs = (column.byNational[index] || []).filter(function (pair) { return pair.g !== "n" || decisionOf(columnId, pair); });
  var grade = cellGrade(columnId, index);
  var line = view.appendChild(el("p"));
  line.appendChild(el("span", "grade g " + grade, GRADE[grade][0] + " " + GRADE[grade][1]));
  line.appendChild(el("span", null, cols.label[columnId]));
  line.appendChild(el("span", "muted", "  " + (item.topic || "")));
  if (grade === "n") {
    view.appendChild(el("p", "muted", "No item of this document carries the national task: a gap."));
    view.appendChild(promises(item, null));
  }
  pairs.sort(function (a, b) { return b.s - a.s; }).forEach(function (pair) { view.appendChild(pairBlock(columnId, pair, true)); });
  view.appendChild(addForm(columnId, index));
  return view;
}

function columnView(columnId) {
  var column = detail(columnId);
  var view = el("div", "column-view");
  view.appendChild(el("h3", null, cols.label[columnId]));
  view.appendChild(el("p", "muted", [levelName(columnId), cols.year[columnId] || "", cols.source[columnId]].join(" · ")));
  var gapList = nationalIndexes.filter(function (index, r) { return gradeAt(columnId, r) === "n"; });
  var ownList = ownItems(columnId);
  view.appendChild(el("p", null, "coverage " + percent(now.cov[columnId])));
  view.appendChild(el("h4", null, "Gaps: " + data.reference + " items with no counterpart (" + gapList.length + ")"));
  var gaps = view.appendChild(el("ul", "plain gaps"));
  gapList.forEach(function (index) {
    var item = data.national[String(index)];
    gaps.appendChild(el("li", null, index + " " + item.title + (item.topic ? "  [" + item.topic + "]" : "")));
  });
  if (!gapList.length) { gaps.appendChild(el("li", "muted", "none")); }
  view.appendChild(el("h4", null, "Local-only items: the document's own initiatives (" + ownList.length + ")"));
  var own = view.appendChild(el("ul", "plain local-only"));
  ownList.forEach(function (index) {
    var item = column.items[String(index)];
    own.appendChild(el("li", null, (item.label || index) + " " + item.title));
  });
  if (!ownList.length) { own.appendChild(el("li", "muted", "none")); }
  return view;
}

function open(view, what) {
  shown = what || null;
  panelBody.textContent = "";
  panelBody.appendChild(view);
  panel.hidden = false;
  document.body.classList.add("panel-open");
}

function close() {
  shown = null;
  if (selected) {
    selected = null;
    each(heatmap.querySelectorAll("td.g.selected"), function (c) { c.classList.remove("selected"); });
  }
  panel.hidden = true;
  document.body.classList.remove("panel-open");
}

/* After a decision: the panel shows the same cell (or column) again, from the new state. */
function refreshPanel() {
  if (!shown || panel.hidden) { return; }
  var scroll = panel.scrollTop;
  if (shown.cell) { open(cellView(shown.cell[0], shown.cell[1]), shown); }
  if (shown.column !== undefined) { open(columnView(shown.column), shown); }
  panel.scrollTop = scroll;
}

/* Column c's cell of national item `index`: scrolled into view, marked, its pairs in the panel. */
function select(columnId, index) {
  selected = [columnId, index];
  reveal(columnId, index);
  open(cellView(columnId, index), { cell: [columnId, index] });
}

function openColumn(columnId) { open(columnView(columnId), { column: columnId }); }

/* ---- everything as a list: on screen on request, and for printing -------------------------- */
var LIST_MAX = 500; /* jurisdictions listed in full at once: 10,000 would be a million elements */
function fillList() {
  var body = document.getElementById("print-body");
  body.textContent = ""; /* drawn anew each time: decisions change it */
  if (order.length > LIST_MAX) {
    body.appendChild(el("p", "muted", "The first " + LIST_MAX + " of " + order.length.toLocaleString("en") +
      " jurisdictions, in the order chosen: narrow them with Find for others."));
  }
  order.slice(0, LIST_MAX).forEach(function (id) {
    var section = body.appendChild(el("section", "print-column"));
    section.appendChild(columnView(id));
    section.appendChild(el("h4", null, "Pairs"));
    visiblePairs(id).forEach(function (pair) {
      var item = data.national[String(pair.n)];
      section.appendChild(el("p", "muted", data.reference + " " + pair.n + " " + item.title));
      /* a one-comparison report's list of pairs is reviewed in place */
      section.appendChild(pairBlock(id, pair, columnCount === 1));
    });
  });
}
