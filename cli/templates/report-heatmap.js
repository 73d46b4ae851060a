/* The heatmap and the overview. A report may hold 30,000 columns: the heatmap draws only the cells on
   screen (and a margin), with empty cells as wide as the columns left and right of them and empty rows as
   tall as the rows above and below, so the scroll bars are those of the whole table; it draws again as it
   scrolls. The list of jurisdictions does the same. Everything is drawn from `now`, each column's grades,
   coverage and own items as the review leaves them, and from `order`, the columns shown, in order. */
var heatmap = document.getElementById("heatmap");
var scroller = document.getElementById("heat-scroll");
var heads = heatmap.querySelector("tr.heads");
var groupsRow = heatmap.querySelector("tr.groups");
var heatBody = heatmap.querySelector("tbody");
var foot = heatmap.querySelector("tfoot tr");
var bars = document.querySelector("#bars tbody");
var barsBox = document.getElementById("bars-box");
var sortSelect = document.getElementById("sort");
var groupBox = document.getElementById("group");
var topicSelect = document.getElementById("topic");
var findBox = document.getElementById("find");

var now = { grades: cols.grades.slice(), cov: cols.cov.slice(), own: cols.own.slice() };
var order = [];      /* the columns shown, in the chosen order */
var rows = [];       /* the national items shown (positions in nationalIndexes), after the topic filter */
var selected = null; /* the cell the panel shows: [column, national index] */
var coverageRank = new Int32Array(columnCount);
var size = { cell: 28, row: 25, bar: 25 };  /* measured once drawn */
var MARGIN = { columns: 12, rows: 8, bars: 40 };
var drawn = null;    /* the window last drawn, to skip a scroll that shows nothing new */
var printing = false;

function gradeAt(c, r) { return now.grades[c].charAt(r).toLowerCase(); }
function decidedAt(c, r) { var g = now.grades[c].charAt(r); return g !== g.toLowerCase(); }

function counts(c) {
  var n = { f: 0, p: 0, n: 0 };
  for (var r = 0; r < nationalIndexes.length; r++) { n[gradeAt(c, r)] += 1; }
  return n;
}

/* ---- column order ------------------------------------------------------------------------ */
function currentOrder() {
  var how = sortSelect.value;
  var words = findBox.value.trim().toLowerCase();
  var ids = [];
  for (var c = 0; c < columnCount; c++) {
    if (!words || cols.label[c].toLowerCase().indexOf(words) >= 0 || cols.source[c].toLowerCase().indexOf(words) >= 0) { ids.push(c); }
  }
  var compare = {
    given: function (a, b) { return a - b; },
    coverage: function (a, b) { return now.cov[b] - now.cov[a] || a - b; },
    /* the Chinese order of --sort name: provinces by division code, other places by pinyin (rank) */
    name: function (a, b) { return cols.rank[a] - cols.rank[b]; },
    level: function (a, b) { return cols.level[a] - cols.level[b] || cols.rank[a] - cols.rank[b]; }
  }[how] || function (a, b) { return a - b; };
  ids.sort(compare);
  if (groupBox.checked) {
    /* by level first, keeping the chosen order within each level */
    var position = new Int32Array(columnCount);
    ids.forEach(function (c, k) { position[c] = k; });
    ids.sort(function (a, b) { return cols.level[a] - cols.level[b] || position[a] - position[b]; });
  }
  return ids;
}

function applyOrder() {
  order = currentOrder();
  document.getElementById("shown-count").textContent = order.length === columnCount ? "" :
    "(" + order.length.toLocaleString("en") + " of " + columnCount.toLocaleString("en") + ")";
  redrawAll();
}

/* ---- topic filter ------------------------------------------------------------------------ */
function topicRows() {
  var topic = topicSelect.value;
  var shown = [];
  nationalIndexes.forEach(function (index, r) {
    if (topic === "" || (data.national[String(index)].topic || "其他") === topic) { shown.push(r); }
  });
  return shown;
}

