/* The heatmap and the summary: column order, grouping by level, the topic filter, and redrawing a cell,
   its column's figures and the topics' when a decision changes a grade. */
var heatmap = document.getElementById("heatmap");
var heads = heatmap.querySelector("tr.heads");
var groupsRow = heatmap.querySelector("tr.groups");
var bars = document.querySelector("#bars tbody");
var sortSelect = document.getElementById("sort");
var groupBox = document.getElementById("group");
var topicSelect = document.getElementById("topic");

/* ---- column order ------------------------------------------------------------------------ */
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
  each(row.querySelectorAll(selector), function (cell) { cells[cell.dataset.c] = cell; });
  var fragment = document.createDocumentFragment();
  order.forEach(function (id) { fragment.appendChild(cells[id]); });
  row.appendChild(fragment);
}

function applyOrder() {
  var order = currentOrder();
  reorderRow(heads, "th.col", order);
  each(heatmap.querySelectorAll("tbody tr"), function (row) { reorderRow(row, "td.g", order); });
  reorderRow(heatmap.querySelector("tfoot tr"), "td.cv", order);
  var rows = {};
  each(bars.querySelectorAll("tr"), function (row) { rows[row.dataset.c] = row; });
  order.forEach(function (id) { bars.appendChild(rows[id]); });
  drawGroups(order);
}

function drawGroups(order) {
  while (groupsRow.children.length > 1) { groupsRow.removeChild(groupsRow.lastChild); }
  each(heatmap.querySelectorAll(".group-start"), function (cell) { cell.classList.remove("group-start"); });
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
    each(heatmap.querySelectorAll('[data-c="' + run.first + '"]'), function (cell) {
      if (cell.tagName !== "TR") { cell.classList.add("group-start"); }
    });
  });
}

/* ---- topic filter ------------------------------------------------------------------------ */
function applyTopic() {
  var topic = topicSelect.value;
  each(heatmap.querySelectorAll("tbody tr"), function (row) {
    row.hidden = topic !== "" && row.dataset.topic !== topic;
  });
}

/* ---- redrawing what a decision changes --------------------------------------------------- */
function cellOf(columnId, index) {
  return heatmap.querySelector('tbody tr[data-n="' + index + '"] td.g[data-c="' + columnId + '"]');
}

function drawCell(columnId, index, grade, decided) {
  var cell = cellOf(columnId, index);
  cell.className = "g " + grade + (cell.classList.contains("selected") ? " selected" : "") +
    (cell.classList.contains("group-start") ? " group-start" : "");
  cell.textContent = GRADE[grade][0];
  if (decided) { cell.appendChild(el("sup", null, DECIDED)); }
}

/* A column's figures (tfoot, bar, counts, gaps) from its grades {national index: f|p|n}. */
function drawColumn(columnId, grades) {
  var counts = { f: 0, p: 0, n: 0 };
  nationalIndexes.forEach(function (index) { counts[grades[index]] += 1; });
  var ratio = nationalIndexes.length ? (counts.f + 0.5 * counts.p) / nationalIndexes.length : 0;
  byId[columnId].coverage = ratio;
  heads.querySelector('th.col[data-c="' + columnId + '"]').dataset.coverage = String(ratio);
  heatmap.querySelector('tfoot td.cv[data-c="' + columnId + '"]').textContent = percent(ratio);
  var row = bars.querySelector('tr[data-c="' + columnId + '"]');
  row.dataset.coverage = String(ratio);
  row.querySelector(".bar span").style.width = (ratio * 100).toFixed(1) + "%";
  row.querySelector("td.num").textContent = percent(ratio);
  row.querySelector("td.counts").textContent = counts.f + " · " + counts.p + " · " + counts.n;
  return ratio;
}

function drawOwnCount(columnId, gaps, own) {
  var button = bars.querySelector('.open-column[data-c="' + columnId + '"]');
  button.textContent = gaps + " gaps · " + own + " own";
}

/* Each topic's coverage over all columns, and the mean, from every column's grades. */
function drawTopics(allGrades) {
  var totals = {};
  nationalIndexes.forEach(function (index) {
    var topic = data.national[String(index)].topic || "其他";
    var sum = totals[topic] = totals[topic] || { score: 0, cells: 0 };
    allGrades.forEach(function (grades) {
      sum.score += grades[index] === "f" ? 1 : grades[index] === "p" ? 0.5 : 0;
      sum.cells += 1;
    });
  });
  each(document.querySelectorAll("#topics tbody tr"), function (row) {
    var sum = totals[row.dataset.topic];
    if (!sum) { return; }
    var ratio = sum.cells ? sum.score / sum.cells : 0;
    row.querySelector(".bar span").style.width = (ratio * 100).toFixed(1) + "%";
    row.querySelector("td.num:last-child").textContent = percent(ratio);
  });
  var mean = document.getElementById("mean");
  if (mean && keys.length) {
    mean.textContent = percent(keys.reduce(function (s, key) { return s + key.coverage; }, 0) / keys.length);
  }
}
