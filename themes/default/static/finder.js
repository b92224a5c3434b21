/* praxis finder: combined filters on the home page, no dependencies.
 *
 * Without this script the facet values are links to the term pages. With it they
 * become checkboxes (topic, Land, organisation) and a year range that combine:
 * AND across groups, OR within one. The entry data (filter.json) is fetched on the
 * first use only, so the home page stays light. The state lives in the URL query
 * (?thema=..&land=..&von=..&bis=..&org=..&q=..), so results can be shared and the
 * back button works.
 */
(function () {
  "use strict";
  var form = document.getElementById("finder");
  if (!form || !window.fetch || !window.URLSearchParams || !history.pushState) return;
  var ds = form.dataset;
  var list = document.getElementById("ergebnisse");
  var status = document.getElementById("treffer");
  var pagination = document.querySelector(".pagination");
  var initialList = list.innerHTML;
  var initialStatus = status.textContent;
  var PAGE = 20;
  var shown = PAGE;
  var data = null;
  var loading = null;
  var facets = ["thema", "land", "org"];
  var col = { thema: 6, land: 7, org: 8 };
  var names = { thema: "topics", land: "lands", org: "organisations" };
  var state = emptyState();
  var more = null;
  var typing = 0;

  function emptyState() {
    return { q: "", thema: [], land: [], org: [], von: "", bis: "" };
  }
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
  function href(dir, slug) {
    return ds.root + dir + "/" + slug + "/" + ds.index;
  }

  // --- enhance the markup: links become controls ---------------------------
  facets.forEach(function (f) {
    var box = form.querySelector('[data-facet="' + f + '"] ul');
    if (!box) return;
    box.querySelectorAll("li").forEach(function (li) {
      var a = li.querySelector("a[data-value]");
      if (!a) return;
      li.replaceWith(checkbox(f, a.dataset.value, a.textContent, li.querySelector(".count").textContent));
    });
    if (f === "org") box.classList.add("scroll");
  });
  var yearBox = form.querySelector('[data-facet="jahr"]');
  var years = [];
  yearBox.querySelectorAll("a[data-value]").forEach(function (a) {
    years.push(a.dataset.value);
  });
  years.sort();
  var von = yearSelect("von", t("From"));
  var bis = yearSelect("bis", t("To"));
  yearBox.querySelector("ul").replaceWith(el("div", { class: "year-range" }, [von.label, bis.label]));
  var orgBox = form.querySelector('[data-facet="org"]');
  var orgFilter = el("input", { type: "search", id: "org-filter", autocomplete: "off" });
  orgBox.insertBefore(
    el("p", {}, [el("label", { for: "org-filter", text: t("OrgFilter") }), el("br"), orgFilter]),
    orgBox.querySelector("ul")
  );
  var reset = el("button", { type: "button", class: "secondary", hidden: "", text: t("Reset") });
  var fulltext = el("a", { href: form.getAttribute("action"), text: t("Fulltext") });
  form.appendChild(el("div", { class: "finder-actions" }, [reset, fulltext]));

  function checkbox(facet, value, name, count) {
    var id = "f-" + facet + "-" + value;
    var input = el("input", { type: "checkbox", id: id, name: facet, value: value });
    input.checked = state[facet].indexOf(value) >= 0;
    return el("li", {}, [
      el("label", { for: id }, [input, el("span", { text: name }), el("span", { class: "count", text: count })]),
    ]);
  }
  function yearSelect(name, label) {
    var s = el("select", { id: "f-" + name, name: name });
    s.appendChild(el("option", { value: "", text: t("Any") }));
    years.forEach(function (y) {
      s.appendChild(el("option", { value: y, text: y }));
    });
    return { select: s, label: el("label", { for: "f-" + name }, [label, s]) };
  }

  // --- state <-> URL and controls ------------------------------------------
  function readUrl() {
    var p = new URLSearchParams(location.search);
    var s = emptyState();
    s.q = p.get("q") || "";
    facets.forEach(function (f) {
      s[f] = p.getAll(f);
    });
    s.von = p.get("von") || "";
    s.bis = p.get("bis") || "";
    return s;
  }
  function toQuery(s) {
    var p = new URLSearchParams();
    if (s.q) p.set("q", s.q);
    facets.forEach(function (f) {
      s[f].forEach(function (v) {
        p.append(f, v);
      });
    });
    if (s.von) p.set("von", s.von);
    if (s.bis) p.set("bis", s.bis);
    var q = p.toString();
    return q ? "?" + q : "";
  }
  function fromControls() {
    var s = emptyState();
    s.q = form.elements.q.value.trim();
    facets.forEach(function (f) {
      form.querySelectorAll('input[name="' + f + '"]:checked').forEach(function (i) {
        s[f].push(i.value);
      });
    });
    s.von = von.select.value;
    s.bis = bis.select.value;
    return s;
  }
  function toControls(s) {
    form.elements.q.value = s.q;
    facets.forEach(function (f) {
      form.querySelectorAll('input[name="' + f + '"]').forEach(function (i) {
        i.checked = s[f].indexOf(i.value) >= 0;
      });
    });
    von.select.value = years.indexOf(s.von) >= 0 ? s.von : "";
    bis.select.value = years.indexOf(s.bis) >= 0 ? s.bis : "";
  }
  function active(s) {
    return !!(s.q || s.thema.length || s.land.length || s.org.length || s.von || s.bis);
  }

  // --- data and matching ---------------------------------------------------
  function load() {
    if (!loading) {
      loading = fetch(ds.data)
        .then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        })
        .then(function (d) {
          data = d;
          data.slugIndex = {};
          facets.forEach(function (f) {
            var m = {};
            d[names[f]].forEach(function (v, i) {
              m[v[1]] = i;
            });
            data.slugIndex[f] = m;
          });
          d.entries.forEach(function (e) {
            var orgs = e[8].map(function (o) {
              return d.organisations[o][0];
            });
            e.hay = [e[1], e[3], e[4], orgs.join(" ")].join(" ").toLowerCase();
            e.orgNames = orgs;
          });
          return d;
        });
    }
    return loading;
  }
  function selected(s) {
    var sel = {};
    facets.forEach(function (f) {
      sel[f] = s[f]
        .map(function (v) {
          return data.slugIndex[f][v];
        })
        .filter(function (i) {
          return i !== undefined;
        });
    });
    sel.words = s.q.toLowerCase().split(/\s+/).filter(Boolean);
    sel.von = s.von ? parseInt(s.von, 10) : -Infinity;
    sel.bis = s.bis ? parseInt(s.bis, 10) : Infinity;
    return sel;
  }
  // Does entry e pass every filter except `skip`?
  function passes(e, sel, skip) {
    for (var k = 0; k < facets.length; k++) {
      var f = facets[k];
      if (f === skip || !sel[f].length) continue;
      var own = e[col[f]];
      if (!sel[f].some(function (i) { return own.indexOf(i) >= 0; })) return false;
    }
    if (skip !== "jahr" && (e[2] < sel.von || e[2] > sel.bis)) return false;
    for (var w = 0; w < sel.words.length; w++) {
      if (e.hay.indexOf(sel.words[w]) < 0) return false;
    }
    return true;
  }

  // --- rendering -----------------------------------------------------------
  function card(e) {
    var meta = [el("span", { text: String(e[2]) })];
    if (e[4]) meta.push(" · ", el("span", { text: e[4] }));
    if (e.orgNames.length) meta.push(" · ", el("span", { text: e.orgNames.join(", ") }));
    if (e[5]) meta.push(" · ", el("span", { class: "badge", text: t("Review") }));
    var tags = e[6].map(function (i) {
      var tp = data.topics[i];
      return el("li", {}, [el("a", { class: "tag", href: href("themen", tp[1]), text: tp[0] })]);
    });
    return el("article", { class: "card" }, [
      el("h3", {}, [el("a", { href: href(data.entry_dir, e[0]), text: e[1] })]),
      el("p", { class: "meta" }, meta),
      e[3] ? el("p", { text: e[3] }) : null,
      tags.length ? el("ul", { class: "tags", "aria-label": t("Topics") }, tags) : null,
    ]);
  }
  function setCount(input, n) {
    var c = input.parentNode.querySelector(".count");
    if (c) c.textContent = "(" + n + ")";
  }
  function updateCounts(sel) {
    facets.forEach(function (f) {
      var counts = {};
      data.entries.forEach(function (e) {
        if (!passes(e, sel, f)) return;
        e[col[f]].forEach(function (i) {
          counts[i] = (counts[i] || 0) + 1;
        });
      });
      if (f === "org") renderOrgs(counts);
      form.querySelectorAll('input[name="' + f + '"]').forEach(function (input) {
        setCount(input, counts[data.slugIndex[f][input.value]] || 0);
      });
    });
    var yc = {};
    data.entries.forEach(function (e) {
      if (passes(e, sel, "jahr")) yc[e[2]] = (yc[e[2]] || 0) + 1;
    });
    [von.select, bis.select].forEach(function (s) {
      Array.prototype.forEach.call(s.options, function (o) {
        if (o.value) o.textContent = o.value + " (" + (yc[o.value] || 0) + ")";
      });
    });
  }
  // The organisation list: the selected ones, then those matching the narrowing
  // text, most entries first; at most 30 shown.
  function renderOrgs(counts) {
    var box = orgBox.querySelector("ul");
    var needle = orgFilter.value.trim().toLowerCase();
    var chosen = state.org;
    var rows = data.organisations
      .map(function (o, i) {
        return { name: o[0], slug: o[1], n: counts[i] || 0 };
      })
      .filter(function (o) {
        if (chosen.indexOf(o.slug) >= 0) return true;
        if (needle) return o.name.toLowerCase().indexOf(needle) >= 0;
        return o.n > 0;
      })
      .sort(function (a, b) {
        var ca = chosen.indexOf(a.slug) >= 0, cb = chosen.indexOf(b.slug) >= 0;
        if (ca !== cb) return ca ? -1 : 1;
        return b.n - a.n || a.name.localeCompare(b.name, "de");
      })
      .slice(0, Math.max(30, chosen.length));
    var focused = document.activeElement && document.activeElement.name === "org" ? document.activeElement.value : null;
    box.textContent = "";
    rows.forEach(function (o) {
      box.appendChild(checkbox("org", o.slug, o.name, "(" + o.n + ")"));
    });
    if (focused) {
      var again = document.getElementById("f-org-" + focused);
      if (again) again.focus();
    }
  }
  function render(s, announce) {
    state = s;
    reset.hidden = !active(s);
    fulltext.setAttribute("href", form.getAttribute("action") + (s.q ? "?q=" + encodeURIComponent(s.q) : ""));
    if (!active(s)) {
      list.innerHTML = initialList;
      if (pagination) pagination.hidden = false;
      if (more) more.hidden = true;
      status.textContent = initialStatus;
      if (data) updateCounts(selected(s));
      return;
    }
    var sel = selected(s);
    var hits = data.entries.filter(function (e) {
      return passes(e, sel, null);
    });
    updateCounts(sel);
    if (pagination) pagination.hidden = true;
    list.textContent = "";
    hits.slice(0, shown).forEach(function (e) {
      list.appendChild(card(e));
    });
    if (!more) {
      more = el("button", { type: "button", id: "mehr", class: "secondary", text: t("More") });
      more.addEventListener("click", function () {
        var first = shown;
        shown += PAGE;
        render(state, false);
        var link = list.querySelectorAll(".card h3 a")[first];
        if (link) link.focus();
      });
      list.after(more);
    }
    more.hidden = hits.length <= shown;
    var text = hits.length === 0 ? t("FoundNone") : hits.length === 1 ? t("FoundOne") : t("FoundMany", hits.length);
    if (announce !== false || status.textContent !== text) status.textContent = text;
  }
  function update(push) {
    var s = fromControls();
    shown = PAGE;
    var query = toQuery(s);
    if (query !== location.search) {
      (push ? history.pushState : history.replaceState).call(history, null, "", query || location.pathname);
    }
    if (!active(s) && !data) {
      render(s);
      return;
    }
    status.textContent = data ? status.textContent : t("Loading");
    load()
      .then(function () {
        render(s);
      })
      .catch(function () {
        status.textContent = "";
      });
  }

  // --- events --------------------------------------------------------------
  form.addEventListener("change", function (ev) {
    if (ev.target === orgFilter || ev.target === form.elements.q) return;
    update(true);
  });
  form.elements.q.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () {
      update(false);
    }, 250);
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    clearTimeout(typing);
    update(true);
  });
  orgFilter.addEventListener("input", function () {
    load().then(function () {
      updateCounts(selected(state));
    });
  });
  orgFilter.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") ev.preventDefault();
  });
  orgFilter.addEventListener("focus", load, { once: true });
  reset.addEventListener("click", function () {
    toControls(emptyState());
    update(true);
    form.elements.q.focus();
  });
  window.addEventListener("popstate", function () {
    var s = readUrl();
    toControls(s);
    shown = PAGE;
    if (!active(s) && !data) return render(s);
    load().then(function () {
      render(s);
    });
  });

  var start = readUrl();
  if (active(start)) {
    toControls(start);
    status.textContent = t("Loading");
    load().then(function () {
      render(start);
    });
  }
})();
