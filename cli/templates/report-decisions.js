/* The decisions file, out of the page and into it. Written in exactly the format `--decisions` reads:
   one file per local document (its `local:` names it), items named by index, title and fingerprint.
   Every string is double-quoted with its escapes, so no document text or note can add a key. Read back:
   the files yigai writes (this page, `compare --format decisions`, `decisions merge`), in the YAML they use. */
var HEADER = "# yigai decisions, written by the report's review: apply with --decisions FILE\n" +
  "# (yigai compare, check, matrix, report). action: confirm | reject | regrade | add; grade: full | partial\n";

function yamlString(text) {
  var out = "\"";
  text = String(text);
  for (var i = 0; i < text.length; i++) {
    var code = text.charCodeAt(i);
    var ch = text.charAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) {
      out += ch + text.charAt(i + 1);
      i += 1;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += "\ufffd"; /* half a character: no text has it */
    } else if (ch === "\"" || ch === "\\") {
      out += "\\" + ch;
    } else if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xfffd && code !== 0x2028 && code !== 0x2029 && code !== 0xfeff)) {
      out += ch;
    } else {
      out += "\\u" + ("000" + code.toString(16)).slice(-4); /* line breaks, tabs, controls: escaped, never raw */
    }
  }
  return out + "\"";
}

function yamlRef(index, item) {
  var parts = ["index: " + index];
  if (normalise(item.title)) { parts.push("title: " + yamlString(item.title)); }
  parts.push("fingerprint: " + yamlString(item.f));
  return "{" + parts.join(", ") + "}";
}

function decisionsOf(c) {
  var column = detail(c);
  return column.pairs.map(function (pair) { return [pair, decisionOf(c, pair)]; })
    .filter(function (entry) { return entry[1]; })
    .sort(function (a, b) { return a[0].n - b[0].n || a[0].l - b[0].l; });
}

function decisionsYaml(c) {
  var column = detail(c);
  var lines = [HEADER + "national: " + yamlString(data.file_name), "local: " + yamlString(cols.file_name[c]), "decisions:"];
  decisionsOf(c).forEach(function (entry) {
    var pair = entry[0];
    var d = entry[1];
    lines.push("  - action: " + yamlString(d.action));
    if (d.grade) { lines.push("    grade: " + yamlString(d.grade)); }
    lines.push("    national: " + yamlRef(pair.n, data.national[String(pair.n)]));
    lines.push("    local: " + yamlRef(pair.l, column.items[String(pair.l)]));
    ["note", "who", "when"].forEach(function (k) { if (d[k]) { lines.push("    " + k + ": " + yamlString(d[k])); } });
  });
  if (lines[lines.length - 1] === "decisions:") { lines[lines.length - 1] += " []"; }
  return lines.join("\n") + "\n";
}

