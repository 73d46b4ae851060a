/* The report's behaviour: column order, grouping by level, topic filter, and the panels.
   Document text only ever reaches the page through textContent / text nodes; highlights are
   [start, end) ranges computed by yigai, wrapped in <mark> elements built here. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var heatmap = document.getElementById("heatmap");
  var heads = heatmap.querySelector("tr.heads");
  var groupsRow = heatmap.querySelector("tr.groups");
  var bars = document.querySelector("#bars tbody");
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  var sortSelect = document.getElementById("sort");
  var groupBox = document.getElementById("group");
  var topicSelect = document.getElementById("topic");
  var GRADE = { f: ["✓", "full"], p: ["◐", "partial"], n: ["✗", "none"] };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function marked(text, marks) {
    var fragment = document.createDocumentFragment();
    var at = 0;
    (marks || []).forEach(function (range) {
      if (range[0] > at) { fragment.appendChild(document.createTextNode(text.slice(at, range[0]))); }
      fragment.appendChild(el("mark", null, text.slice(range[0], range[1])));
      at = range[1];
    });
    if (at < text.length) { fragment.appendChild(document.createTextNode(text.slice(at))); }
    return fragment;
  }

  function percent(x) { return Math.round(x * 100) + "%"; }

  /* ---- column order ---------------------------------------------------------------------- */
  var columnHeads = Array.prototype.slice.call(heads.querySelectorAll("th.col"));
  var keys = columnHeads.map(function (th) {
    return { id: Number(th.dataset.c), coverage: Number(th.dataset.coverage), name: th.dataset.name,
             nameRank: Number(th.dataset.nameRank), level: Number(th.dataset.level), levelName: th.dataset.levelName };
  });
  var byId = {};
  keys.forEach(function (key) { byId[key.id] = key; });

  function currentOrder() {
    var how = sortSelect.value;
    var order = keys.slice();
    var compare = {
      given: function (a, b) { return a.id - b.id; },
      coverage: function (a, b) { return b.coverage - a.coverage || a.id - b.id; },
      /* the Chinese order of --sort name: provinces by division code, other places by pinyin (nameRank) */
      name: function (a, b) { return a.nameRank - b.nameRank; },
      level: function (a, b) { return a.level - b.level || a.nameRank - b.nameRank; }
    }[how] || function (a, b) { return a.id - b.id; };
    order.sort(compare);
    if (groupBox.checked) {
      /* by level first, keeping the chosen order within each level */
      var position = new Map();
      order.forEach(function (key, k) { position.set(key, k); });
      order.sort(function (a, b) { return a.level - b.level || position.get(a) - position.get(b); });
    }
    return order.map(function (key) { return key.id; });
  }

  function reorderRow(row, selector, order) {
    var cells = {};
    Array.prototype.forEach.call(row.querySelectorAll(selector), function (cell) { cells[cell.dataset.c] = cell; });
    var fragment = document.createDocumentFragment();
    order.forEach(function (id) { fragment.appendChild(cells[id]); });
    row.appendChild(fragment);
  }

  function applyOrder() {
    var order = currentOrder();
    reorderRow(heads, "th.col", order);
    Array.prototype.forEach.call(heatmap.querySelectorAll("tbody tr"), function (row) { reorderRow(row, "td.g", order); });
    reorderRow(heatmap.querySelector("tfoot tr"), "td.cv", order);
    var rows = {};
    Array.prototype.forEach.call(bars.querySelectorAll("tr"), function (row) { rows[row.dataset.c] = row; });
    order.forEach(function (id) { bars.appendChild(rows[id]); });
    drawGroups(order);
  }

  function drawGroups(order) {
    while (groupsRow.children.length > 1) { groupsRow.removeChild(groupsRow.lastChild); }
    Array.prototype.forEach.call(heatmap.querySelectorAll(".group-start"), function (cell) { cell.classList.remove("group-start"); });
    groupsRow.hidden = !groupBox.checked;
    if (!groupBox.checked) { return; }
    var runs = [];
    order.forEach(function (id) {
      var last = runs[runs.length - 1];
      if (last && last.level === byId[id].level) { last.count += 1; } else { runs.push({ level: byId[id].level, name: byId[id].levelName, count: 1, first: id }); }
    });
    runs.forEach(function (run) {
      var th = el("th", "group-start", run.name + " (" + run.count + ")");
      th.colSpan = run.count;
      groupsRow.appendChild(th);
      Array.prototype.forEach.call(heatmap.querySelectorAll('[data-c="' + run.first + '"]'), function (cell) {
        if (cell.tagName !== "TR") { cell.classList.add("group-start"); }
      });
    });
  }

  /* ---- topic filter ---------------------------------------------------------------------- */
  function applyTopic() {
    var topic = topicSelect.value;
    Array.prototype.forEach.call(heatmap.querySelectorAll("tbody tr"), function (row) {
      row.hidden = topic !== "" && row.dataset.topic !== topic;
    });
  }

  /* ---- panels ---------------------------------------------------------------------------- */
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

  function pairBlock(column, pair) {
    /* pair keys: see _Pairs in yigai_cli/formats/report.py */
    var block = el("div", "pair");
    var local = column.items[String(pair.l)] || { label: "", title: "" };
    var head = block.appendChild(el("div"));
    head.appendChild(el("span", "grade g " + pair.g, GRADE[pair.g][0] + " " + GRADE[pair.g][1]));
    head.appendChild(el("strong", null, (local.label || pair.l) + " " + local.title));
    head.appendChild(el("span", "muted", "  score " + pair.s));
    var n = block.appendChild(el("p", "quote national"));
    n.appendChild(el("span", "who", data.reference + " sentence"));
    n.appendChild(marked(data.sentences[pair.ns], pair.nm));
    var l = block.appendChild(el("p", "quote local"));
    l.appendChild(el("span", "who", "local sentence"));
    l.appendChild(marked(column.sentences[pair.ls], pair.lm));
    if (pair.t.length) {
      var chips = block.appendChild(el("div", "chips"));
      chips.appendChild(el("span", "muted", "shared"));
      pair.t.forEach(function (term) { chips.appendChild(el("span", null, data.terms[term])); });
    }
    block.appendChild(promises(data.national[String(pair.n)], local));
    if (pair.c && pair.c.length) {
      var list = block.appendChild(el("ul", "plain comparisons"));
      pair.c.forEach(function (c) {
        list.appendChild(el("li", null, c.aspect + ": " + c.national + " → " + c.local + (c.verdict ? " (" + c.verdict + ")" : "")));
      });
    }
    return block;
  }

  function cellView(columnId, index) {
    var column = data.columns[columnId];
    var item = data.national[String(index)];
    var view = el("div", "cell-view");
    view.appendChild(el("h3", null, index + " " + item.title));
    var pairs = column.pairs.filter(function (p) { return p.n === index; });
    var grade = pairs.some(function (p) { return p.g === "f"; }) ? "f" : pairs.length ? "p" : "n";
    var line = view.appendChild(el("p"));
    line.appendChild(el("span", "grade g " + grade, GRADE[grade][0] + " " + GRADE[grade][1]));
    line.appendChild(el("span", null, column.label));
    line.appendChild(el("span", "muted", "  " + (item.topic || "")));
    var decided = column.decisions[String(index)];
    if (decided) {
      view.appendChild(el("p", "decision", "✎ analyst's decision: " + decided.action +
        (decided.grade ? " as " + decided.grade : "") + " (yigai had " + decided.machine + ")" +
        (decided.note ? ": " + decided.note : "") +
        (decided.who ? " (" + decided.who + (decided.when ? ", " + decided.when : "") + ")" : "")));
    }
    if (!pairs.length) {
      view.appendChild(el("p", "muted", "No item of this document carries the national task: a gap."));
      view.appendChild(promises(item, null));
    }
    pairs.sort(function (a, b) { return b.s - a.s; }).forEach(function (pair) { view.appendChild(pairBlock(column, pair)); });
    return view;
  }

  function columnView(columnId) {
    var column = data.columns[columnId];
    var view = el("div", "column-view");
    view.appendChild(el("h3", null, column.label));
    view.appendChild(el("p", "muted", [column.level_name, column.year || "", column.source].join(" · ")));
    view.appendChild(el("p", null, "coverage " + percent(column.coverage)));
    view.appendChild(el("h4", null, "Gaps: " + data.reference + " items with no counterpart (" + column.gaps.length + ")"));
    var gaps = view.appendChild(el("ul", "plain gaps"));
    column.gaps.forEach(function (index) {
      var item = data.national[String(index)];
      gaps.appendChild(el("li", null, index + " " + item.title + (item.topic ? "  [" + item.topic + "]" : "")));
    });
    if (!column.gaps.length) { gaps.appendChild(el("li", "muted", "none")); }
    view.appendChild(el("h4", null, "Local-only items: the document's own initiatives (" + column.local_only.length + ")"));
    var own = view.appendChild(el("ul", "plain local-only"));
    column.local_only.forEach(function (item) { own.appendChild(el("li", null, (item.label || item.index) + " " + item.title)); });
    if (!column.local_only.length) { own.appendChild(el("li", "muted", "none")); }
    return view;
  }

  function open(view) {
    panelBody.textContent = "";
    panelBody.appendChild(view);
    panel.hidden = false;
    document.body.classList.add("panel-open");
  }

  function close() {
    panel.hidden = true;
    document.body.classList.remove("panel-open");
  }

  function select(cell) {
    Array.prototype.forEach.call(heatmap.querySelectorAll("td.g.selected"), function (c) { c.classList.remove("selected"); });
    cell.classList.add("selected");
    open(cellView(Number(cell.dataset.c), Number(cell.parentNode.dataset.n)));
  }

  heatmap.addEventListener("click", function (event) {
    var cell = event.target.closest("td.g");
    if (cell) { select(cell); }
  });
  heatmap.addEventListener("keydown", function (event) {
    var cell = event.target.closest("td.g");
    if (cell && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); select(cell); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".open-column");
    if (button) { open(columnView(Number(button.dataset.c))); }
    var topic = event.target.closest(".pick-topic");
    if (topic) { topicSelect.value = topic.dataset.topic; applyTopic(); }
  });
  panel.querySelector(".close").addEventListener("click", close);
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { close(); } });

  /* ---- everything as a list: on screen on request, and for printing -------------------------- */
  var listed = false;
  function fillList() {
    if (listed) { return; }
    listed = true;
    var body = document.getElementById("print-body");
    currentOrder().forEach(function (id) {
      var column = data.columns[id];
      var section = body.appendChild(el("section", "print-column"));
      section.appendChild(columnView(id));
      section.appendChild(el("h4", null, "Pairs"));
      column.pairs.forEach(function (pair) {
        var item = data.national[String(pair.n)];
        section.appendChild(el("p", "muted", data.reference + " " + pair.n + " " + item.title));
        section.appendChild(pairBlock(column, pair));
      });
    });
  }
  document.getElementById("expand").addEventListener("click", function () {
    fillList();
    var list = document.getElementById("print-list");
    list.hidden = false;
    list.scrollIntoView();
  });
  window.addEventListener("beforeprint", fillList);

  sortSelect.addEventListener("change", applyOrder);
  groupBox.addEventListener("change", applyOrder);
  topicSelect.addEventListener("change", applyTopic);
  document.documentElement.dataset.ready = "1";
  if (window.performance && performance.mark) { performance.mark("yigai-ready"); }
}());