function applyTopic() {
  rows = topicRows();
  redrawAll();
}

/* ---- the window on screen ---------------------------------------------------------------- */
var PRINT_ALL = 1000; /* columns printed whole; a wider heatmap prints the part on screen (the list has the rest) */
function span(total, step, start, extent, offset, margin) {
  if (printing && order.length <= PRINT_ALL) { return [0, total]; }
  /* (after the list shrank, the box may still be scrolled past its end: the last rows then) */
  var first = Math.max(0, Math.min(total - 1, Math.floor((start - offset) / step)) - margin);
  var last = Math.min(total, Math.ceil((start + extent - offset) / step) + margin);
  return [first, Math.max(first, last)];
}

function leading() {
  /* the width of the # / item / topic columns and the height of the heads: where the cells start */
  var topic = heads.querySelector("th.topic");
  return { left: topic ? topic.offsetLeft + topic.offsetWidth : 300, top: heatmap.tHead.offsetHeight || 150 };
}

function pad(tag, width) {
  var cell = el(tag, "pad");
  cell.style.width = cell.style.minWidth = cell.style.maxWidth = width + "px";
  return cell;
}

function withPads(row, tag, from, to, fill) {
  if (from > 0) { row.appendChild(pad(tag, from * size.cell)); }
  for (var k = from; k < to; k++) { row.appendChild(fill(order[k], k)); }
  if (to < order.length) { row.appendChild(pad(tag, (order.length - to) * size.cell)); }
}

function runStarts() {
  var starts = new Set();
  if (!groupBox.checked) { return starts; }
  order.forEach(function (c, k) { if (k === 0 || cols.level[order[k - 1]] !== cols.level[c]) { starts.add(c); } });
  return starts;
}

function drawHeatmap(force) {
  var lead = leading();
  /* (the box is as large as what it holds, up to the screen: a box that held a few rows may grow as drawn) */
  var across = span(order.length, size.cell, scroller.scrollLeft, Math.max(scroller.clientWidth, window.innerWidth), lead.left, MARGIN.columns);
  var down = span(rows.length, size.row, scroller.scrollTop, Math.max(scroller.clientHeight, window.innerHeight), lead.top, MARGIN.rows);
  var key = across.join(",") + "/" + down.join(",");
  if (!force && drawn === key) { return; }
  drawn = key;
  var first = across[0];
  var last = across[1];
  var starts = runStarts();
  var mark = function (cell, c) { if (starts.has(c)) { cell.classList.add("group-start"); } return cell; };

  heads.textContent = "";
  heads.appendChild(el("th", "idx", "#"));
  heads.appendChild(el("th", "title", data.reference + " item"));
  heads.appendChild(el("th", "topic", "topic"));
  withPads(heads, "th", first, last, function (c) {
    var th = el("th", "col");
    th.scope = "col";
    th.dataset.c = c;
    th.dataset.coverage = now.cov[c];
    th.dataset.name = cols.label[c];
    th.dataset.level = cols.level[c];
    th.dataset.levelName = levelName(c);
    th.dataset.nameRank = cols.rank[c];
    th.title = cols.label[c] + " · " + cols.source[c];
    var name = th.appendChild(el("span", "name", cols.name[c] + " "));
    name.appendChild(el("span", "year", cols.year[c] || ""));
    th.appendChild(el("span", "sub", levelName(c) + " · " + cols.file[c]));
    return mark(th, c);
  });

  groupsRow.textContent = "";
  groupsRow.hidden = !groupBox.checked;
  if (groupBox.checked) {
    var corner = groupsRow.appendChild(el("th"));
    corner.colSpan = 3;
    if (first > 0) { groupsRow.appendChild(pad("th", first * size.cell)); }
    for (var k = first; k < last;) {
      var level = cols.level[order[k]];
      var end = k;
      while (end < last && cols.level[order[end]] === level) { end += 1; }
      var whole = 0;
      order.forEach(function (c) { if (cols.level[c] === level) { whole += 1; } });
      var th = groupsRow.appendChild(el("th", starts.has(order[k]) ? "group-start" : "group-more", levelName(order[k]) + " (" + whole + ")"));
      th.colSpan = end - k;
      k = end;
    }
    if (last < order.length) { groupsRow.appendChild(pad("th", (order.length - last) * size.cell)); }
  }

  var fragment = document.createDocumentFragment();
  var width = 3 + (first > 0 ? 1 : 0) + (last - first) + (last < order.length ? 1 : 0);
  if (down[0] > 0) { fragment.appendChild(spacer(down[0] * size.row, width)); }
  for (var k2 = down[0]; k2 < down[1]; k2++) {
    var r = rows[k2];
    var index = nationalIndexes[r];
    var item = data.national[String(index)];
    var tr = el("tr");
    tr.dataset.n = index;
    tr.dataset.topic = item.topic || "其他";
    var idx = tr.appendChild(el("th", "idx", index));
    idx.scope = "row";
    var title = tr.appendChild(el("td", "title", item.title));
    title.title = item.title;
    tr.appendChild(el("td", "topic", item.topic || "其他"));
    withPads(tr, "td", first, last, cellMaker(r, index, mark));
    fragment.appendChild(tr);
  }
  if (down[1] < rows.length) { fragment.appendChild(spacer((rows.length - down[1]) * size.row, width)); }
  heatBody.textContent = "";
  heatBody.appendChild(fragment);

  foot.textContent = "";
  foot.appendChild(el("th"));
  foot.appendChild(el("th", "title", "coverage"));
  foot.appendChild(el("th"));
  withPads(foot, "td", first, last, function (c) {
    var td = el("td", "cv", percent(now.cov[c]));
    td.dataset.c = c;
    return mark(td, c);
  });
  measure();
  document.getElementById("window").textContent = order.length > last - first ?
    "columns " + (first + 1).toLocaleString("en") + "–" + last.toLocaleString("en") + " of " + order.length.toLocaleString("en") + " drawn; scroll for more" : "";
}

