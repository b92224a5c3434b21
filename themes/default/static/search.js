/* praxis search page: full-text search with the Pagefind bundle built by
 * `praxis build`, filters by topic, Land and year (OR within a group, AND across),
 * state in the URL (?q=..&topic=..&land=..&year=..). No dependencies; Pagefind's
 * files are loaded relative to this site, so the site may live under a sub-path.
 */
(function () {
  "use strict";
  var form = document.getElementById("suche");
  if (!form || !window.URLSearchParams || !history.replaceState) return;
  var ds = form.dataset;
  var input = form.elements.q;
  var status = document.getElementById("treffer");
  var list = document.getElementById("ergebnisse");
  var filterBox = document.getElementById("suchfilter");
  var GROUPS = ["topic", "land", "year"];
  var PAGE = 20;
  var shown = PAGE;
  var pagefind = null;
  var typing = 0;
  var run = 0;
  var more = null;

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
  // Pagefind gives site-absolute URLs ("/praxis/x/"); make them relative to this
  // page so the site works from any sub-path.
  function link(url) {
    var path = url.replace(/^\//, "");
    if (ds.index && /\/$/.test(path)) path += ds.index;
    return ds.root + path;
  }
  function chosen() {
    var f = {};
    GROUPS.forEach(function (g) {
      var v = [];
      filterBox.querySelectorAll('input[name="' + g + '"]:checked').forEach(function (i) {
        v.push(i.value);
      });
      if (v.length) f[g] = { any: v };
    });
    return f;
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
  function buildFilters(all, wanted) {
    filterBox.textContent = "";
    GROUPS.forEach(function (g) {
      var values = Object.keys(all[g] || {});
      if (!values.length) return;
      values.sort(function (a, b) {
        return g === "year" ? b.localeCompare(a) : a.localeCompare(b, "de");
      });
      var ul = el("ul", { class: g === "year" ? "inline" : "" });
      values.forEach(function (v, i) {
        var id = "s-" + g + "-" + i;
        var box = el("input", { type: "checkbox", id: id, name: g, value: v });
        box.checked = wanted.getAll(g).indexOf(v) >= 0;
        ul.appendChild(
          el("li", {}, [el("label", { for: id }, [box, el("span", { text: v }), el("span", { class: "count", text: "(" + all[g][v] + ")" })])])
        );
      });
      var h = el("h2", { id: "sf-" + g, text: t(g.charAt(0).toUpperCase() + g.slice(1)) });
      filterBox.appendChild(el("div", { class: "facet", role: "group", "aria-labelledby": "sf-" + g }, [h, ul]));
    });
    filterBox.hidden = false;
  }
  function updateCounts(counts) {
    filterBox.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      var n = (counts[box.name] || {})[box.value] || 0;
      box.parentNode.querySelector(".count").textContent = "(" + n + ")";
    });
  }
  function result(d) {
    var meta = [];
    if (d.meta.year) meta.push(d.meta.year);
    if (d.meta.region) meta.push(d.meta.region);
    var excerpt = el("p", {});
    // Pagefind's excerpt is text from our own pages with <mark> around hits.
    excerpt.innerHTML = d.excerpt;
    return el("article", { class: "search-result" }, [
      el("h2", {}, [el("a", { href: link(d.url), text: d.meta.title || d.url })]),
      meta.length ? el("p", { class: "meta", text: meta.join(" · ") }) : null,
      excerpt,
    ]);
  }
  function search(announce) {
    var q = input.value.trim();
    var filters = chosen();
    var mine = ++run;
    writeUrl();
    if (!q && !Object.keys(filters).length) {
      list.textContent = "";
      status.textContent = "";
      if (more) more.hidden = true;
      return Promise.resolve();
    }
    return pagefind.search(q || null, { filters: filters }).then(function (res) {
      if (mine !== run || !res) return;
      updateCounts(res.filters || {});
      var n = res.results.length;
      return Promise.all(
        res.results.slice(0, shown).map(function (r) {
          return r.data();
        })
      ).then(function (items) {
        if (mine !== run) return;
        list.textContent = "";
        items.forEach(function (d) {
          list.appendChild(result(d));
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
        more.hidden = n <= shown;
        var text = n === 0 ? t("FoundNone") : n === 1 ? t("FoundOne") : t("FoundMany", n);
        if (announce !== false || status.textContent !== text) status.textContent = text;
      });
    });
  }

  status.textContent = t("Loading");
  var url = new URL(ds.pagefind, document.baseURI).href;
  import(url)
    .then(function (pf) {
      pagefind = pf;
      // URLs relative to the site root, whatever sub-path it is served from.
      return pf.options({ baseUrl: "/", excerptLength: 24 }).then(function () {
        return pf.filters();
      });
    })
    .then(function (all) {
      var wanted = new URLSearchParams(location.search);
      // Typed before the index was ready? Keep it; else take the URL's query.
      if (!input.value) input.value = wanted.get("q") || "";
      buildFilters(all || {}, wanted);
      status.textContent = "";
      return search();
    })
    .catch(function () {
      status.textContent = t("Error");
    });

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!pagefind) return;
    clearTimeout(typing);
    shown = PAGE;
    search();
  });
  input.addEventListener("input", function () {
    if (!pagefind) return;
    clearTimeout(typing);
    typing = setTimeout(function () {
      shown = PAGE;
      search();
    }, 300);
  });
  filterBox.addEventListener("change", function () {
    if (!pagefind) return;
    shown = PAGE;
    search();
  });
})();
