/* The report's data and the helpers every part uses. yigai embeds three pieces (see Page in
   yigai_cli/formats/report.py for their keys): the summary, read at once (`data`: each column's figures
   and grades, as one array a field); the texts of every item, read when first needed; and one line of JSON
   a column for its panels (items and pairs), read when that column is opened. Document text only ever
   reaches the page through textContent / text nodes; highlights are [start, end) ranges computed by yigai,
   wrapped in <mark> elements built here. */
var data = JSON.parse(document.getElementById("report-data").textContent);
var GRADE = { f: ["✓", "full"], p: ["◐", "partial"], n: ["✗", "none"] };
var DECIDED = "✎";
var cols = data.columns;             /* the summary: cols.label[c], cols.grades[c], … for column c */
var columnCount = cols.label.length;

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

/* A local item's whole text: its title and what follows (yigai writes the title once). */
function itemText(item) {
  return item.text || (item.x ? item.title + item.x : item.title);
}

function percent(x) { return Math.round(x * 100) + "%"; }

function each(nodes, fn) { Array.prototype.forEach.call(nodes, fn); }

/* What survives a redraft's re-typesetting, as yigai.decisions.normalise: CJK, letters, digits. */
function normalise(text) {
  return (String(text).normalize("NFKC").match(/[\u3400-\u9fffA-Za-z0-9]+/g) || []).join("").toLowerCase();
}

function pairKey(n, l) { return n + ":" + l; }
/* The national items in the document's order: position r of a column's grades is nationalIndexes[r]. */
var nationalIndexes = data.order;
var rowOf = {};
nationalIndexes.forEach(function (index, r) { rowOf[index] = r; });

/* ---- what is read when first needed ------------------------------------------------------ */
var texts = null;
function textOf(k) {
  if (texts === null) { texts = JSON.parse(document.getElementById("report-texts").textContent); }
  return texts[k];
}

var detailLines = null;
var details = new Map();

/* Column c's panels: {items: {index: {label, title, x | text, f, departments, deadline, targets}},
   pairs: [{n, l, g, s, t, nt, nm, lt, lm, k, d}], byKey, byNational, title, names, decisions}. */
function detail(c) {
  var column = details.get(c);
  if (column) { return column; }
  if (detailLines === null) {
    detailLines = document.getElementById("report-details").textContent.split("\n").filter(function (line) { return line; });
  }
  var raw = JSON.parse(detailLines[c]);
  column = { items: {}, pairs: [], byKey: {}, byNational: {}, title: raw.t, names: raw.m, decisions: raw.d || {} };
  raw.i.forEach(function (row) {
    var item = { label: row[1], f: row[2], title: textOf(row[3]) };
    if (row[4] !== undefined && row[4] !== null) { item.x = textOf(row[4]); }
    if (row[5] !== undefined && row[5] !== null) { item.text = textOf(row[5]); }
    if (row[6] !== undefined && row[6] !== null) { Object.assign(item, data.promises[row[6]]); }
    column.items[String(row[0])] = item;
  });
  raw.p.forEach(function (row) {
    var local = column.items[String(row[1])];
    var whole = local ? itemText(local) : "";
    var pair = { n: row[0], l: row[1], g: row[2], s: row[3], t: row[4] || [],
                 nt: data.sentences[row[5]] || "", nm: data.marks[row[6]] || [],
                 lt: typeof row[7] === "string" ? row[7] : row[7] ? whole.slice(row[7][0], row[7][1]) : "",
                 lm: row[8] || [] };
    if (row[9]) { pair.k = { value: row[9][0], level: data.certainty[row[9][1]] }; }
    if (row[10]) { pair.d = row[10]; }
    column.pairs.push(pair);
  });
  indexPairs(column);
  details.set(c, column);
  return column;
}

/* A column's pairs by national item and by (national, local) key, for the review's arithmetic. */
function indexPairs(column) {
  column.byKey = {};
  column.byNational = {};
  column.pairs.forEach(function (pair) {
    column.byKey[pairKey(pair.n, pair.l)] = pair;
    (column.byNational[pair.n] = column.byNational[pair.n] || []).push(pair);
  });
}

function levelName(c) { return data.levels[String(cols.level[c])] || ""; }
function headOf(c) { return (cols.name[c] + " " + (cols.year[c] || "")).trim(); }
