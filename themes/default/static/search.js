/* praxis search page: full-text search over the static index that `praxis build`
 * writes to suchindex/ (format: docs/search.md), filters by topic, Land and year
 * (OR within a group, AND across), state in the URL (?q=..&topic=..&land=..&year=..).
 * A query loads index.json once, then only the term shards of its words and the
 * entry chunks of the results on screen. No dependencies, nothing from elsewhere;
 * every file is loaded relative to this page, so the site may live under a sub-path.
 *
 * The words of a query become terms exactly as src/search/words.rs does it: fold,
 * split, drop stop words, stem. A change there is made here too.
 */
(function () {
  "use strict";
  var form = document.getElementById("suche");
  if (!form || !window.URLSearchParams || !history.replaceState || !window.fetch) return;
  var ds = form.dataset;
  var input = form.elements.q;
  var status = document.getElementById("treffer");
  var list = document.getElementById("ergebnisse");
  var filterBox = document.getElementById("suchfilter");
  var GROUPS = ["topic", "land", "year"];
  var PAGE = 20;
  var FORMAT = 2;
  var base = new URL(ds.searchIndex, document.baseURI).href;
  var shown = PAGE;
  var index = null;
  var shards = {};
  var chunks = {};
  var typing = 0;
  var run = 0;
  var more = null;

  // --- words to terms (mirrors src/search/words.rs) ---------------------------------
  var FOLD = { "à": "a", "á": "a", "â": "a", "ã": "a", "ä": "a", "å": "a", "æ": "ae", "ç": "c",
    "è": "e", "é": "e", "ê": "e", "ë": "e", "ì": "i", "í": "i", "î": "i", "ï": "i", "ñ": "n",
    "ò": "o", "ó": "o", "ô": "o", "õ": "o", "ö": "o", "ø": "o", "œ": "oe", "ù": "u", "ú": "u",
    "û": "u", "ü": "u", "ý": "y", "ÿ": "y", "ß": "ss" };
  var STOP = {
    de: "aber alle als am an auch auf aus bei bis da damit dann das dass dem den der des die diese dieser doch durch ein eine einem einen einer eines er es fur hat ihr ihre im in ist ja kann man mit nach nicht noch nur ob oder sich sie sind so uber um und uns unsere vom von vor war wie wir wird wurde zu zum zur",
    other: "an and are as at be by for from has in is it of on or that the to was were with",
  };
  var stopWords = {};
  function fold(text) {
    return text.toLowerCase().replace(/[àáâãäåæçèéêëìíîïñòóôõöøœùúûüýÿß]/g, function (c) {
      return FOLD[c];
    });
  }
  function words(text) {
    return fold(text).split(/[^\p{Alphabetic}\p{N}]+/u).filter(Boolean);
  }
  function stemGerman(w) {
    if (/[0-9]/.test(w)) return w;
    var n = Array.from(w).length;
    var ends = function (s) {
      return w.slice(-s.length) === s;
    };
    var cut = 0;
    if (n > 5 && ends("ern")) cut = 3;
    else if (n > 4 && (ends("em") || ends("en") || ends("er") || ends("es"))) cut = 2;
    else if (n > 3 && ends("e")) cut = 1;
    else if (n > 3 && ends("s") && "bdfghklmnrt".indexOf(w.charAt(w.length - 2)) >= 0) cut = 1;
    return w.slice(0, w.length - cut);
  }
  function termOf(w) {
    var n = Array.from(w).length;
    if (n < 2 || n > 40 || stopWords[w]) return null;
    return index.language === "de" ? stemGerman(w) : w;
  }
  function shardKey(term) {
    return Array.from(term).slice(0, index.key).map(function (c) {
      return /[a-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16);
    }).join("");
  }

  // --- loading ---------------------------------------------------------------------
  function json(path) {
    return fetch(new URL(path, base).href).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  }
  function shard(key) {
    if (!shards[key]) shards[key] = index.shardSet[key] ? json("terms/" + key + ".json") : Promise.resolve({});
    return shards[key];
  }
  function chunk(n) {
    if (!chunks[n]) chunks[n] = json("entries/" + n + ".json");
    return chunks[n];
  }
  // Postings are [doc step, weight, ...]; a term's documents with their weights.
  function postings(list) {
    var out = new Map();
    var doc = 0;
    for (var i = 0; i < list.length; i += 2) {
      doc += list[i];
      out.set(doc, list[i + 1]);
    }
    return out;
  }

  // --- matching and ranking ----------------------------------------------------------
  // Every word must match (AND). A word of three or more letters matches every term
  // it begins, so a half-typed word finds something; an exact match counts double.
  // Weights put title hits above summary hits above body hits (src/search/mod.rs).
  function match(terms) {
    var keys = {};
    terms.forEach(function (t) {
      keys[shardKey(t)] = true;
    });
    return Promise.all(Object.keys(keys).map(shard)).then(function () {
      return Promise.all(terms.map(function (t) {
        return shard(shardKey(t)).then(function (s) {
          var scores = new Map();
          Object.keys(s).forEach(function (term) {
            var exact = term === t;
            if (!exact && (t.length < 3 || term.indexOf(t) !== 0)) return;
            postings(s[term]).forEach(function (w, doc) {
              var score = exact ? 2 * w : w;
              if ((scores.get(doc) || 0) < score) scores.set(doc, score);
            });
          });
          return scores;
        });
      }));
    }).then(function (perTerm) {
      var total = perTerm[0];
      perTerm.slice(1).forEach(function (scores) {
        var next = new Map();
        total.forEach(function (s, doc) {
          if (scores.has(doc)) next.set(doc, s + scores.get(doc));
        });
        total = next;
      });
      return total;
    });
  }
  function chosen() {
    var f = {};
    GROUPS.forEach(function (g) {
      var v = [];
      filterBox.querySelectorAll('input[name="' + g + '"]:checked').forEach(function (i) {
        v.push(Number(i.dataset.n));
      });
      if (v.length) f[g] = v;
    });
    return f;
  }
  function values(doc, g) {
    var d = index.docs[doc];
    return g === "year" ? [d[0]] : g === "topic" ? d[1] : d[2];
  }
  function passes(doc, filters, skip) {
    return GROUPS.every(function (g) {
      if (g === skip || !filters[g]) return true;
      var have = values(doc, g);
      return filters[g].some(function (v) {
        return have.indexOf(v) >= 0;
      });
    });
  }
  // How many results each filter value would give, the other groups' choices kept.
  function counts(candidates, filters) {
    var out = {};
    GROUPS.forEach(function (g) {
      var c = (out[g] = {});
      candidates.forEach(function (doc) {
        if (!passes(doc, filters, g)) return;
        values(doc, g).forEach(function (v) {
          c[v] = (c[v] || 0) + 1;
        });
      });
    });
    return out;
  }

  // --- the page ----------------------------------------------------------------------
  function t(key, n) {
    return (ds["t" + key] || "").replace("{n}", n);
  }
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (c) {
      if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }
  function link(url) {
    return ds.root + url + (ds.index || "");
  }
  function writeUrl() {
    var p = new URLSearchParams();
    if (input.value.trim()) p.set("q", input.value.trim());
    GROUPS.forEach(function (g) {
      filterBox.querySelectorAll('input[name="' + g + '"]:checked').forEach(function (i) {
        p.append(g, i.value);
      });
    });
    var q = p.toString();
    history.replaceState(null, "", q ? "?" + q : location.pathname);
  }
  function buildFilters(wanted) {
    filterBox.textContent = "";
    GROUPS.forEach(function (g) {
      var names = index[g] || [];
      if (!names.length) return;
      var order = names.map(function (_, i) {
        return i;
      });
      if (g !== "year") order.sort(function (a, b) {
        return names[a].localeCompare(names[b], "de");
      });
      var ul = el("ul", { class: g === "year" ? "inline" : "" });
      order.forEach(function (n) {
        var id = "s-" + g + "-" + n;
        var box = el("input", { type: "checkbox", id: id, name: g, value: names[n], "data-n": n });
        box.checked = wanted.getAll(g).indexOf(names[n]) >= 0;
        ul.appendChild(el("li", {}, [el("label", { for: id }, [box, el("span", { text: names[n] }), el("span", { class: "count", text: "" })])]));
      });
      var h = el("h2", { id: "sf-" + g, text: t(g.charAt(0).toUpperCase() + g.slice(1)) });
      filterBox.appendChild(el("div", { class: "facet", role: "group", "aria-labelledby": "sf-" + g }, [h, ul]));
    });
    filterBox.hidden = false;
  }
  function updateCounts(c) {
    filterBox.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.parentNode.querySelector(".count").textContent = "(" + ((c[box.name] || {})[box.dataset.n] || 0) + ")";
    });
  }
  // The summary as text, query words marked: built from text nodes, never as HTML.
  function marked(text, terms) {
    var p = el("p", {});
    text.split(/([\p{Alphabetic}\p{N}]+)/u).forEach(function (part, i) {
      var term = i % 2 ? termOf(fold(part)) : null;
      var hit = term && terms.some(function (q) {
        return term === q || (q.length >= 3 && term.indexOf(q) === 0);
      });
      p.appendChild(hit ? el("mark", { text: part }) : document.createTextNode(part));
    });
    return p;
  }
  function result(row, terms) {
    var meta = [String(row[4])];
    if (row[3]) meta.push(row[3]);
    return el("article", { class: "search-result" }, [
      el("h2", {}, [el("a", { href: link(row[1]), text: row[0] })]),
      el("p", { class: "meta", text: meta.join(" · ") }),
      marked(row[2], terms),
    ]);
  }
  function show(ranked, terms, mine, announce) {
    var page = ranked.slice(0, shown);
    var needed = {};
    page.forEach(function (doc) {
      needed[Math.floor(doc / index.chunk)] = true;
    });
    return Promise.all(Object.keys(needed).map(chunk)).then(function () {
      return Promise.all(page.map(function (doc) {
        return chunk(Math.floor(doc / index.chunk)).then(function (rows) {
          return rows[doc % index.chunk];
        });
      }));
    }).then(function (rows) {
      if (mine !== run) return;
      list.textContent = "";
      rows.forEach(function (row) {
        list.appendChild(result(row, terms));
      });
      if (!more) {
        more = el("button", { type: "button", id: "mehr", class: "secondary", text: t("More") });
        more.addEventListener("click", function () {
          var first = shown;
          shown += PAGE;
          search(false).then(function () {
            var a = list.querySelectorAll(".search-result a")[first];
            if (a) a.focus();
          });
        });
        list.after(more);
      }
      more.hidden = ranked.length <= shown;
      var n = ranked.length;
      var text = n === 0 ? t("FoundNone") : n === 1 ? t("FoundOne") : t("FoundMany", n);
      if (announce !== false || status.textContent !== text) status.textContent = text;
    });
  }
  function search(announce) {
    var q = input.value.trim();
    var filters = chosen();
    var terms = [];
    words(q).forEach(function (w) {
      var term = termOf(w);
      if (term && terms.indexOf(term) < 0) terms.push(term);
    });
    var mine = ++run;
    writeUrl();
    if (!terms.length && !Object.keys(filters).length) {
      list.textContent = "";
      status.textContent = q ? t("Hint") : "";
      if (more) more.hidden = true;
      updateCounts(counts(index.all, {}));
      return Promise.resolve();
    }
    var found = terms.length ? match(terms) : Promise.resolve(null);
    return found.then(function (scores) {
      if (mine !== run) return;
      var candidates = scores ? Array.from(scores.keys()) : index.all;
      updateCounts(counts(candidates, filters));
      var ranked = candidates.filter(function (doc) {
        return passes(doc, filters, null);
      });
      // best score first; without words, newest year first; then catalogue order
      ranked.sort(function (a, b) {
        var d = scores ? scores.get(b) - scores.get(a) : index.docs[a][0] - index.docs[b][0];
        return d || a - b;
      });
      return show(ranked, terms, mine, announce);
    });
  }

  status.textContent = t("Loading");
  json("index.json")
    .then(function (idx) {
      if (idx.version !== FORMAT) throw new Error("search index format " + idx.version);
      index = idx;
      index.shardSet = {};
      idx.shards.forEach(function (k) {
        index.shardSet[k] = true;
      });
      index.all = idx.docs.map(function (_, i) {
        return i;
      });
      (idx.language === "de" ? STOP.de : STOP.other).split(" ").forEach(function (w) {
        stopWords[w] = true;
      });
      var wanted = new URLSearchParams(location.search);
      // Typed before the index was ready? Keep it; else take the URL's query.
      if (!input.value) input.value = wanted.get("q") || "";
      buildFilters(wanted);
      status.textContent = "";
      return search();
    })
    .catch(function () {
      status.textContent = t("Error");
    });

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!index) return;
    clearTimeout(typing);
    shown = PAGE;
    search();
  });
  input.addEventListener("input", function () {
    if (!index) return;
    clearTimeout(typing);
    typing = setTimeout(function () {
      shown = PAGE;
      search();
    }, 300);
  });
  filterBox.addEventListener("change", function () {
    if (!index) return;
    shown = PAGE;
    search();
  });
})();
