/* The report's data and the helpers every part uses. The data is the JSON yigai embedded (see
   yigai_cli/formats/report.py for its keys). Document text only ever reaches the page through
   textContent / text nodes; highlights are [start, end) ranges computed by yigai, wrapped in <mark>
   elements built here. */
var data = JSON.parse(document.getElementById("report-data").textContent);
var GRADE = { f: ["✓", "full"], p: ["◐", "partial"], n: ["✗", "none"] };
var DECIDED = "✎";

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

/* Each column's pairs by national item and by (national, local) key, for the review's arithmetic. */
function pairKey(n, l) { return n + ":" + l; }
var nationalIndexes = Object.keys(data.national).map(Number).sort(function (a, b) { return a - b; });
data.columns.forEach(function (column) {
  column.byKey = {};
  column.byNational = {};
  column.pairs.forEach(function (pair) {
    column.byKey[pairKey(pair.n, pair.l)] = pair;
    (column.byNational[pair.n] = column.byNational[pair.n] || []).push(pair);
  });
});