function cellMaker(r, index, mark) {
  return function (c) {
    var grade = gradeAt(c, r);
    var td = el("td", "g " + grade, GRADE[grade][0]);
    if (selected && selected[0] === c && selected[1] === index) { td.classList.add("selected"); }
    td.dataset.c = c;
    td.tabIndex = 0;
    if (decidedAt(c, r)) { td.appendChild(el("sup", null, DECIDED)); }
    return mark(td, c);
  };
}

function spacer(height, width) {
  var tr = el("tr", "pad");
  var td = tr.appendChild(el("td"));
  td.colSpan = width;
  td.style.height = height + "px";
  return tr;
}

/* The sizes the window is worked out with, from what is drawn (fonts and zoom differ). */
function measure() {
  var th = heads.querySelector("th.col");
  var tr = heatBody.querySelector("tr[data-n]");
  var changed = false;
  if (th && th.offsetWidth && Math.abs(th.offsetWidth - size.cell) > 0.5) { size.cell = th.offsetWidth; changed = true; }
  if (tr && tr.offsetHeight && Math.abs(tr.offsetHeight - size.row) > 0.5) { size.row = tr.offsetHeight; changed = true; }
  if (changed) { drawn = null; schedule(); }
}

/* ---- the jurisdictions, ranked -------------------------------------------------------------- */
function drawBars(force) {
  var shown = span(order.length, size.bar, barsBox.scrollTop, Math.max(barsBox.clientHeight, window.innerHeight / 2), barsBox.querySelector("thead").offsetHeight, MARGIN.bars);
  var key = shown.join(",");
  if (!force && bars.dataset.drawn === key) { return; }
  bars.dataset.drawn = key;
  var fragment = document.createDocumentFragment();
  if (shown[0] > 0) { fragment.appendChild(spacer(shown[0] * size.bar, 7)); }
  for (var k = shown[0]; k < shown[1]; k++) { fragment.appendChild(barRow(order[k])); }
  if (shown[1] < order.length) { fragment.appendChild(spacer((order.length - shown[1]) * size.bar, 7)); }
  bars.textContent = "";
  bars.appendChild(fragment);
  var row = bars.querySelector("tr[data-c]");
  if (row && row.offsetHeight && Math.abs(row.offsetHeight - size.bar) > 0.5) { size.bar = row.offsetHeight; bars.dataset.drawn = ""; schedule(); }
}

