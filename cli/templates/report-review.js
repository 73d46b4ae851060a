/* The analyst's review: decisions on pairs (confirm, reject, regrade, add, a note), kept in the browser's
   storage under the documents' fingerprints, undone in order, and written out as the decisions file
   `--decisions` reads. A decision is {action, grade, note, who, when}, as in that file. */
var review = {
  base: new Map(),   /* column: the decisions the page was made with (--decisions), read when first needed */
  delta: new Map(),  /* column: the decisions made here: a decision, or null for "none" */
  history: [],       /* [{c, key, before}] for undo */
  reviewer: "",
  pending: null
};
var STORE = "yigai-review/";
var NAME_STORE = "yigai-reviewer";
var decidedColumns = [];  /* the columns with decisions from --decisions */
cols.decided.forEach(function (flag, c) { if (flag) { decidedColumns.push(c); } });

function baseOf(c) {
  var base = review.base.get(c);
  if (base) { return base; }
  base = {};
  if (cols.decided[c]) {
    detail(c).pairs.forEach(function (pair) {
      if (!pair.d) { return; }
      var d = { action: pair.d.action };
      ["grade", "note", "who", "when"].forEach(function (k) { if (pair.d[k]) { d[k] = pair.d[k]; } });
      base[pairKey(pair.n, pair.l)] = d;
    });
  }
  review.base.set(c, base);
  return base;
}

function deltaOf(c) {
  var delta = review.delta.get(c);
  if (!delta) { delta = {}; review.delta.set(c, delta); }
  return delta;
}

/* Whether column c has any decision: else its grades are yigai's, as the summary gives them. */
function touched(c) {
  var delta = review.delta.get(c);
  return Boolean(cols.decided[c]) || Boolean(delta && Object.keys(delta).length);
}

/* The columns that may hold a decision: from --decisions, or made here. */
function reviewedColumns() {
  var found = new Set(decidedColumns);
  review.delta.forEach(function (delta, c) { if (Object.keys(delta).length) { found.add(c); } });
  return Array.from(found).sort(function (a, b) { return a - b; });
}

function storeKey(c) { return STORE + data.key + "/" + cols.key[c]; }

function storage() {
  try { return window.localStorage; } catch (e) { return null; } /* a page opened where storage is off */
}

function decisionOf(c, pair) {
  var key = pairKey(pair.n, pair.l);
  var delta = review.delta.get(c);
  return delta && Object.prototype.hasOwnProperty.call(delta, key) ? delta[key] : (baseOf(c)[key] || null);
}

function gradeOf(pair, decision) {
  if (!decision) { return pair.g; }
  if (decision.action === "reject") { return "n"; }
  return decision.grade ? decision.grade.charAt(0) : pair.g;
}

function cellGrade(c, index) {
  if (!touched(c)) { return cols.grades[c].charAt(rowOf[index]).toLowerCase(); } /* yigai's, as written */
  var best = "n";
  (detail(c).byNational[index] || []).forEach(function (pair) {
    var g = gradeOf(pair, decisionOf(c, pair));
    if (g === "f" || (g === "p" && best === "n")) { best = g; }
  });
  return best;
}

function cellDecided(c, index) {
  if (!touched(c)) { var g = cols.grades[c].charAt(rowOf[index]); return g !== g.toLowerCase(); }
  return (detail(c).byNational[index] || []).some(function (pair) { return decisionOf(c, pair) !== null; });
}

/* Column c's grades as the summary writes them: a letter a national item, upper case where decided. */
function columnGrades(c) {
  return nationalIndexes.map(function (index) {
    var grade = cellGrade(c, index);
    return cellDecided(c, index) ? grade.toUpperCase() : grade;
  }).join("");
}

function ownItems(c) {
  var column = detail(c);
  var paired = {};
  column.pairs.forEach(function (pair) { if (gradeOf(pair, decisionOf(c, pair)) !== "n") { paired[pair.l] = true; } });
  return Object.keys(column.items).map(Number).filter(function (i) { return !paired[i]; }).sort(function (a, b) { return a - b; });
}

function visiblePairs(c) {
  return detail(c).pairs.filter(function (pair) { return pair.g !== "n" || decisionOf(c, pair); });
}

/* ---- storage ----------------------------------------------------------------------------- */
function save(c) {
  var store = storage();
  if (!store) { return; }
  var delta = review.delta.get(c) || {};
  try {
    if (Object.keys(delta).length) { store.setItem(storeKey(c), JSON.stringify(delta)); }
    else { store.removeItem(storeKey(c)); }
  } catch (e) { note("The browser would not keep this review (" + e.name + "): download the decisions file."); }
}

