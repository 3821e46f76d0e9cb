/* kg explorer: filters, search, details and timeline around a vis-network graph.
 *
 * Every string from the graph (names, sentences, titles) comes from untrusted
 * accounts: it is read from JSON blocks and put into the page with textContent
 * only, never innerHTML, so markup in an account is shown, never run. Hover
 * texts are plain strings, which vis-network shows with innerText.
 *
 * The data is one JSON block in the format of graph/payload.py, which
 * describes itself: `unpack` below turns its tables into one object per row
 * without knowing their columns; this script then joins the rows it needs.
 */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var read = function (id) { return JSON.parse($(id).textContent); };
  var DATA = read("kg-data");
  var OPTIONS = DATA.options;
  var STYLE = {};
  DATA.kinds.forEach(function (k) { STYLE[k.kind] = k; });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  /* ---------- the data, unpacked (format: graph/payload.py) ---------- */
  function unpack(data) {  // table -> one object per row, interned columns looked up in data.strings
    var S = data.strings, out = {};
    Object.keys(data.interned).forEach(function (name) {
      var cols = data[name], keys = Object.keys(cols), interned = new Set(data.interned[name]);
      var n = keys.length ? cols[keys[0]].length : 0, rows = [];
      for (var i = 0; i < n; i++) {
        var row = {};
        keys.forEach(function (c) {
          var v = cols[c][i];
          row[c] = !interned.has(c) ? v : Array.isArray(v) ? v.map(function (j) { return S[j]; }) : S[v];
        });
        rows.push(row);
      }
      out[name] = rows;
    });
    return out;
  }
  var TABLES = unpack(DATA), FACTS = TABLES.facts, EDGES = TABLES.edges;
  var TITLES = {};
  TABLES.accounts.forEach(function (a) { TITLES[a.source] = a.title; });
  FACTS.forEach(function (f) { f.account_title = TITLES[f.account] || ""; });
  var INFO = TABLES.nodes.map(function (n) {
    return { kind: n.kind, label: n.label, short: n.short, names: n.names, date: n.date, accounts: n.accounts,
             narrator_of: n.narrator_of, facts: n.facts.map(function (i) { return FACTS[i]; }), links: [],
             judged: n.judged || [] };
  });
  EDGES.forEach(function (e, i) {  // links: [label, other end, outgoing], by label, other end, incoming first
    INFO[e.from].links.push([e.label, e.to, true, i]);
    INFO[e.to].links.push([e.label, e.from, false, i]);
  });
  INFO.forEach(function (n) {
    n.links.sort(function (a, b) {
      return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || (a[2] === b[2] ? a[3] - b[3] : a[2] ? 1 : -1);
    });
  });
  function factText(f, n) {  /* what a fact says, as shown on node n */
    if (f.kind === "role") {
      var held = f.title + (f.body ? ", " + f.body : "");
      return n.kind === "body" ? f.holder + ": " + held : held;
    }
    if (f.kind === "event") return f.event_type + (f.actors.length ? ": " + f.actors.join(", ") : "");
    return n.label;
  }

  function byText(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function clip(text, most) {
    var chars = Array.from(text);
    return chars.length <= most ? text : chars.slice(0, most - 3).join("") + "...";
  }
  function tooltip(n) {  /* plain text: vis-network shows a string title with innerText */
    var lines = [n.label, STYLE[n.kind].name + (n.date ? " · " + n.date : "")];
    if (n.names.length > 1) lines.push("Also: " + n.names.slice(1, 6).join("; "));
    if (n.kind !== "role" && n.kind !== "event") {
      ["role", "event"].forEach(function (kind) {
        var texts = new Set();
        n.facts.forEach(function (f) { if (f.kind === kind) texts.add(factText(f, n)); });
        Array.from(texts).sort(byText).slice(0, 4).forEach(function (t) { lines.push((kind === "role" ? "Role: " : "Event: ") + t); });
      });
    }
    var first = n.facts.filter(function (f) { return f.kind !== "mention"; })[0] || n.facts[0];
    if (first) lines.push("“" + clip(first.sentence, 220) + "” (" + first.account + ")");
    lines.push(n.facts.length + " sourced fact(s) · click for all");
    return lines.join("\n");
  }

  var EDGE_COLOURS = {};
  var visEdges = EDGES.map(function (e, i) {
    var color = DATA.edgeColours[e.kind];
    EDGE_COLOURS[e.label] = color;
    return { id: i, from: e.from, to: e.to, label: e.label, arrows: "to", color: color, kind: e.kind,
             accounts: e.accounts, title: INFO[e.from].label + " " + e.label + " " + INFO[e.to].label };
  });
  var nodes = new vis.DataSet(INFO.map(function (n, id) {
    return { id: id, label: n.short, shape: STYLE[n.kind].shape, color: STYLE[n.kind].color,
             value: n.links.length + 1, title: tooltip(n), kind: n.kind };
  }));
  var edges = new vis.DataSet(visEdges);
  var ACCOUNTS = TABLES.accounts.filter(function (a) { return a.nodes > 0; });  // the rest: only a fact's or edge's
  var kinds = new Set(DATA.kinds.map(function (k) { return k.kind; }));
  var accounts = new Set(ACCOUNTS.map(function (a) { return a.source; }));

  function anyAccount(list) {
    if (!list.length) return true;
    for (var i = 0; i < list.length; i++) if (accounts.has(list[i])) return true;
    return false;
  }
  function visible(id) { var n = INFO[id]; return kinds.has(n.kind) && anyAccount(n.accounts); }

  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visible(n.id); } });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) { return visible(e.from) && visible(e.to) && anyAccount(e.accounts); }
  });
  var showEdgeLabels = OPTIONS.edges.font.size > 0;
  var network = new vis.Network($("graph"), { nodes: nodeView, edges: edgeView }, OPTIONS);

  /* ---------- status, layout ---------- */
  var ready = false;
  function setStatus(extra) {
    var shown = nodeView.length, hidden = INFO.length - shown;
    var text = shown + " of " + INFO.length + " nodes shown";
    text += hidden ? " · " + hidden + " hidden by filters" : " · none hidden";
    if (DATA.total > INFO.length) text += " · " + (DATA.total - INFO.length) + " outside this view";
    $("status").textContent = extra ? extra + " · " + text : text;
    $("status").classList.toggle("warn", hidden > 0);
  }
  function finishLayout() {
    if (ready) return;
    ready = true;
    network.setOptions({ physics: { enabled: false } });
    $("progress").firstChild.style.width = "0";
    if (DATA.focus.length) network.selectNodes(DATA.focus.filter(visible));
    setStatus();
    document.body.setAttribute("data-ready", "true");
  }
  network.on("stabilizationProgress", function (p) {
    $("progress").firstChild.style.width = Math.round(100 * p.iterations / p.total) + "%";
    $("status").textContent = "Laying out… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", finishLayout);
  network.on("stabilized", function () { network.setOptions({ physics: { enabled: false } }); });
  if (!INFO.length) finishLayout();
  setTimeout(finishLayout, 20000);  // a graph that never settles still stops moving

  /* ---------- details panel ---------- */
  var KIND_ORDER = [["role", "Roles"], ["event", "Events"], ["mention", "Mentioned in"]];

  function factBox(f, n, withText) {
    var box = el("div", f.confirmed ? "fact confirmed" : "fact");
    if (withText) {
      var what = el("div", "what", factText(f, n));
      if (f.date) what.appendChild(el("span", "when", f.date));
      box.appendChild(what);
    }
    box.appendChild(el("blockquote", null, f.sentence));
    var cite = (f.account_title ? f.account_title + " — " : "") + f.account;
    if (f.start >= 0) cite += " · characters " + f.start + "–" + f.end;
    if (f.kind !== "mention") cite += " · confidence " + Number(f.confidence).toFixed(2);
    if (f.confirmed) cite += " · confirmed by a person";
    box.appendChild(el("div", "cite", cite));
    return box;
  }

  function showNode(id) {
    var n = INFO[id], box = $("details");
    box.textContent = "";
    box.appendChild(el("h3", null, n.label));
    var meta = el("div", "meta");
    var badge = el("span", "badge", STYLE[n.kind].name);
    badge.style.background = STYLE[n.kind].color;
    meta.appendChild(badge);
    n.judged.forEach(function (j) { meta.appendChild(el("span", "badge judged", j + " by a person")); });
    var bits = [];
    if (n.date) bits.push(n.date);
    bits.push(n.facts.length + " sourced fact" + (n.facts.length === 1 ? "" : "s"));
    bits.push(n.accounts.length + " account" + (n.accounts.length === 1 ? "" : "s"));
    meta.appendChild(document.createTextNode(bits.join(" · ")));
    box.appendChild(meta);
    if (n.names.length > 1) {
      box.appendChild(el("h4", null, "Also named"));
      var ul = el("ul", "names");
      n.names.slice(1).forEach(function (x) { ul.appendChild(el("li", null, x)); });
      box.appendChild(ul);
    }
    if (n.narrator_of.length) {
      box.appendChild(el("h4", null, "Tells"));
      box.appendChild(el("div", null, n.narrator_of.join(", ")));
    }
    if (n.links.length) {
      box.appendChild(el("h4", null, "Connections"));
      var links = el("ul", "links-list");
      n.links.forEach(function (l) {
        var li = el("li"), b = el("button", null, INFO[l[1]].label);
        li.appendChild(el("span", "rel", (l[2] ? l[0] + " → " : "← " + l[0] + " ")));
        b.type = "button";
        b.addEventListener("click", function () { focusNode(l[1]); });
        li.appendChild(b);
        links.appendChild(li);
      });
      box.appendChild(links);
    }
    KIND_ORDER.forEach(function (pair) {
      var facts = n.facts.filter(function (f) { return f.kind === pair[0]; });
      if (!facts.length) return;
      box.appendChild(el("h4", null, pair[1] + " (" + facts.length + ")"));
      var own = (n.kind === "role" && pair[0] === "role") || (n.kind === "event" && pair[0] === "event");
      facts.forEach(function (f) { box.appendChild(factBox(f, n, !own || facts.length > 1)); });
    });
    if (!n.facts.length) box.appendChild(el("p", "hint", "No sentence names this entity directly."));
    box.scrollTop = 0;
    var items = $("timeline").children;
    for (var i = 0; i < items.length; i++) items[i].classList.toggle("current", Number(items[i].dataset.id) === id);
  }

  function showOverview() {
    var box = $("details");
    box.textContent = "";
    box.appendChild(el("h3", null, "Overview"));
    box.appendChild(el("p", "meta", DATA.kinds.map(function (k) { return k.nodes + " " + (k.nodes === 1 ? k.name.toLowerCase() : k.plural); }).join(" · ") + " from " + ACCOUNTS.length + " account" + (ACCOUNTS.length === 1 ? "" : "s") + "."));
    box.appendChild(el("p", "hint", "Hover over a node for a summary; click it, or find it above, for every fact with the sentence and account it was read from."));
    var top = INFO.map(function (n, id) { return id; })
      .filter(function (id) { return INFO[id].kind === "person" || INFO[id].kind === "body"; })
      .sort(function (a, b) { return INFO[b].links.length - INFO[a].links.length || (INFO[a].label < INFO[b].label ? -1 : 1); })
      .slice(0, 12);
    if (!top.length) return;
    box.appendChild(el("h4", null, "Most connected"));
    var list = el("ul", "links-list");
    top.forEach(function (id) {
      var li = el("li"), b = el("button", null, INFO[id].label);
      b.type = "button";
      b.addEventListener("click", function () { focusNode(id); });
      li.appendChild(b);
      li.appendChild(el("span", "rel", " · " + INFO[id].links.length + " links · " + STYLE[INFO[id].kind].name.toLowerCase()));
      list.appendChild(li);
    });
    box.appendChild(list);
  }
  showOverview();

  function focusNode(id) {
    var note = "";
    if (!visible(id)) {  // reveal what the filters hid, and say so
      kinds.add(INFO[id].kind);
      INFO[id].accounts.forEach(function (a) { accounts.add(a); });
      syncChecks();
      refresh();
      note = "Filters widened to show " + INFO[id].label;
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 350, easingFunction: "easeInOutQuad" } });
    showNode(id);
    setStatus(note);
  }

  network.on("click", function (p) { if (p.nodes.length) showNode(p.nodes[0]); });

  /* ---------- filters and legend ---------- */
  function shapeSvg(kind, colour) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg"), s;
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16"); svg.setAttribute("viewBox", "0 0 16 16");
    if (kind === "dot") { s = document.createElementNS(ns, "circle"); s.setAttribute("cx", "8"); s.setAttribute("cy", "8"); s.setAttribute("r", "6"); }
    else if (kind === "square") { s = document.createElementNS(ns, "rect"); s.setAttribute("x", "2"); s.setAttribute("y", "2"); s.setAttribute("width", "12"); s.setAttribute("height", "12"); }
    else { s = document.createElementNS(ns, "polygon"); s.setAttribute("points", kind === "triangle" ? "8,1.5 15,14 1,14" : "8,1 15,8 8,15 1,8"); }
    s.setAttribute("fill", colour);
    svg.appendChild(s);
    return svg;
  }
  function lineSvg(colour) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg"), l = document.createElementNS(ns, "path");
    svg.setAttribute("width", "26"); svg.setAttribute("height", "10");
    l.setAttribute("d", "M1 5 H20 M17 2 L23 5 L17 8"); l.setAttribute("stroke", colour); l.setAttribute("fill", "none"); l.setAttribute("stroke-width", "1.6");
    svg.appendChild(l);
    return svg;
  }
  function checkRow(list, value, on, label, count, sub, svg) {
    var li = el("li"), lab = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = on; box.value = value;
    lab.appendChild(box);
    if (svg) lab.appendChild(svg);
    var name = el("span", "name");
    name.appendChild(el("span", "title", label));
    name.title = sub ? label + "\n" + sub : label;
    if (sub) name.appendChild(el("span", "source", sub));
    lab.appendChild(name);
    lab.appendChild(el("span", "count", count));
    li.appendChild(lab);
    list.appendChild(li);
    return box;
  }
  DATA.kinds.forEach(function (k) {
    checkRow($("kinds"), k.kind, true, k.name, k.nodes, null, shapeSvg(k.shape, k.color))
      .addEventListener("change", function (e) { e.target.checked ? kinds.add(k.kind) : kinds.delete(k.kind); refresh(); });
  });
  Object.keys(DATA.edgeLabels).forEach(function (key) {
    var label = DATA.edgeLabels[key];
    if (!EDGE_COLOURS[label]) return;
    var li = el("li");
    li.appendChild(lineSvg(EDGE_COLOURS[label]));
    li.appendChild(el("span", null, label));
    $("edge-legend").appendChild(li);
  });
  ACCOUNTS.forEach(function (a) {
    checkRow($("accounts"), a.source, true, a.title || a.source, a.nodes, a.title ? a.source : null)
      .addEventListener("change", function (e) { e.target.checked ? accounts.add(a.source) : accounts.delete(a.source); refresh(); });
  });
  function syncChecks() {
    $("kinds").querySelectorAll("input").forEach(function (b) { b.checked = kinds.has(b.value); });
    $("accounts").querySelectorAll("input").forEach(function (b) { b.checked = accounts.has(b.value); });
  }
  $("acc-all").addEventListener("click", function () { ACCOUNTS.forEach(function (a) { accounts.add(a.source); }); syncChecks(); refresh(); });
  $("acc-none").addEventListener("click", function () { accounts.clear(); syncChecks(); refresh(); });
  $("edge-labels").checked = showEdgeLabels;
  $("edge-labels").addEventListener("change", function (e) {
    network.setOptions({ edges: { font: { size: e.target.checked ? 9 : 0 } } });
  });
  $("fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });
  $("relayout").addEventListener("click", function () {
    network.setOptions({ physics: { enabled: true } });
    network.stabilize(OPTIONS.physics.stabilization.iterations);
  });

  function refresh() {
    nodeView.refresh();
    edgeView.refresh();
    var items = $("timeline").children;
    for (var i = 0; i < items.length; i++) items[i].classList.toggle("filtered", !visible(Number(items[i].dataset.id)));
    if (ready) setStatus();
  }

  /* ---------- timeline ---------- */
  var dated = [], undated = 0;
  INFO.forEach(function (n, id) {
    if (n.kind !== "event") return;
    if (n.date) dated.push(id); else undated += 1;
  });
  dated.sort(function (a, b) { return INFO[a].date < INFO[b].date ? -1 : INFO[a].date > INFO[b].date ? 1 : (INFO[a].label < INFO[b].label ? -1 : 1); });
  dated.forEach(function (id) {
    var li = el("li"), b = el("button");
    li.dataset.id = String(id);
    b.type = "button";
    b.appendChild(el("span", "date", INFO[id].date));
    b.appendChild(document.createTextNode(INFO[id].label));
    b.addEventListener("click", function () { focusNode(id); });
    li.appendChild(b);
    $("timeline").appendChild(li);
  });
  $("timeline-count").textContent = dated.length + " dated" + (undated ? ", " + undated + " undated not listed" : "");
  if (!dated.length) $("timeline").appendChild(el("li", "muted", "No dated events in this view."));

  /* ---------- search ---------- */
  var search = $("search"), sugg = $("suggestions"), matches = [], active = 0;
  var index = INFO.map(function (n) { return n.names.map(function (x) { return x.toLowerCase(); }); });
  function lookup(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var scored = [];
    index.forEach(function (names, id) {
      var best = 9, hit = null;
      names.forEach(function (x, i) {
        var s = x === q ? 0 : x.indexOf(q) === 0 ? 1 : x.indexOf(" " + q) >= 0 ? 2 : x.indexOf(q) >= 0 ? 3 : 9;
        if (s < best) { best = s; hit = i; }
      });
      if (best < 9) scored.push([best, INFO[id].kind === "event" ? 1 : 0, INFO[id].label.length, id, hit]);
    });
    scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3]; });
    return scored.slice(0, 12);
  }
  function drawSuggestions() {
    sugg.textContent = "";
    matches.forEach(function (m, i) {
      var n = INFO[m[3]], li = el("li");
      li.setAttribute("role", "option");
      if (i === active) li.className = "active";
      li.appendChild(shapeSvg(STYLE[n.kind].shape, STYLE[n.kind].color));
      li.appendChild(el("span", null, n.label));
      if (m[4] > 0) li.appendChild(el("span", "alt", "also " + n.names[m[4]]));
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
      sugg.appendChild(li);
    });
    sugg.hidden = !matches.length;
  }
  function choose(i) {
    if (!matches[i]) return;
    focusNode(matches[i][3]);
    sugg.hidden = true;
    search.blur();
  }
  search.addEventListener("input", function () { matches = lookup(search.value); active = 0; drawSuggestions(); });
  search.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { active = Math.min(active + 1, matches.length - 1); drawSuggestions(); e.preventDefault(); }
    else if (e.key === "ArrowUp") { active = Math.max(active - 1, 0); drawSuggestions(); e.preventDefault(); }
    else if (e.key === "Enter") {
      matches = lookup(search.value);
      if (matches.length) choose(Math.min(active, matches.length - 1));
      else setStatus("Nothing is named “" + search.value + "”");
    } else if (e.key === "Escape") { sugg.hidden = true; }
  });
  search.addEventListener("blur", function () { sugg.hidden = true; });

  /* for tests and for the curious: the live network, read-only helpers */
  window.kgExplorer = {
    network: network,
    drawnNodeCount: function () { return network.body.nodeIndices.length; },
    visibleNodeCount: function () { return nodeView.length; },
    focusNode: focusNode,
    info: function (id) { return INFO[id]; },
    findIds: function (q) { return lookup(q).map(function (m) { return m[3]; }); }
  };
})();