function barRow(c) {
  var tr = el("tr");
  tr.dataset.c = c;
  tr.dataset.coverage = now.cov[c];
  tr.dataset.name = cols.label[c];
  tr.dataset.level = cols.level[c];
  tr.dataset.nameRank = cols.rank[c];
  tr.appendChild(el("td", "rank", coverageRank[c] + 1));
  var th = tr.appendChild(el("th", null, headOf(c) + " "));
  th.scope = "row";
  th.title = cols.source[c];
  th.appendChild(el("small", "muted", cols.label[c].slice(headOf(c).length).trim()));
  tr.appendChild(el("td", "level", levelName(c)));
  var bar = tr.appendChild(el("td", "bar")).appendChild(el("span"));
  bar.style.width = (now.cov[c] * 100).toFixed(1) + "%";
  tr.appendChild(el("td", "num", percent(now.cov[c])));
  var n = counts(c);
  tr.appendChild(el("td", "counts", n.f + " · " + n.p + " · " + n.n));
  var open = tr.appendChild(el("td")).appendChild(el("button", "open-column", n.n + " gaps · " + now.own[c] + " own"));
  open.type = "button";
  open.dataset.c = c;
  return tr;
}

/* ---- the overview: topics by level, the spread of coverage, the mean -------------------------- */
var levelsShown = [];
function drawOverview() {
  var ranked = [];
  for (var c = 0; c < columnCount; c++) { ranked.push(c); }
  ranked.sort(function (a, b) { return now.cov[b] - now.cov[a] || a - b; });
  ranked.forEach(function (c, k) { coverageRank[c] = k; });
  drawTopics();
  drawSpread();
  var mean = document.getElementById("mean");
  if (mean && columnCount) {
    var sum = 0;
    for (var k = 0; k < columnCount; k++) { sum += now.cov[k]; }
    mean.textContent = percent(sum / columnCount);
  }
}

/* Each topic's coverage over all columns and over each level's: (full + 0.5 × partial) / cells. */
function drawTopics() {
  var weight = { f: 1, p: 0.5, n: 0 };
  var topicOf = nationalIndexes.map(function (index) { return data.national[String(index)].topic || "其他"; });
  var totals = {};
  var levels = {};
  for (var c = 0; c < columnCount; c++) {
    var level = cols.level[c];
    levels[level] = (levels[level] || 0) + 1;
    var grades = now.grades[c];
    for (var r = 0; r < topicOf.length; r++) {
      var sum = totals[topicOf[r]] = totals[topicOf[r]] || { all: [0, 0] };
      var byLevel = sum[level] = sum[level] || [0, 0];
      var w = weight[grades.charAt(r).toLowerCase()];
      sum.all[0] += w; sum.all[1] += 1;
      byLevel[0] += w; byLevel[1] += 1;
    }
  }
  var shown = Object.keys(levels).map(Number).sort(function (a, b) { return a - b; });
  var table = document.getElementById("topics");
  if (shown.join() !== levelsShown.join()) {
    levelsShown = shown;
    var head = table.querySelector("thead tr");
    each(head.querySelectorAll(".lv"), function (th) { th.remove(); });
    if (shown.length > 1) {
      shown.forEach(function (level) {
        var th = head.appendChild(el("th", "num lv", data.levels[String(level)] + " "));
        th.appendChild(el("small", "muted", "(" + levels[level].toLocaleString("en") + ")"));
      });
    }
  }
  each(table.querySelectorAll("tbody tr"), function (row) {
    var sum = totals[row.dataset.topic];
    if (!sum) { return; }
    var ratio = sum.all[1] ? sum.all[0] / sum.all[1] : 0;
    row.querySelector(".bar span").style.width = (ratio * 100).toFixed(1) + "%";
    row.querySelector("td.num.all").textContent = percent(ratio);
    each(row.querySelectorAll(".lv"), function (td) { td.remove(); });
    if (shown.length > 1) {
      shown.forEach(function (level) {
        var cell = sum[level];
        var share = cell && cell[1] ? cell[0] / cell[1] : 0;
        var td = row.appendChild(el("td", "num lv", percent(share)));
        td.dataset.level = level;
        td.style.background = "rgba(0, 114, 178, " + (share * 0.85).toFixed(2) + ")";
        td.style.color = share > 0.55 ? "#fff" : "";
      });
    }
  });
}

