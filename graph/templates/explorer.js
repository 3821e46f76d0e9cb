/* kg explorer: filters, search, details and timeline around a vis-network graph.
 *
 * Every string from the graph (names, sentences, titles) comes from untrusted
 * accounts: it is read from JSON and put into the page with textContent only,
 * never innerHTML, so markup in an account is shown, never run. Hover texts
 * are plain strings, which vis-network shows with innerText.
 *
 * The data is one JSON block in the format of graph/payload.py, which
 * describes itself: `unpack` below turns its tables into one object per row
 * without knowing their columns. In served mode (body[data-expand-url]) a
 * node's neighbourhood is fetched in the same format and merged by IRI.
 *
 * Every node the page knows is in one vis DataSet; filters only flip its
 * `hidden` flag (and `physics`, so hidden nodes never pull on the layout), so
 * the nodes that stay never move and a node that comes back returns where it
 * was. A node shown for the first time is placed beside its shown neighbours.
 * Hidden roles and events are drawn as labelled edges between the people and
 * bodies they join (graph/bridges.py: edges whose `via` lists them).
 */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var DATA = JSON.parse($("kg-data").textContent);
  var OPTIONS = DATA.options, EXPAND_URL = document.body.getAttribute("data-expand-url") || "";
  var STYLE = {};
  DATA.kinds.forEach(function (k) { STYLE[k.kind] = k; });
  var CONNECTOR = { role: true, event: true };
  var FONT = OPTIONS.nodes.font.color, FADED = { background: "#e9ecef", border: "#d9dde2" };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function plural(n, one, many) { return n.toLocaleString("en-GB") + " " + (n === 1 ? one : many); }
  function byText(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  /* ---------- the data, unpacked (format: graph/payload.py) and merged by IRI ---------- */
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

  var INFO = [], EDGES = [], BY_IRI = new Map(), EDGE_KEYS = new Map(), TITLES = {}, ACCOUNTS = [];
  function merge(data) {  /* add a payload's rows; returns the ids of the nodes and edges it added */
    var t = unpack(data), added = { nodes: [], edges: [], accounts: [] }, ids = [];
    t.accounts.forEach(function (a) {
      if (a.source in TITLES) return;
      TITLES[a.source] = a.title;
      if (a.nodes > 0) { ACCOUNTS.push(a); added.accounts.push(a); }
    });
    t.facts.forEach(function (f) { f.account_title = TITLES[f.account] || ""; });
    t.nodes.forEach(function (n) {
      var known = BY_IRI.get(n.iri);
      if (known !== undefined) { ids.push(known); return; }
      var id = INFO.length;
      BY_IRI.set(n.iri, id);
      ids.push(id);
      added.nodes.push(id);
      INFO.push({ id: id, iri: n.iri, kind: n.kind, label: n.label, short: n.short, names: n.names, keys: n.keys,
                  date: n.date, event_type: n.event_type, began: n.began, ended: n.ended, accounts: n.accounts, narrator_of: n.narrator_of,
                  links: n.links, rank: n.rank, facts: n.facts.map(function (i) { return t.facts[i]; }),
                  judged: n.judged || [], adj: [], ends: [] });
    });
    t.edges.forEach(function (e) {
      var from = ids[e.from], to = ids[e.to], key = from + " " + to + " " + e.kind + " " + e.label;
      if (EDGE_KEYS.has(key)) return;
      var id = EDGES.length;
      EDGE_KEYS.set(key, id);
      EDGES.push({ id: id, from: from, to: to, kind: e.kind, label: e.label, accounts: e.accounts,
                   via: e.via.map(function (v) { return ids[v]; }) });
      INFO[from].adj.push(id);
      INFO[to].adj.push(id);
      if (!e.via.length) {
        if (CONNECTOR[INFO[from].kind] && !CONNECTOR[INFO[to].kind]) INFO[from].ends.push(to);
        if (CONNECTOR[INFO[to].kind] && !CONNECTOR[INFO[from].kind]) INFO[to].ends.push(from);
      }
      added.edges.push(id);
    });
    return added;
  }
  merge(DATA);

  function factText(f, n) {  /* what a fact says, as shown on node n */
    if (f.kind === "role") {
      var held = f.title + (f.body ? ", " + f.body : "");
      return n.kind === "body" ? f.holder + ": " + held : held;
    }
    if (f.kind === "event") return f.event_type + (f.actors.length ? ": " + f.actors.join(", ") : "");
    return n.label;
  }
  function clip(text, most) {
    var chars = Array.from(text);
    return chars.length <= most ? text : chars.slice(0, most - 3).join("") + "...";
  }
  function tooltip(n) {  /* plain text: vis-network shows a string title with innerText */
    var lines = [n.label, STYLE[n.kind].name + (n.date ? " · " + n.date : "") + " · " + plural(n.accounts.length, "account", "accounts")];
    if (n.names.length > 1) lines.push("Also: " + n.names.slice(1, 6).join("; "));
    if (!CONNECTOR[n.kind]) {
      ["role", "event"].forEach(function (kind) {
        var texts = new Set();
        n.facts.forEach(function (f) { if (f.kind === kind) texts.add(factText(f, n)); });
        Array.from(texts).sort(byText).slice(0, 4).forEach(function (x) { lines.push((kind === "role" ? "Role: " : "Event: ") + x); });
      });
    }
    var first = n.facts.filter(function (f) { return f.kind !== "mention"; })[0] || n.facts[0];
    if (first) lines.push("“" + clip(first.sentence, 220) + "” (" + first.account + ")");
    lines.push(n.facts.length + " sourced fact(s) · click to expand and see all");
    return lines.join("\n");
  }
  function edgeTitle(e) {
    return INFO[e.from].label + " — " + e.label + " — " + INFO[e.to].label;
  }

  /* ---------- what is shown: kinds, accounts, the date, and the nodes opened ---------- */
  var TOP = DATA.top;
  var kinds = new Set(DATA.kinds.map(function (k) { return k.kind; }).filter(function (k) { return !TOP || !CONNECTOR[k]; }));
  var accounts = new Set(ACCOUNTS.map(function (a) { return a.source; }));
  var opened = new Set(), asOf = null;
  var shownNow = [], edgeNow = [], placed = [];

  function anyAccount(list) {
    if (!list.length) return true;
    for (var i = 0; i < list.length; i++) if (accounts.has(list[i])) return true;
    return false;
  }
  function startOf(d) { return /^\d{4}(-\d\d){0,2}$/.test(d) ? (d + "-01-01").slice(0, 10) : ""; }
  function endOf(d) { return /^\d{4}(-\d\d){0,2}$/.test(d) ? (d + "-99-99").slice(0, 10) : ""; }
  function inTime(n) {
    if (asOf === null) return true;
    if (n.kind === "event") { var d = startOf(n.date); return !d || d <= asOf; }
    if (n.kind === "role") {
      var b = startOf(n.began), e = endOf(n.ended);
      return (!b || b <= asOf) && (!e || e >= asOf);
    }
    return true;
  }
  function filtered(n) { return kinds.has(n.kind) && anyAccount(n.accounts) && inTime(n); }
  function entityShown(id) { return opened.has(id) && filtered(INFO[id]); }
  function shown(id) {
    var n = INFO[id];
    if (!filtered(n)) return false;
    return opened.has(id) || (CONNECTOR[n.kind] === true && n.ends.some(entityShown));
  }
  function standsIn(id) {  /* a connector a bridge edge stands for: left out only for its type */
    var n = INFO[id];
    return !kinds.has(n.kind) && anyAccount(n.accounts) && inTime(n);
  }
  function edgeShown(e) {
    if (!shownNow[e.from] || !shownNow[e.to] || !anyAccount(e.accounts)) return false;
    return !e.via.length || e.via.some(standsIn);
  }

  function nodeItem(n) {
    return { id: n.id, label: n.short, shape: STYLE[n.kind].shape, color: STYLE[n.kind].color,
             value: n.links + 1, title: tooltip(n), hidden: true, physics: false };
  }
  function edgeItem(e) {
    var item = { id: e.id, from: e.from, to: e.to, label: e.label, arrows: e.kind === "with" ? "" : "to",
                 color: DATA.edgeColours[e.kind] || "#999999", title: edgeTitle(e), hidden: true, physics: false };
    if (e.kind === "with") item.dashes = [4, 4];
    if (e.kind === "role_in") item.font = { size: 10 };
    return item;
  }
  var nodes = new vis.DataSet(INFO.map(nodeItem)), edges = new vis.DataSet(EDGES.map(edgeItem));

  function opening(top) {  /* up to `top` of the most connected people and bodies, each linked to another */
    if (!top) return INFO.map(function (n) { return n.id; });
    var ranked = INFO.filter(function (n) { return n.rank >= 0; }).sort(function (a, b) { return a.rank - b.rank; });
    var taken = new Set(), linked = new Set();
    for (var i = 0; i < ranked.length && linked.size < top; i++) {
      var id = ranked[i].id, joins = new Set();
      ranked[i].adj.forEach(function (eid) {
        var e = EDGES[eid], other = e.from === id ? e.to : e.from;
        if (other !== id && taken.has(other) && !CONNECTOR[INFO[other].kind]) joins.add(other);
      });
      taken.add(id);
      var grow = Array.from(joins).filter(function (o) { return !linked.has(o); }).length + (joins.size ? 1 : 0);
      if (linked.size + grow > top) continue;  /* would overshoot: the next may fit */
      if (joins.size) { linked.add(id); joins.forEach(function (o) { linked.add(o); }); }
    }
    return Array.from(linked);
  }
  var start = opening(TOP);
  if (TOP && !start.length) {  /* no linked people or bodies (e.g. `kg render --type event`): open on everything */
    TOP = 0;
    start = opening(0);
    DATA.kinds.forEach(function (k) { kinds.add(k.kind); });
  }
  start.forEach(function (id) { opened.add(id); });

  /* ---------- placing a node shown for the first time: beside its shown neighbours ---------- */
  var GOLDEN = 2.399963, around = new Map();
  function neighbours(id) {
    return INFO[id].adj.map(function (eid) { var e = EDGES[eid]; return e.from === id ? e.to : e.from; });
  }
  function place(ids, network, batch) {
    var known = network.getPositions(), box = null;
    Object.keys(known).forEach(function (k) {
      if (!placed[k] || !shownNow[k]) return;
      var p = known[k];
      box = box ? [Math.min(box[0], p.x), Math.min(box[1], p.y), Math.max(box[2], p.x), Math.max(box[3], p.y)] : [p.x, p.y, p.x, p.y];
    });
    box = box || [0, 0, 0, 0];
    ids.forEach(function (id, i) {
      var anchor = null;
      neighbours(id).forEach(function (o) {
        if (anchor === null && (batch[o] || (placed[o] && known[o]))) anchor = o;
      });
      var centre, radius, k = (around.get(anchor) || 0) + 1;
      around.set(anchor, k);
      if (anchor !== null) {
        centre = batch[anchor] || known[anchor];
        radius = 70 + 14 * Math.sqrt(k);
      } else {
        centre = { x: (box[0] + box[2]) / 2, y: (box[1] + box[3]) / 2 };
        radius = Math.max(box[2] - box[0], box[3] - box[1]) / 2 + 120 + 6 * Math.sqrt(k);
      }
      batch[id] = { x: centre.x + radius * Math.cos(k * GOLDEN), y: centre.y + radius * Math.sin(k * GOLDEN) };
      placed[id] = true;
    });
  }

  var network = null, ready = false, selected = null, faded = { nodes: new Set(), edges: new Set() };
  function refresh() {  /* flip hidden flags to match the filters; nodes that stay are not touched */
    var changes = [], fresh = [], batch = {};
    INFO.forEach(function (n) {
      var s = shown(n.id);
      if (s !== shownNow[n.id]) {
        shownNow[n.id] = s;
        changes.push({ id: n.id, hidden: !s, physics: s });
        if (s && !placed[n.id] && network && ready) fresh.push(n.id);
      }
    });
    if (fresh.length) place(fresh, network, batch);
    changes.forEach(function (c) { if (batch[c.id]) { c.x = batch[c.id].x; c.y = batch[c.id].y; } });
    var echanges = [];
    EDGES.forEach(function (e) {
      var s = edgeShown(e);
      if (s !== edgeNow[e.id]) { edgeNow[e.id] = s; echanges.push({ id: e.id, hidden: !s, physics: s }); }
    });
    nodes.update(changes);
    edges.update(echanges);
    var items = $("timeline").children;
    for (var i = 0; i < items.length; i++) if (items[i].dataset.id) items[i].classList.toggle("filtered", !shownNow[Number(items[i].dataset.id)]);
    if (selected !== null) highlight(selected);
    if (ready) setStatus();
    describeHidden();
  }
  refresh();
  network = new vis.Network($("graph"), { nodes: nodes, edges: edges }, OPTIONS);

  /* ---------- status, what is hidden, layout ---------- */
  function shownCount() { var c = 0; shownNow.forEach(function (s) { if (s) c += 1; }); return c; }
  function setStatus(extra) {
    var count = shownCount(), hidden = INFO.length - count;
    var text = count + " of " + INFO.length + " nodes shown";
    text += !hidden ? " · none hidden" : TOP ? " · " + hidden + " hidden (see Show)" : " · " + hidden + " hidden by filters";
    if (DATA.total > INFO.length) text += " · " + (DATA.total - INFO.length) + " outside this view";
    $("status").textContent = extra ? extra + " · " + text : text;
    $("status").classList.toggle("warn", hidden > 0);
  }
  function describeHidden() {
    var byKind = {}, closed = 0, unlinked = 0, other = 0, box = $("hidden-note");
    INFO.forEach(function (n) {
      if (shownNow[n.id]) return;
      if (!kinds.has(n.kind)) byKind[n.kind] = (byKind[n.kind] || 0) + 1;
      else if (!anyAccount(n.accounts) || !inTime(n)) other += 1;
      else if (n.rank < 0 && !CONNECTOR[n.kind]) unlinked += 1;
      else closed += 1;
    });
    box.textContent = "";
    DATA.kinds.forEach(function (k) {
      if (!byKind[k.kind]) return;
      var how = CONNECTOR[k.kind] ? " hidden, drawn as labelled edges: tick " + k.name + " to show them" : " hidden: tick " + k.name;
      box.appendChild(el("li", null, plural(byKind[k.kind], k.name.toLowerCase(), k.plural) + how));
    });
    if (closed) box.appendChild(el("li", null, plural(closed, "node", "nodes") + " less connected: click a node to open its neighbours, or raise Most connected"));
    if (unlinked) box.appendChild(el("li", null, plural(unlinked, "person or body", "people and bodies") + " linked to no one: find them by name, or set Most connected to 0 (all)"));
    if (other) box.appendChild(el("li", null, plural(other, "node", "nodes") + " outside the chosen accounts or date"));
  }
  function finishLayout() {
    network.setOptions({ physics: { enabled: false } });
    $("progress").firstChild.style.width = "0";
    INFO.forEach(function (n) { if (shownNow[n.id]) placed[n.id] = true; });
    var first = !ready;
    ready = true;
    if (first && DATA.focus.length) select(DATA.focus[0], false);
    setStatus(first ? "" : "Layout done");
    document.body.setAttribute("data-ready", "true");
  }
  network.on("stabilizationProgress", function (p) {
    $("progress").firstChild.style.width = Math.round(100 * p.iterations / p.total) + "%";
    $("status").textContent = "Laying out… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.on("stabilizationIterationsDone", finishLayout);
  network.on("stabilized", function () { network.setOptions({ physics: { enabled: false } }); });
  if (!shownCount()) finishLayout();
  setTimeout(function () { if (!ready) finishLayout(); }, 20000);  // a graph that never settles still stops moving

  /* ---------- selection: highlight the neighbourhood, fade the rest ---------- */
  function highlight(id) {
    var near = new Set([id]), lit = new Set(), nodeChanges = [], edgeChanges = [];
    INFO[id].adj.forEach(function (eid) {
      if (!edgeNow[eid]) return;
      lit.add(eid); near.add(EDGES[eid].from); near.add(EDGES[eid].to);
    });
    INFO.forEach(function (n) {
      var fade = shownNow[n.id] && !near.has(n.id);
      if (fade === faded.nodes.has(n.id)) return;
      if (fade) faded.nodes.add(n.id); else faded.nodes.delete(n.id);
      nodeChanges.push({ id: n.id, color: fade ? FADED : STYLE[n.kind].color, font: { color: fade ? "#b9c0c8" : FONT } });
    });
    EDGES.forEach(function (e) {
      var fade = edgeNow[e.id] && !lit.has(e.id);
      if (fade === faded.edges.has(e.id)) return;
      if (fade) faded.edges.add(e.id); else faded.edges.delete(e.id);
      edgeChanges.push({ id: e.id, color: fade ? "#e6e9ed" : DATA.edgeColours[e.kind] || "#999999" });
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
  }
  function unhighlight() {
    selected = null;
    nodes.update(Array.from(faded.nodes).map(function (id) { return { id: id, color: STYLE[INFO[id].kind].color, font: { color: FONT } }; }));
    edges.update(Array.from(faded.edges).map(function (id) { return { id: id, color: DATA.edgeColours[EDGES[id].kind] || "#999999" }; }));
    faded = { nodes: new Set(), edges: new Set() };
  }
  function select(id, move) {
    selected = id;
    network.selectNodes([id]);
    highlight(id);
    showNode(id);
    if (move) network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 350, easingFunction: "easeInOutQuad" } });
  }

  /* ---------- expanding: open a node's neighbours (fetched first in served mode) ---------- */
  var fetched = new Map(), pageNote = {};  /* iri -> the offset of its next page of neighbours (null: all fetched) */
  function openAround(id) {  /* open the neighbours; how many more nodes that shows */
    var before = shownCount();
    neighbours(id).forEach(function (o) {
      (CONNECTOR[INFO[o].kind] ? [o].concat(INFO[o].ends) : [o]).forEach(function (t) { opened.add(t); });
    });
    refresh();
    return shownCount() - before;
  }
  function expand(id) {
    /* served mode: a node's neighbours come a page at a time, the most told first (graph/serve/explore.py);
       expanding again fetches the next page until none is left */
    var iri = INFO[id].iri;
    if (!EXPAND_URL || fetched.get(iri) === null) return Promise.resolve(openAround(id));
    var offset = fetched.get(iri) || 0;
    fetched.set(iri, null);
    setStatus("Fetching the neighbours of " + INFO[id].label + "…");
    var url = EXPAND_URL + (EXPAND_URL.indexOf("?") >= 0 ? "&" : "?") + "node=" + encodeURIComponent(iri) +
      (offset ? "&offset=" + offset : "");
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (data) {
        var added = merge(data), page = data.neighbours || { total: 0, next: null };
        nodes.add(added.nodes.map(function (i) { return nodeItem(INFO[i]); }));
        edges.add(added.edges.map(function (i) { return edgeItem(EDGES[i]); }));
        added.accounts.forEach(function (a) { accounts.add(a.source); accountRow(a); });
        fetched.set(iri, page.next);
        pageNote[iri] = page.next === null ? "" : " (" + page.next + " of its " + page.total +
          " neighbours, the most told first: expand it again for more)";
        return openAround(id);
      })
      .catch(function (err) { fetched.set(iri, offset); setStatus("Could not fetch neighbours (" + err.message + ")"); return 0; });
  }
  function expandedStatus(id, more) {  /* the status after an expansion */
    return "Opened " + plural(more, "neighbour", "neighbours") + " of " + INFO[id].label + (pageNote[INFO[id].iri] || "");
  }
  function reveal(id) {  /* make a node shown, widening the filters if they hid it; says so */
    var note = "";
    if (!opened.has(id)) opened.add(id);
    if (!filtered(INFO[id])) {
      kinds.add(INFO[id].kind);
      INFO[id].accounts.forEach(function (a) { accounts.add(a); });
      if (!inTime(INFO[id])) { asOf = null; $("asof-on").checked = false; }
      syncChecks();
      note = "Filters widened to show " + INFO[id].label;
    }
    return note;
  }
  function focusNode(id) {
    var note = reveal(id);
    refresh();
    return expand(id).then(function (more) {
      select(id, true);
      setStatus(note || (more ? expandedStatus(id, more) : ""));
    });
  }
  network.on("click", function (p) {
    if (!p.nodes.length) { if (selected !== null) { unhighlight(); network.unselectAll(); } return; }
    var id = p.nodes[0];
    select(id, false);
    expand(id).then(function (more) {
      if (!more) return;
      select(id, false);
      setStatus(expandedStatus(id, more));
    });
  });

  /* ---------- details panel: facts with their sentences first, connections after, long lists folded ---------- */
  var KIND_ORDER = [["role", "Roles"], ["event", "Events"], ["mention", "Mentioned in"]];
  function factBox(f, n, withText) {
    var box = el("div", f.confirmed ? "fact confirmed" : "fact");
    if (withText) {
      var what = el("div", "what", factText(f, n));
      if (f.date) what.appendChild(el("span", "when", f.date));
      box.appendChild(what);
    }
    box.appendChild(el("blockquote", null, f.sentence));
    var cite = (f.account_title ? f.account_title + " — " : "") + f.account + (f.page ? ", p. " + f.page : "");
    if (f.start >= 0) cite += " · characters " + f.start + "–" + f.end;
    if (f.kind !== "mention") cite += " · confidence " + Number(f.confidence).toFixed(2);
    if (f.confirmed) cite += " · confirmed by a person";
    box.appendChild(el("div", "cite", cite));
    return box;
  }
  function folded(parent, items, first, make, label) {  /* the first `first` items, then a button for the rest */
    items.slice(0, first).forEach(function (x) { parent.appendChild(make(x)); });
    if (items.length <= first) return;
    var more = el("button", "more", label || "Show " + (items.length - first) + " more");
    more.type = "button";
    more.addEventListener("click", function () {
      items.slice(first).forEach(function (x) { parent.insertBefore(make(x), more); });
      more.remove();
    });
    parent.appendChild(more);
  }
  function linkButton(id, text) {
    var b = el("button", null, text);
    b.type = "button";
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }
  function showNode(id) {
    var n = INFO[id], box = $("details");
    box.textContent = "";
    box.appendChild(el("h3", null, n.label));
    var meta = el("div", "meta"), badge = el("span", "badge", STYLE[n.kind].name);
    badge.style.background = STYLE[n.kind].color;
    meta.appendChild(badge);
    n.judged.forEach(function (j) { meta.appendChild(el("span", "badge judged", j + " by a person")); });
    var bits = [];
    if (n.date) bits.push(n.date);
    if (n.began || n.ended) bits.push((n.began || "?") + " – " + (n.ended || ""));
    bits.push(plural(n.facts.length, "sourced fact", "sourced facts"));
    bits.push(plural(n.accounts.length, "account", "accounts"));
    meta.appendChild(document.createTextNode(bits.join(" · ")));
    box.appendChild(meta);
    if (n.names.length > 1) {
      box.appendChild(el("h4", null, "Also named"));
      var ul = el("ul", "names");
      folded(ul, n.names.slice(1), 6, function (x) { return el("li", null, x); });
      box.appendChild(ul);
    }
    if (n.narrator_of.length) {
      box.appendChild(el("h4", null, "Tells"));
      box.appendChild(el("div", null, n.narrator_of.join(", ")));
    }
    KIND_ORDER.forEach(function (pair) {
      var facts = n.facts.filter(function (f) { return f.kind === pair[0]; });
      if (!facts.length) return;
      box.appendChild(el("h4", null, pair[1] + " (" + facts.length + ")"));
      var own = (n.kind === "role" && pair[0] === "role") || (n.kind === "event" && pair[0] === "event");
      var said = new Map();  /* one box per thing said, its sentences under it */
      facts.forEach(function (f, i) {
        var what = pair[0] === "mention" ? String(i) : factText(f, n) + (f.date ? "\u0000" + f.date : "");
        if (!said.has(what)) said.set(what, []);
        said.get(what).push(f);
      });
      var group = el("div");
      folded(group, Array.from(said.values()), 6, function (same) {
        if (pair[0] === "mention") return factBox(same[0], n, false);
        var box2 = factBox(same[0], n, !own || said.size > 1);
        if (same.length > 1) {
          var rest = el("div", "again");
          folded(rest, same.slice(1), 0, function (f) { var b = factBox(f, n, false); b.className = "fact again"; return b; },
                 plural(same.length - 1, "more sentence says so", "more sentences say so"));
          box2.appendChild(rest);
        }
        return box2;
      });
      box.appendChild(group);
    });
    if (!n.facts.length) box.appendChild(el("p", "hint", "No sentence names this entity directly."));
    var links = n.adj.map(function (eid) { return EDGES[eid]; }).filter(function (e) { return !e.via.length; })
      .map(function (e) { var out = e.from === id; return [e.label, out ? e.to : e.from, out]; })
      .sort(function (a, b) { return byText(a[0], b[0]) || byText(INFO[a[1]].label, INFO[b[1]].label) || a[1] - b[1]; });
    if (links.length) {
      box.appendChild(el("h4", null, "Connections (" + links.length + ")"));
      var list = el("ul", "links-list");
      folded(list, links, 12, function (l) {
        var li = el("li");
        li.appendChild(el("span", "rel", l[2] ? l[0] + " → " : "← " + l[0] + " "));
        li.appendChild(linkButton(l[1], INFO[l[1]].short));
        return li;
      });
      box.appendChild(list);
    }
    box.scrollTop = 0;
    var items = $("timeline").children;
    for (var i = 0; i < items.length; i++) items[i].classList.toggle("current", Number(items[i].dataset.id) === id);
  }
  function showOverview() {
    var box = $("details");
    box.textContent = "";
    box.appendChild(el("h3", null, "Overview"));
    var T = DATA.totals, plain = T.plain;  /* graph/stats.py `totals`, as kg stats prints (the whole graph when served) */
    box.appendChild(el("p", "meta", (EXPAND_URL ? "The served graph: " : "") + plural(T.people, "person", "people") + " · " + plural(T.bodies, "body", "bodies") + " · " +
      plural(T.roles, "role held", "roles held") + " · " + plural(T.events, "event", "events") + " from " + plural(T.accounts, "account", "accounts") + "." +
      (plain > 0 ? " " + plural(plain, "role is a plain membership", "roles are plain memberships") + ", drawn as member-of edges." : "") +
      (EXPAND_URL ? " This page opened on the most connected of them: click a node to fetch its neighbours." : "")));
    box.appendChild(el("p", "hint", "Hover over a node for a summary; click it to open its neighbours and see every fact with the sentence and account it was read from."));
    var top = INFO.filter(function (n) { return n.rank >= 0; }).sort(function (a, b) { return a.rank - b.rank; }).slice(0, 12);
    if (!top.length) return;
    box.appendChild(el("h4", null, "Most connected"));
    var list = el("ul", "links-list");
    top.forEach(function (n) {
      var li = el("li");
      li.appendChild(linkButton(n.id, n.label));
      li.appendChild(el("span", "rel", " · " + STYLE[n.kind].name.toLowerCase() + " · " + plural(n.accounts.length, "account", "accounts")));
      list.appendChild(li);
    });
    box.appendChild(list);
  }
  showOverview();

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
  function lineSvg(colour, dashed) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg"), l = document.createElementNS(ns, "path");
    svg.setAttribute("width", "26"); svg.setAttribute("height", "10");
    l.setAttribute("d", dashed ? "M1 5 H23" : "M1 5 H20 M17 2 L23 5 L17 8"); l.setAttribute("stroke", colour); l.setAttribute("fill", "none"); l.setAttribute("stroke-width", "1.6");
    if (dashed) l.setAttribute("stroke-dasharray", "4 3");
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
    li.dataset.find = (label + " " + (sub || "")).toLowerCase();
    list.appendChild(li);
    return box;
  }
  DATA.kinds.forEach(function (k) {
    checkRow($("kinds"), k.kind, kinds.has(k.kind), k.name, k.nodes, null, shapeSvg(k.shape, k.color))
      .addEventListener("change", function (e) { e.target.checked ? kinds.add(k.kind) : kinds.delete(k.kind); refresh(); });
  });
  Object.keys(DATA.edgeLabels).forEach(function (key) {
    if (!EDGES.some(function (e) { return e.kind === key; })) return;
    var li = el("li");
    li.appendChild(lineSvg(DATA.edgeColours[key] || "#999999", key === "with"));
    li.appendChild(el("span", null, DATA.edgeLabels[key]));
    $("edge-legend").appendChild(li);
  });
  function accountRow(a) {
    checkRow($("accounts"), a.source, accounts.has(a.source), a.title || a.source, a.nodes, a.title ? a.source : null)
      .addEventListener("change", function (e) { e.target.checked ? accounts.add(a.source) : accounts.delete(a.source); refresh(); });
  }
  ACCOUNTS.forEach(accountRow);
  function syncChecks() {
    $("kinds").querySelectorAll("input").forEach(function (b) { b.checked = kinds.has(b.value); });
    $("accounts").querySelectorAll("input").forEach(function (b) { b.checked = accounts.has(b.value); });
  }
  function listedAccounts() {  /* the accounts the account search leaves listed */
    return Array.from($("accounts").children).filter(function (li) { return !li.hidden; })
      .map(function (li) { return li.querySelector("input").value; });
  }
  $("acc-search").addEventListener("input", function (e) {
    var q = e.target.value.trim().toLowerCase();
    Array.from($("accounts").children).forEach(function (li) { li.hidden = q !== "" && li.dataset.find.indexOf(q) < 0; });
  });
  $("acc-all").addEventListener("click", function () { listedAccounts().forEach(function (a) { accounts.add(a); }); syncChecks(); refresh(); });
  $("acc-none").addEventListener("click", function () { listedAccounts().forEach(function (a) { accounts.delete(a); }); syncChecks(); refresh(); });
  $("edge-labels").checked = OPTIONS.edges.font.size > 0;
  $("edge-labels").addEventListener("change", function (e) {
    network.setOptions({ edges: { font: { size: e.target.checked ? 9 : 0 } } });
  });
  $("fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });
  $("relayout").addEventListener("click", function () {
    network.setOptions({ physics: { enabled: true } });
    network.stabilize(OPTIONS.physics.stabilization.iterations);
  });
  function setTop(top) {
    TOP = Math.max(0, Math.floor(Number(top) || 0));
    $("top").value = String(TOP);
    opened = new Set(opening(TOP));
    refresh();
  }
  $("top").value = String(TOP);
  $("top").addEventListener("change", function (e) { setTop(e.target.value); });
  $("top-all").addEventListener("click", function () { setTop(0); });

  /* ---------- timeline, by type ---------- */
  var dated = [], undated = 0, types = {};
  INFO.forEach(function (n) {
    if (n.kind !== "event") return;
    if (n.date) { dated.push(n.id); types[n.event_type] = (types[n.event_type] || 0) + 1; } else undated += 1;
  });
  dated.sort(function (a, b) { return byText(INFO[a].date, INFO[b].date) || byText(INFO[a].label, INFO[b].label); });
  dated.forEach(function (id) {
    var li = el("li"), b = el("button");
    li.dataset.id = String(id);
    li.dataset.type = INFO[id].event_type;
    b.type = "button";
    b.appendChild(el("span", "date", INFO[id].date));
    b.appendChild(document.createTextNode(INFO[id].label));
    b.addEventListener("click", function () { focusNode(id); });
    li.appendChild(b);
    $("timeline").appendChild(li);
  });
  var typeBox = $("timeline-type");
  typeBox.appendChild(el("option", null, "all types")).value = "";
  Object.keys(types).sort(byText).forEach(function (t) { typeBox.appendChild(el("option", null, t + " (" + types[t] + ")")).value = t; });
  typeBox.hidden = !dated.length;
  typeBox.addEventListener("change", function () {
    Array.from($("timeline").children).forEach(function (li) { li.hidden = typeBox.value !== "" && li.dataset.type !== typeBox.value; });
  });
  $("timeline-count").textContent = dated.length + " dated" + (undated ? ", " + undated + " undated not listed" : "");
  if (!dated.length) $("timeline").appendChild(el("li", "muted", "No dated events in this view."));
  refresh();

  /* ---------- as of a day: roles began/ended, events dated ---------- */
  var DAY = 86400000, days = [];
  INFO.forEach(function (n) {
    [startOf(n.kind === "event" ? n.date : ""), startOf(n.began), startOf(n.ended)].forEach(function (d) { if (d) days.push(d); });
  });
  days.sort(byText);
  function dayNumber(d) { return Math.round(Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / DAY); }
  function dayText(k) { return new Date(k * DAY).toISOString().slice(0, 10); }
  function setAsOf(day) {
    asOf = day;
    $("asof-on").checked = day !== null;
    if (day !== null) { $("asof").value = String(dayNumber(day)); $("asof-date").textContent = day; }
    else $("asof-date").textContent = "";
    refresh();
  }
  if (days.length) {
    $("asof-box").hidden = false;
    $("asof").min = String(dayNumber(days[0]));
    $("asof").max = String(dayNumber(days[days.length - 1]));
    $("asof").value = $("asof").max;
    $("asof").addEventListener("input", function (e) { setAsOf(dayText(Number(e.target.value))); });
    $("asof-on").addEventListener("change", function (e) { setAsOf(e.target.checked ? dayText(Number($("asof").value)) : null); });
  }

  /* ---------- search: the ranking of graph/show.py `ranked` (tier, then prominence) ---------- */
  function normalise(s) { return s.split(/\s+/).filter(Boolean).join(" ").toLowerCase(); }
  function tier(keys, q) {
    var best = 9;
    keys.forEach(function (x) {
      var t = x === q ? 0 : (x.indexOf(q) === 0 || x.indexOf(" " + q) >= 0) ? 1 : x.indexOf(q) >= 0 ? 2 : 9;
      if (t < best) best = t;
    });
    return best;
  }
  function onlyTeller(n) {
    if (!n.narrator_of.length) return 0;
    var told = new Set(n.narrator_of);
    return n.accounts.every(function (a) { return told.has(a); }) ? 1 : 0;
  }
  function holders(n) {
    return n.adj.map(function (eid) { return EDGES[eid]; }).filter(function (e) { return e.to === n.id && e.kind === "holds_role"; })
      .map(function (e) { return INFO[e.from].label; });
  }
  function lookup(q, most) {
    q = normalise(q);
    if (!q) return [];
    var scored = [];
    INFO.forEach(function (n) {
      var t = tier(n.keys, q);
      if (t < 9) scored.push([t, onlyTeller(n), -n.accounts.length, -n.links, n.label, n.iri, n.id]);
    });
    scored.sort(function (a, b) {
      for (var i = 0; i < 6; i++) { var c = typeof a[i] === "number" ? a[i] - b[i] : byText(a[i], b[i]); if (c) return c; }
      return 0;
    });
    var seen = new Set(), rows = [];
    scored.forEach(function (s) {  /* one row per entity: identical rows (same kind, text, holder) once */
      var n = INFO[s[6]], key = n.kind + "\u0000" + n.short + "\u0000" + holders(n).join(";");
      if (seen.has(key)) return;
      seen.add(key);
      rows.push(s[6]);
    });
    return most ? rows.slice(0, most) : rows;
  }
  var search = $("search"), sugg = $("suggestions"), matches = [], active = 0;
  function drawSuggestions() {
    sugg.textContent = "";
    matches.forEach(function (id, i) {
      var n = INFO[id], li = el("li"), q = normalise(search.value), who = n.kind === "role" ? holders(n) : [];
      li.setAttribute("role", "option");
      if (i === active) li.className = "active";
      li.appendChild(shapeSvg(STYLE[n.kind].shape, STYLE[n.kind].color));
      li.appendChild(el("span", "label", n.short));
      var alt = n.names.filter(function (x) { return normalise(x).indexOf(q) >= 0; })[0];
      if (who.length) li.appendChild(el("span", "alt", who.join(", ")));
      else if (n.kind === "event") li.appendChild(el("span", "alt", n.label));
      else if (alt && alt !== n.label) li.appendChild(el("span", "alt", "also " + alt));
      li.appendChild(el("span", "meta", STYLE[n.kind].name + " · " + plural(n.accounts.length, "account", "accounts")));
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
      sugg.appendChild(li);
    });
    sugg.hidden = !matches.length;
  }
  function choose(i) {
    if (matches[i] === undefined) return;
    focusNode(matches[i]);
    sugg.hidden = true;
    search.blur();
  }
  search.addEventListener("input", function () { matches = lookup(search.value, 12); active = 0; drawSuggestions(); });
  search.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { active = Math.min(active + 1, matches.length - 1); drawSuggestions(); e.preventDefault(); }
    else if (e.key === "ArrowUp") { active = Math.max(active - 1, 0); drawSuggestions(); e.preventDefault(); }
    else if (e.key === "Enter") {
      matches = lookup(search.value, 12);
      if (matches.length) choose(Math.min(active, matches.length - 1));
      else setStatus("Nothing is named “" + search.value + "”");
    } else if (e.key === "Escape") { sugg.hidden = true; }
  });
  search.addEventListener("blur", function () { sugg.hidden = true; });

  /* for tests and for the curious: the live network, read-only helpers */
  window.kgExplorer = {
    network: network,
    drawnNodeCount: function () { return network.body.nodeIndices.length; },
    drawnEdgeCount: function () { return network.body.edgeIndices.length; },
    visibleNodeCount: shownCount,
    shownIds: function () { return INFO.filter(function (n) { return shownNow[n.id]; }).map(function (n) { return n.id; }); },
    drawnEdges: function () { return network.body.edgeIndices.map(function (i) { var e = EDGES[i]; return [e.from, e.to, e.kind, e.label]; }); },
    positions: function () { return network.getPositions(network.body.nodeIndices); },
    focusNode: focusNode,
    expand: expand,
    setTop: setTop,
    setAsOf: setAsOf,
    idOf: function (iri) { return BY_IRI.get(iri); },
    info: function (id) { return INFO[id]; },
    findIds: function (q) { return lookup(q, 0); }
  };
})();