function fileName(c, several) {
  return several ? "decisions-" + cols.file_name[c].replace(/[\\/:*?"<>|\s#]+/g, "-") + ".yaml" : "decisions.yaml";
}

function fileLink(c, name) {
  var link = el("a", "decisions-file", name);
  link.href = URL.createObjectURL(new Blob([decisionsYaml(c)], { type: "application/x-yaml;charset=utf-8" }));
  link.download = name;
  return link;
}

/* One document reviewed: its file downloads. Several: a link for each, since a browser lets a page start
   one download per click (the others would be blocked). */
function download() {
  var reviewed = reviewedColumns().filter(function (c) { return decisionsOf(c).length; });
  if (!reviewed.length) { note("No decision yet: confirm, reject, regrade or add a pair first."); return; }
  var box = document.getElementById("review-note");
  if (reviewed.length === 1) {
    var link = fileLink(reviewed[0], fileName(reviewed[0], false));
    document.body.appendChild(link);
    link.click();
    link.remove();
    note("Saved " + link.download + ": pass it to yigai with --decisions.");
    return;
  }
  box.textContent = "One decisions file per local document reviewed; save each, pass them to yigai with --decisions: ";
  reviewed.forEach(function (c, k) {
    if (k) { box.appendChild(document.createTextNode(" · ")); }
    box.appendChild(fileLink(c, fileName(c, true)));
  });
}

/* ---- reading a decisions file ------------------------------------------------------------ */
function YamlError(line, problem) { this.line = line; this.problem = problem; }

function readYaml(text) {
  var lines = text.replace(/^\ufeff/, "").split(/\r\n|\r|\n/);
  var at = 0;

  function indentOf(line) { return line.length - line.replace(/^ +/, "").length; }
  function blank(line) { return /^\s*(#.*)?$/.test(line); }
  function skip() { while (at < lines.length && blank(lines[at])) { at += 1; } }
  function fail(problem) { throw new YamlError(at + 1, problem); }

  /* a quoted scalar from `rest` on, perhaps over several lines; returns [value, what follows] */
  function quoted(rest) {
    var quote = rest.charAt(0);
    var value = "";
    var i = 1;
    var breaks = -1;
    for (;;) {
      if (i >= rest.length) {
        at += 1;
        if (at >= lines.length) { fail("a quoted text is not closed"); }
        rest = lines[at].replace(/^\s+/, "");
        i = 0;
        breaks = rest === "" ? (breaks < 0 ? 1 : breaks + 1) : breaks;
        if (rest === "") { continue; }
        value = value.replace(/[ \t]+$/, "") + (breaks > 0 ? new Array(breaks + 1).join("\n") : breaks === -2 ? "" : " ");
        breaks = -1;
        continue;
      }
      var ch = rest.charAt(i);
      if (quote === "'" && ch === "'") {
        if (rest.charAt(i + 1) === "'") { value += "'"; i += 2; continue; }
        return [value, rest.slice(i + 1)];
      }
      if (quote === "\"" && ch === "\"") { return [value, rest.slice(i + 1)]; }
      if (quote === "\"" && ch === "\\") {
        var next = rest.charAt(i + 1);
        var simple = { "0": "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\x0b", f: "\f", r: "\r", e: "\x1b",
          " ": " ", "\"": "\"", "/": "/", "\\": "\\", N: "\x85", _: "\xa0", L: "\u2028", P: "\u2029" };
        if (next === "") { breaks = -2; i += 1; continue; } /* an escaped line break joins the lines */
        if (Object.prototype.hasOwnProperty.call(simple, next)) { value += simple[next]; i += 2; continue; }
        var width = { x: 2, u: 4, U: 8 }[next];
        var hex = width ? rest.substr(i + 2, width) : "";
        if (!width || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width || parseInt(hex, 16) > 0x10ffff) {
          fail("an unknown escape \\" + next);
        }
        value += String.fromCodePoint(parseInt(hex, 16));
        i += 2 + width;
        continue;
      }
      value += ch;
      i += 1;
    }
  }

  function plain(text) {
    var value = text.replace(/\s+#.*$/, "").trim();
    if (value === "" || value === "~" || value === "null") { return null; }
    if (/^-?[0-9]+$/.test(value)) { return Number(value); }
    if (value === "true" || value === "false") { return value === "true"; }
    if (/^[|>]/.test(value)) { fail("a block text (| or >) is not read here"); }
    return value;
  }

  function end(rest) { if (!/^\s*(#.*)?$/.test(rest)) { fail("unexpected text after a value: " + rest.trim().slice(0, 20)); } }

  /* a value after `key:` or `- ` on one line (flow mappings included) */
  function scalar(rest, inFlow) {
    rest = rest.replace(/^\s+/, "");
    if (rest.charAt(0) === "\"" || rest.charAt(0) === "'") {
      var q = quoted(rest);
      if (!inFlow) { end(q[1]); }
      return q;
    }
    if (rest.charAt(0) === "{") { return flowMap(rest); }
    if (rest.charAt(0) === "[") {
      if (/^\[\s*\]/.test(rest)) { return [[], rest.replace(/^\[\s*\]/, "")]; }
      fail("a list in brackets is not read here");
    }
    if (inFlow) {
      var m = /^[^,}]*/.exec(rest)[0];
      return [plain(m), rest.slice(m.length)];
    }
    return [plain(rest), ""];
  }

  function flowMap(rest) {
    var map = {};
    rest = rest.slice(1);
    for (;;) {
      rest = rest.replace(/^\s+/, "");
      if (rest === "") { at += 1; if (at >= lines.length) { fail("a { mapping is not closed"); } rest = lines[at]; continue; }
      if (rest.charAt(0) === "}") { return [map, rest.slice(1)]; }
      var k = /^([^:,{}]+):(\s|$)/.exec(rest);
      if (!k) { fail("expected key: value inside { }"); }
      var got = scalar(rest.slice(k[0].length), true);
      map[k[1].trim()] = got[0];
      rest = got[1].replace(/^\s+/, "");
      if (rest.charAt(0) === ",") { rest = rest.slice(1); }
    }
  }

  function block(indent) {
    skip();
    if (at >= lines.length) { return null; }
    var line = lines[at];
    if (line.slice(indent).charAt(0) === "-" && /^-(\s|$)/.test(line.slice(indent))) { return sequence(indent); }
    return mapping(indent);
  }

  function sequence(indent) {
    var list = [];
    for (;;) {
      skip();
      if (at >= lines.length) { return list; }
      var line = lines[at];
      if (indentOf(line) !== indent || !/^-(\s|$)/.test(line.slice(indent))) {
        if (indentOf(line) > indent) { fail("unexpected indentation"); }
        return list;
      }
      var rest = line.slice(indent + 1);
      var inner = indent + 1 + (rest.length - rest.replace(/^ +/, "").length);
      if (/^\s*(#.*)?$/.test(rest)) { at += 1; list.push(block(indentOf(lines[at] || ""))); continue; }
      if (/^\s*[^\s"'{[][^:]*:(\s|$)/.test(rest) || /^\s*["'][^"']*["']:(\s|$)/.test(rest)) {
        lines[at] = new Array(inner + 1).join(" ") + rest.replace(/^\s+/, "");
        list.push(mapping(inner));
      } else {
        list.push(scalar(rest, false)[0]);
        at += 1;
      }
    }
  }

  function mapping(indent) {
    var map = {};
    for (;;) {
      skip();
      if (at >= lines.length) { return map; }
      var line = lines[at];
      var own = indentOf(line);
      if (own < indent) { return map; }
      if (own > indent) { fail("unexpected indentation"); }
      if (/^-(\s|$)/.test(line.slice(indent))) { return map; }
      var k = /^("[^"]*"|'[^']*'|[^\s#][^:#]*?):(\s+|$)/.exec(line.slice(indent));
      if (!k) { fail("expected key: value"); }
      var key = k[1].replace(/^["']|["']$/g, "");
      var rest = line.slice(indent + k[0].length);
      if (/^\s*(#.*)?$/.test(rest)) {
        at += 1;
        skip();
        var next = lines[at] || "";
        var deeper = indentOf(next) > indent || (indentOf(next) === indent && /^-(\s|$)/.test(next.slice(indent)));
        map[key] = at < lines.length && deeper ? block(indentOf(next)) : null;
      } else {
        var got = scalar(rest, false);
        if (got[1] && !/^\s*(#.*)?$/.test(got[1])) { fail("unexpected text after a value"); }
        map[key] = got[0];
        at += 1;
      }
    }
  }

  skip();
  var result = at < lines.length ? block(indentOf(lines[at])) : null;
  skip();
  if (at < lines.length) { fail("not read past here"); }
  return result;
}

var ACTIONS = ["confirm", "reject", "regrade", "add"];

function refOf(value) {
  if (typeof value === "number") { return { index: value }; }
  if (typeof value === "string") { return { title: value }; }
  return value && typeof value === "object" ? value : null;
}

/* The one item `ref` names among `items` ({index: {title, f, text, label}}), as yigai.decisions.find_item. */
function findItem(ref, items) {
  var indexes = Object.keys(items).map(Number);
  if (ref.fingerprint) {
    var printed = indexes.filter(function (i) { return items[String(i)].f === String(ref.fingerprint); });
    if (printed.length === 1) { return printed[0]; }
    if (ref.title === undefined && ref.index === undefined) { return null; }
  }
  if (ref.title !== undefined && ref.title !== null) {
    var key = normalise(ref.title);
    var hits = indexes.filter(function (i) {
      var item = items[String(i)];
      var text = item.text ? item.text.slice((item.label || "").length) : itemText(item);
      return key && (normalise(item.title).indexOf(key) === 0 || normalise(text).indexOf(key) === 0);
    });
    if (hits.length > 1 && ref.index !== undefined) {
      var same = hits.filter(function (i) { return i === ref.index; });
      if (same.length) { hits = same; }
    }
    return hits.length === 1 ? hits[0] : null;
  }
  if (ref.fingerprint) { return null; }
  return items[String(ref.index)] ? Number(ref.index) : null;
}

function namesColumn(column, name) {
  var key = normalise(name);
  return column.names.indexOf(name) >= 0 || (key && column.title && normalise(column.title).indexOf(key) === 0);
}

/* A decisions file's entries into the review; returns [applied, not found]. */
function openDecisions(parsed) {
  var entries = Array.isArray(parsed) ? parsed : parsed && typeof parsed === "object" ? parsed.decisions || [] : null;
  if (!Array.isArray(entries)) { throw new YamlError(0, "not a yigai decisions file: expected a 'decisions' list"); }
  var local = parsed && !Array.isArray(parsed) && typeof parsed.local === "string" ? parsed.local : "";
  var columns = [];
  for (var c = 0; c < columnCount; c++) { if (!local || namesColumn(detail(c), local)) { columns.push(c); } }
  var touchedHere = new Set();
  var applied = 0;
  var missed = 0;
  entries.forEach(function (entry, k) {
    var action = entry && String(entry.action || "").toLowerCase();
    if (ACTIONS.indexOf(action) < 0) { throw new YamlError(0, "entry " + (k + 1) + ": unknown action '" + (entry && entry.action) + "'"); }
    var nRef = refOf(entry.national);
    var lRef = refOf(entry.local);
    var grade = entry.grade ? String(entry.grade).toLowerCase() : "";
    if (!nRef || !lRef) { throw new YamlError(0, "entry " + (k + 1) + ": national and local must name items"); }
    if ((action === "regrade" || action === "add") && !grade) { throw new YamlError(0, "entry " + (k + 1) + ": '" + action + "' needs a grade"); }
    var n = findItem(nRef, data.national);
    var found = false;
    columns.forEach(function (c) {
      var l = n === null ? null : findItem(lRef, detail(c).items);
      if (l === null) { return; }
      var key = pairKey(n, l);
      var machine = detail(c).byKey[key];
      if (action === "confirm" && !grade && (!machine || machine.g === "n")) { return; }
      ensurePair(c, key);
      var d = { action: action };
      if (grade) { d.grade = grade; }
      ["note", "who", "when"].forEach(function (f) { if (entry[f] !== undefined && entry[f] !== null && entry[f] !== "") { d[f] = String(entry[f]); } });
      var delta = deltaOf(c);
      touchedHere.add(c);
      review.history.push({ c: c, key: key, before: Object.prototype.hasOwnProperty.call(delta, key) ? delta[key] : undefined });
      setDelta(c, key, d);
      found = true;
    });
    if (found) { applied += 1; } else { missed += 1; }
  });
  return [applied, missed, Array.from(touchedHere)];
}

function openFiles(files) {
  Array.prototype.forEach.call(files, function (file) {
    var reader = new FileReader();
    reader.onload = function () {
      try {
        var counts = openDecisions(readYaml(String(reader.result)));
        counts[2].forEach(function (c) { save(c); redraw(c); });
        drawOverview();
        redrawAll();
        refreshPanel();
        drawQueue();
        note(file.name + ": " + counts[0] + (counts[0] === 1 ? " decision" : " decisions") + " opened" +
          (counts[1] ? ", " + counts[1] + (counts[1] === 1 ? " entry" : " entries") + " found no item in this report" : ""));
      } catch (e) {
        if (!(e instanceof YamlError)) { throw e; }
        note(file.name + ": " + (e.line ? "line " + e.line + ": " : "") + e.problem +
          " (the page reads the files yigai writes; for another, run yigai report … --decisions FILE)");
      }
    };
    reader.readAsText(file, "utf-8");
  });
}