/* How many jurisdictions at each tenth of coverage: the shape of 10,000 columns at a glance. */
function drawSpread() {
  var bins = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (var c = 0; c < columnCount; c++) { bins[Math.min(9, Math.floor(now.cov[c] * 10 + 1e-9))] += 1; }
  var most = Math.max.apply(null, bins) || 1;
  var box = document.getElementById("spread");
  box.textContent = "";
  if (columnCount < 2) { return; }
  box.appendChild(el("span", "muted", "jurisdictions by coverage"));
  var chart = box.appendChild(el("div", "spread"));
  bins.forEach(function (count, k) {
    var bin = chart.appendChild(el("div", "bin"));
    bin.title = count.toLocaleString("en") + " with coverage " + k * 10 + "–" + (k + 1) * 10 + "%";
    bin.appendChild(el("span", "n", count ? count.toLocaleString("en") : ""));
    var bar = bin.appendChild(el("span", "fill"));
    bar.style.height = (count / most * 100).toFixed(1) + "%";
    bin.appendChild(el("span", "x", k * 10 + "%"));
  });
}

/* ---- drawing ----------------------------------------------------------------------------- */
var pending = false;
function schedule() {
  if (pending) { return; }
  pending = true;
  window.requestAnimationFrame(function () { pending = false; drawHeatmap(false); drawBars(false); });
}

function redrawAll() {
  drawHeatmap(true);
  drawBars(true);
}

/* After a decision changes column c's grades: its figures, and everything drawn from them. */
function setColumn(c, grades, own) {
  now.grades[c] = grades;
  var n = counts(c);
  now.cov[c] = nationalIndexes.length ? (n.f + 0.5 * n.p) / nationalIndexes.length : 0;
  now.own[c] = own;
}

function cellOf(c, index) {
  return heatmap.querySelector('tbody tr[data-n="' + index + '"] td.g[data-c="' + c + '"]');
}

/* Scrolls the heatmap to column c's cell of national item `index` (drawn at once). */
function reveal(c, index) {
  var at = order.indexOf(c);
  var lead = leading();
  if (at >= 0) {
    var x = lead.left + at * size.cell;
    if (x < scroller.scrollLeft + lead.left || x + size.cell > scroller.scrollLeft + scroller.clientWidth) {
      scroller.scrollLeft = Math.max(0, x - lead.left - (scroller.clientWidth - lead.left) / 2);
    }
  }
  var row = rows.indexOf(rowOf[index]);
  if (row >= 0) {
    var y = lead.top + row * size.row;
    if (y < scroller.scrollTop + lead.top || y + size.row > scroller.scrollTop + scroller.clientHeight) {
      scroller.scrollTop = Math.max(0, y - lead.top - (scroller.clientHeight - lead.top) / 2);
    }
  }
  drawHeatmap(true);
}

scroller.addEventListener("scroll", schedule, { passive: true });
barsBox.addEventListener("scroll", schedule, { passive: true });
window.addEventListener("resize", function () { drawn = null; bars.dataset.drawn = ""; schedule(); });
window.addEventListener("beforeprint", function () { printing = true; redrawAll(); });
window.addEventListener("afterprint", function () { printing = false; redrawAll(); });