/* The review kept from an earlier visit: what the storage holds under this report's documents. */
function restore() {
  var store = storage();
  if (!store) { return []; }
  review.reviewer = store.getItem(NAME_STORE) || "";
  var prefix = STORE + data.key + "/";
  var kept = {};
  for (var k = 0; k < store.length; k++) {
    var name = store.key(k);
    if (name && name.indexOf(prefix) === 0) { kept[name.slice(prefix.length)] = store.getItem(name); }
  }
  var changed = [];
  if (!Object.keys(kept).length) { return changed; }
  cols.key.forEach(function (key, c) {
    if (!Object.prototype.hasOwnProperty.call(kept, key)) { return; }
    var delta;
    try { delta = JSON.parse(kept[key]) || {}; } catch (e) { return; }
    review.delta.set(c, delta);
    Object.keys(delta).forEach(function (pair) { ensurePair(c, pair); });
    changed.push(c);
  });
  return changed;
}

/* A pair the analyst added here is made on the spot (yigai graded none; no sentences). */
function ensurePair(c, key) {
  var column = detail(c);
  if (column.byKey[key]) { return column.byKey[key]; }
  var parts = key.split(":").map(Number);
  if (!data.national[String(parts[0])] || !column.items[String(parts[1])]) { return null; }
  var pair = { n: parts[0], l: parts[1], g: "n", s: 0, t: [] };
  column.pairs.push(pair);
  column.byKey[key] = pair;
  (column.byNational[pair.n] = column.byNational[pair.n] || []).push(pair);
  return pair;
}

/* ---- deciding ---------------------------------------------------------------------------- */
function today() {
  var d = new Date();
  function two(x) { return (x < 10 ? "0" : "") + x; }
  return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
}

var GRADE_NAME = { f: "full", p: "partial" };

/* What `verb` (confirm, reject, full, partial, clear, or a note) makes of a pair's decision. */
function decided(pair, current, verb, text) {
  if (verb === "clear") { return null; }
  var next = { action: "confirm" };
  if (verb === "note") {
    if (!current) { return undefined; } /* a note goes with a decision */
    next = Object.assign({}, current);
    if (text) { next.note = text; } else { delete next.note; }
    return next;
  }
  if (verb === "reject") { next = { action: "reject" }; }
  else {
    var grade = verb === "full" ? "f" : verb === "partial" ? "p" : gradeOf(pair, current);
    if (grade === "n") { grade = pair.g === "n" ? "p" : pair.g; }
    next = { action: pair.g === "n" ? "add" : grade === pair.g ? "confirm" : "regrade", grade: GRADE_NAME[grade] };
  }
  if (text) { next.note = text; } else if (current && current.note) { next.note = current.note; }
  next.who = review.reviewer;
  next.when = today();
  return next;
}

/* Runs `act` once the reviewer has a name: it is written into each decision, so it is asked first. */
function withName(act) {
  if (review.reviewer) { act(); return; }
  review.pending = act;
  askName();
}

function decide(c, key, verb, text) {
  var pair = ensurePair(c, key);
  if (!pair) { return; }
  var current = decisionOf(c, pair);
  var next = decided(pair, current, verb, text);
  if (next === undefined) { return; }
  var delta = deltaOf(c);
  review.history.push({ c: c, key: key, before: Object.prototype.hasOwnProperty.call(delta, key) ? delta[key] : undefined });
  setDelta(c, key, next);
  currentPair = { c: c, key: key };
  changed(c, pair.n);
}

function setDelta(c, key, decision) {
  var base = baseOf(c)[key] || null;
  if (JSON.stringify(decision) === JSON.stringify(base)) { delete deltaOf(c)[key]; }
  else { deltaOf(c)[key] = decision; }
}

function undo() {
  var last = review.history.pop();
  if (!last) { note("Nothing to undo."); return; }
  if (last.before === undefined) { delete deltaOf(last.c)[last.key]; } else { deltaOf(last.c)[last.key] = last.before; }
  currentPair = { c: last.c, key: last.key };
  changed(last.c, Number(last.key.split(":")[0]));
}

/* Everything a decision touches, drawn again at once: the cell, its column, the topics, the panel. */
function changed(c) {
  save(c);
  redraw(c);
  drawOverview();
  redrawAll();
  refreshPanel();
  var list = document.getElementById("print-list");
  if (!list.hidden) { fillList(); }
  drawQueue();
}

/* Column c's figures again, from its decisions (the caller draws what shows them). */
function redraw(c) {
  setColumn(c, columnGrades(c), ownItems(c).length);
}

