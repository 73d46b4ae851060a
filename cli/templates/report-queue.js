/* The review queue: every pair yigai made, the least sure first (the alignment's confidence, else the
   score), with the progress; and the keys that move through it and decide. */
var queue = null; /* [{c, key, pair}], built when first needed */
var currentPair = null; /* the pair the keys act on: {c, key} */

function buildQueue() {
  if (queue) { return queue; }
  queue = [];
  for (var c = 0; c < columnCount; c++) {
    detail(c).pairs.forEach(function (pair) { if (pair.g !== "n") { queue.push({ c: c, key: pairKey(pair.n, pair.l), pair: pair }); } });
  }
  function sureness(entry) {
    var k = entry.pair.k;
    return k && typeof k.value === "number" ? k.value : entry.pair.s;
  }
  queue.sort(function (a, b) { return sureness(a) - sureness(b) || a.c - b.c || a.pair.n - b.pair.n || a.pair.l - b.pair.l; });
  return queue;
}

var pairsMade = cols.pairs.reduce(function (sum, n) { return sum + n; }, 0);
/* [pairs decided, pairs yigai made]: only the columns with a decision are read for the first. */
function reviewedCount() {
  var done = 0;
  reviewedColumns().forEach(function (c) {
    detail(c).pairs.forEach(function (pair) { if (pair.g !== "n" && decisionOf(c, pair)) { done += 1; } });
  });
  return [done, pairsMade];
}

var QUEUE_SHOWN = 60; /* rows drawn around the current one: a report may hold 30,000 pairs */
function drawQueue() {
  var counts = reviewedCount();
  document.getElementById("progress").textContent = counts[0] + " of " + counts[1] + " pairs reviewed";
  var list = document.getElementById("to-review");
  var box = document.getElementById("queue");
  if (!box.open) { return; }
  var entries = buildQueue();
  var at = currentPair ? entries.findIndex(function (e) { return e.c === currentPair.c && e.key === currentPair.key; }) : -1;
  var start = Math.max(0, Math.min(at - 10, entries.length - QUEUE_SHOWN));
  list.textContent = "";
  list.start = start + 1;
  entries.slice(start, start + QUEUE_SHOWN).forEach(function (entry, k) {
    var pair = entry.pair;
    var column = detail(entry.c);
    var decision = decisionOf(entry.c, pair);
    var local = column.items[String(pair.l)] || { title: "" };
    var li = el("li", (start + k === at ? "current " : "") + (decision ? "done" : ""));
    li.dataset.c = entry.c;
    li.dataset.key = entry.key;
    var grade = gradeOf(pair, decision);
    li.appendChild(el("span", "grade g " + grade, GRADE[grade][0]));
    li.appendChild(el("span", "muted", (pair.k && pair.k.level ? pair.k.level : "score " + pair.s) + " · " + cols.label[entry.c] + " · "));
    li.appendChild(document.createTextNode(pair.n + " " + data.national[String(pair.n)].title + " ↔ " + (local.label || pair.l) + " " + local.title));
    if (decision) { li.appendChild(el("span", "mark", " " + DECIDED + " " + decision.action)); }
    list.appendChild(li);
  });
  if (start + QUEUE_SHOWN < entries.length) { list.appendChild(el("li", "muted more", "… " + (entries.length - start - QUEUE_SHOWN) + " more")); }
}

function goTo(entry) {
  currentPair = { c: entry.c, key: entry.key };
  var pair = detail(entry.c).byKey[entry.key];
  select(entry.c, pair.n);
  var block = panel.querySelector('.pair[data-key="' + entry.key + '"]');
  if (block) { block.classList.add("current"); block.scrollIntoView({ block: "nearest" }); }
  drawQueue();
}

function move(step) {
  var entries = buildQueue();
  if (!entries.length) { return; }
  var at = currentPair ? entries.findIndex(function (e) { return e.c === currentPair.c && e.key === currentPair.key; }) : -1;
  at = at < 0 ? (step > 0 ? 0 : entries.length - 1) : Math.max(0, Math.min(entries.length - 1, at + step));
  document.getElementById("queue").open = true;
  goTo(entries[at]);
}

document.getElementById("to-review").addEventListener("click", function (event) {
  var li = event.target.closest("li[data-key]");
  if (li) { goTo({ c: Number(li.dataset.c), key: li.dataset.key }); }
});
document.getElementById("queue").addEventListener("toggle", drawQueue);

document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.metaKey || event.altKey) { return; }
  var target = event.target;
  if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT")) { return; }
  var verbs = { c: "confirm", r: "reject", f: "full", p: "partial" };
  if (event.key === "j") { move(1); }
  else if (event.key === "k") { move(-1); }
  else if (event.key === "u") { undo(); }
  else if (verbs[event.key] && currentPair) {
    var at = currentPair;
    withName(function () { decide(at.c, at.key, verbs[event.key]); });
  }
  else { return; }
  event.preventDefault();
});