/* ---- the reviewer's name: asked once, in the page --------------------------------------- */
var nameInput = document.getElementById("reviewer");
function askName() {
  var ask = document.getElementById("reviewer-ask");
  ask.hidden = false;
  nameInput.focus();
}
function setName() {
  var name = nameInput.value.trim();
  if (!name) { return; }
  review.reviewer = name;
  var store = storage();
  if (store) { try { store.setItem(NAME_STORE, name); } catch (e) { /* kept for this visit */ } }
  document.getElementById("reviewer-ask").hidden = true;
  var pending = review.pending;
  review.pending = null;
  if (pending) { pending(); }
}

/* ---- the controls under each pair -------------------------------------------------------- */
function button(text, verb, title) {
  var b = el("button", "act", text);
  b.type = "button";
  b.dataset.verb = verb;
  if (title) { b.title = title; }
  return b;
}

function reviewControls(c, pair, decision) {
  var box = el("div", "review-controls");
  var grade = gradeOf(pair, decision);
  if (pair.g !== "n") { box.appendChild(button("confirm", "confirm", "the pair holds (c)")); }
  box.appendChild(button("reject", "reject", "the local item does not carry out the national one (r)"));
  box.appendChild(button("full", "full", "the pair holds in full (f)"));
  box.appendChild(button("partial", "partial", "the local item carries part of it (p)"));
  if (decision) { box.appendChild(button("clear decision", "clear", "back to yigai's grade")); }
  each(box.querySelectorAll("button.act"), function (b) {
    if ((b.dataset.verb === "reject" && decision && decision.action === "reject") ||
        (decision && decision.action !== "reject" && b.dataset.verb === (grade === "f" ? "full" : "partial")) ||
        (b.dataset.verb === "confirm" && decision && decision.action === "confirm")) { b.classList.add("on"); }
  });
  var noteBox = box.appendChild(el("label", "note"));
  noteBox.appendChild(el("span", "muted", "note "));
  var input = noteBox.appendChild(el("textarea", "note-input"));
  input.rows = 1;
  input.value = decision && decision.note ? decision.note : "";
  input.disabled = !decision;
  input.placeholder = decision ? "why (written into the file)" : "decide first";
  return box;
}

/* A counterpart yigai missed: any item of the local document, found by its text. */
function addForm(c, index) {
  var column = detail(c);
  var form = el("form", "add-form");
  form.dataset.c = c;
  form.dataset.n = index;
  form.appendChild(el("h4", null, "Add a counterpart"));
  var search = form.appendChild(el("input", "add-search"));
  search.type = "search";
  search.placeholder = "search this document's items";
  var list = form.appendChild(el("select", "add-item"));
  list.size = 6;
  function fill() {
    var words = normalise(search.value);
    list.textContent = "";
    Object.keys(column.items).map(Number).sort(function (a, b) { return a - b; }).forEach(function (i) {
      var item = column.items[String(i)];
      var text = itemText(item);
      if (words && normalise((item.label || "") + text).indexOf(words) < 0) { return; }
      var option = el("option", null, (item.label || i) + " " + text);
      option.value = String(i);
      option.title = text;
      list.appendChild(option);
    });
  }
  fill();
  search.addEventListener("input", fill);
  var grade = form.appendChild(el("select", "add-grade"));
  [["partial", "partial"], ["full", "full"]].forEach(function (g) {
    var option = grade.appendChild(el("option", null, g[1]));
    option.value = g[0];
  });
  var noteInput = form.appendChild(el("textarea", "add-note"));
  noteInput.rows = 1;
  noteInput.placeholder = "note";
  var submit = form.appendChild(el("button", null, "add"));
  submit.type = "submit";
  return form;
}

function onAct(event) {
  var act = event.target.closest("button.act");
  if (!act) { return; }
  var block = act.closest(".pair");
  var c = Number(block.dataset.c);
  var key = block.dataset.key;
  var verb = act.dataset.verb;
  if (verb === "clear") { decide(c, key, verb); } else { withName(function () { decide(c, key, verb); }); }
}
panel.addEventListener("click", onAct);
document.getElementById("print-body").addEventListener("click", onAct);
document.addEventListener("change", function (event) {
  var input = event.target.closest(".note-input");
  if (!input) { return; }
  var block = input.closest(".pair");
  decide(Number(block.dataset.c), block.dataset.key, "note", input.value.trim());
});
document.addEventListener("submit", function (event) {
  var form = event.target.closest("form.add-form");
  if (!form) { return; }
  event.preventDefault();
  var local = form.querySelector("select.add-item").value;
  if (!local) { note("Choose the local item first."); return; }
  var c = Number(form.dataset.c);
  var key = pairKey(Number(form.dataset.n), Number(local));
  var text = form.querySelector(".add-note").value.trim();
  var verb = form.querySelector("select.add-grade").value;
  withName(function () { decide(c, key, verb, text); });
});

function note(text) { document.getElementById("review-note").textContent = text; }
