// Browser test of the built site: accessibility (axe-core, WCAG 2.0/2.1 A and AA,
// light and dark scheme), filter lists without sideways scrolling at 320, 768 and
// 1280 px, a reader's journey through finder, search, entry and breadcrumb, no
// request off the loopback host, no CSP violation, screenshots.
//
//   node tests/browser/run.mjs SITE_DIR [SCREENSHOT_DIR]
//
// SITE_DIR is a built site (its public/ folder). It is served on 127.0.0.1 under
// the sub-path /katalog/ to prove that relative links work.

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const site = path.resolve(process.argv[2] || "public");
const shots = process.argv[3] ? path.resolve(process.argv[3]) : null;
const BASE = "/katalog/";
const failures = [];
const fail = (msg) => {
  failures.push(msg);
  console.log(`FAIL ${msg}`);
};
const ok = (msg) => console.log(`ok   ${msg}`);

// --- a tiny static server ------------------------------------------------------
const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png",
  ".wasm": "application/wasm",
};
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://127.0.0.1");
  let rel = decodeURIComponent(url.pathname);
  // The site lives under BASE; the server root only answers for the 404 page,
  // which without base_url links from "/" (it is served at any depth).
  if (rel.startsWith(BASE)) rel = rel.slice(BASE.length);
  else if (rel === "/style.css" || rel === "/404.html") rel = rel.slice(1);
  else return notFound(res);
  let file = path.join(site, rel);
  if (!file.startsWith(site)) return notFound(res);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  if (!fs.existsSync(file)) return notFound(res);
  res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
  fs.createReadStream(file).pipe(res);
});
function notFound(res) {
  res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
  fs.createReadStream(path.join(site, "404.html")).pipe(res);
}
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;
const root = origin + BASE;

// --- the browser -----------------------------------------------------------------
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "praxis-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const offsite = [];
// serve's review page (REVIEW_URL, set by .ci/browser-test) runs on a port of its own
const reviewUrl = process.env.REVIEW_URL || null;
const allowedPorts = [String(server.address().port)];
if (reviewUrl) allowedPorts.push(new URL(reviewUrl).port);
await context.route("**/*", (route) => {
  const u = new URL(route.request().url());
  if (u.protocol === "data:" || (u.hostname === "127.0.0.1" && allowedPorts.includes(u.port))) {
    return route.continue();
  }
  offsite.push(route.request().url());
  return route.abort();
});
context.on("request", (r) => {
  const u = new URL(r.url());
  if (u.protocol !== "data:" && u.hostname !== "127.0.0.1") offsite.push(r.url());
});
async function newPage(viewport = { width: 1280, height: 900 }) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) fail(`CSP: ${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => fail(`script error on ${page.url()}: ${e.message}`));
  return page;
}

// --- what to visit -----------------------------------------------------------------
const data = JSON.parse(fs.readFileSync(path.join(site, "filter.json"), "utf8"));
if (!data.entries.length) {
  fail("the site has no entries");
}
const page = await newPage();
// An entry with the deepest region trail, so the place page is a real place.
await page.goto(root);
let best = null;
for (const e of data.entries.slice(0, 40)) {
  await page.goto(`${root}${data.entry_dir}/${e[0]}/`);
  const trail = await page.$$eval(".facts .trail a", (as) => as.map((a) => a.href));
  if (!best || trail.length > best.trail.length) best = { e, trail };
  if (trail.length >= 3) break;
}
const entry = best.e;
const entryUrl = `${root}${data.entry_dir}/${entry[0]}/`;
const topicUrl = `${root}themen/${data.topics[entry[6][0]][1]}/`;
const landUrl = best.trail[0];
const placeUrl = best.trail[best.trail.length - 1];
const pages = {
  home: root,
  entry: entryUrl,
  topic: topicUrl,
  land: landUrl,
  place: placeUrl,
  search: `${root}suche/`,
  "404": `${origin}/gibt-es-nicht/`,
};

// serve's review page and the first entry page it links to (with its fields under
// review highlighted): only serve has them
if (reviewUrl) {
  pages.review = reviewUrl;
  await page.goto(reviewUrl);
  const first = await page.$eval(".review-item h2 a", (a) => a.href).catch(() => null);
  const evidence = await page.$$eval(".source mark", (m) => m.length);
  if (!first) fail("review page: no open review item listed");
  else {
    pages["entry in review"] = first;
    ok(`review page: lists open items, ${evidence} evidence lines marked in their seeds`);
    await page.goto(first);
    const box = await page.$$eval(".review-box", (b) => b.length);
    if (!box) fail(`entry in review: no highlighted review box on ${first}`);
    else ok("entry in review: the fields under review are highlighted");
  }
}

// --- accessibility -------------------------------------------------------------------
for (const scheme of ["light", "dark"]) {
  await page.emulateMedia({ colorScheme: scheme });
  for (const [name, url] of Object.entries(pages)) {
    await page.goto(url);
    if (name === "search") {
      await page.fill("#q", entry[1].split(/\s+/).find((w) => w.length > 5) || "Verwaltung");
      await page.waitForSelector(".search-result", { timeout: 10000 }).catch(() => {});
    }
    await page.evaluate(axeSource);
    const result = await page.evaluate(() =>
      // eslint-disable-next-line no-undef
      axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
    );
    if (result.violations.length) {
      for (const v of result.violations) {
        fail(`axe ${scheme} ${name}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
      }
    } else {
      ok(`axe ${scheme} ${name}: 0 violations (${result.passes.length} rules passed)`);
    }
  }
}
await page.emulateMedia({ colorScheme: "light" });

// --- structure every page shares -----------------------------------------------------
for (const [name, url] of Object.entries(pages)) {
  await page.goto(url);
  const h1 = await page.$$eval("h1", (h) => h.length);
  const crumbs = await page.$$eval("nav.breadcrumbs li", (l) => l.length);
  const skip = await page.$$eval('a.skip[href="#inhalt"]', (l) => l.length);
  const lang = await page.getAttribute("html", "lang");
  if (h1 !== 1 || !crumbs || !skip || !lang) fail(`${name}: h1=${h1} breadcrumbs=${crumbs} skip=${skip} lang=${lang}`);
  else ok(`${name}: one h1, breadcrumbs, skip link, lang=${lang}`);
}

// --- filter lists never scroll sideways --------------------------------------------
// Long topic and organisation names wrap and keep their counts in view: no filter
// box of the finder may be wider inside than it is (issue 18), from phone to desktop.
for (const width of [320, 768, 1280]) {
  const p = await newPage({ width, height: 900 });
  await p.goto(root);
  // the finder has turned the links into checkboxes and listed the organisations
  await p.waitForSelector('[data-facet="org"] input[type=checkbox]', { timeout: 10000 }).catch(() => {});
  const boxes = await p.$$eval(".finder .facet, .finder .facet ul", (els) =>
    els.map((e) => ({
      what: (e.closest(".facet").dataset.facet || "?") + (e.tagName === "UL" ? " list" : " box"),
      scroll: e.scrollWidth,
      client: e.clientWidth,
    }))
  );
  const doc = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  const wide = boxes.filter((b) => b.scroll > b.client);
  if (!boxes.length) fail(`filters at ${width} px: no filter box found`);
  else if (wide.length) fail(`filters at ${width} px scroll sideways: ${wide.map((b) => `${b.what} ${b.scroll} > ${b.client}`).join(", ")}`);
  else if (doc.scroll > doc.client) fail(`home page at ${width} px scrolls sideways: ${doc.scroll} > ${doc.client}`);
  else ok(`filters at ${width} px: ${boxes.length} boxes and lists, none scrolls sideways`);
  await p.close();
}

// --- journey: finder -----------------------------------------------------------------
{
  // A topic and a Land that together have entries (the first entry's).
  const t = entry[6][0];
  const l = entry[7][0];
  const expected = data.entries.filter((e) => e[6].includes(t) && e[7].includes(l));
  await page.goto(root);
  await page.check(`#f-thema-${data.topics[t][1]}`);
  await page.check(`#f-land-${data.lands[l][1]}`);
  const want = expected.length === 1 ? "1 " : `${expected.length} `;
  await page.waitForFunction((w) => document.getElementById("treffer").textContent.startsWith(w), want, { timeout: 10000 })
    .catch(() => {});
  const status = await page.textContent("#treffer");
  const listed = await page.$$eval("#ergebnisse .card h3 a", (as) => as.map((a) => a.getAttribute("href")));
  const slugs = new Set(expected.map((e) => e[0]));
  const slugOf = (h) => (h.match(new RegExp(`${data.entry_dir}/([^/]+)/`)) || [])[1];
  const wrong = listed.filter((h) => !slugs.has(slugOf(h)));
  if (!status.startsWith(want)) fail(`finder: status "${status}", expected ${expected.length}`);
  else if (listed.length !== Math.min(expected.length, 20)) fail(`finder: ${listed.length} cards listed, expected ${Math.min(expected.length, 20)}`);
  else if (wrong.length) fail(`finder: cards not matching the filters: ${wrong.join(", ")}`);
  else ok(`finder: topic "${data.topics[t][0]}" + Land "${data.lands[l][0]}" -> ${expected.length}, every card matches`);
  const query = new URL(page.url()).search;
  if (!query.includes("thema=") || !query.includes("land=")) fail(`finder: state not in the URL (${query})`);
  await page.goto(page.url());
  await page.waitForFunction((w) => document.getElementById("treffer").textContent.startsWith(w), want, { timeout: 10000 })
    .then(() => ok(`finder: the URL ${query} restores the filters`))
    .catch(() => fail("finder: reloading the URL does not restore the filters"));
  await page.goBack();
  await page.waitForTimeout(300);
  const back = await page.isChecked(`#f-land-${data.lands[l][1]}`);
  if (back) fail("finder: the back button does not undo the last filter");
  else ok("finder: the back button undoes the last filter");
}

// --- journey: search, open the entry, breadcrumb to its Land --------------------------
{
  const word = entry[1].split(/[\s:–-]+/).filter((w) => /^\p{L}{6,}$/u.test(w)).sort((a, b) => b.length - a.length)[0] || entry[1];
  await page.goto(`${root}suche/`);
  await page.fill("#q", word);
  const link = `.search-result a[href*="${data.entry_dir}/${entry[0]}/"]`;
  await page.waitForSelector(link, { timeout: 15000 })
    .then(() => ok(`search: "${word}" finds "${entry[1]}"`))
    .catch(async () => fail(`search: "${word}" does not find ${entry[0]} (status: ${await page.textContent("#treffer")})`));
  // The same word lowercased, umlauts and ß written out plainly, finds it too, and
  // the live region says how many results there are.
  const plain = word.toLowerCase().replace(/ä/g, "a").replace(/ö/g, "o").replace(/ü/g, "u").replace(/ß/g, "ss");
  await page.fill("#q", plain);
  await page.waitForSelector(link, { timeout: 15000 })
    .then(async () => {
      const said = await page.textContent("#treffer[role=status]");
      if (!/\d|Ein|One/.test(said || "")) fail(`search: the live region says "${said}"`);
      else ok(`search: "${plain}" finds it too; announced "${said}"`);
    })
    .catch(async () => fail(`search: "${plain}" does not find ${entry[0]} (status: ${await page.textContent("#treffer")})`));
  await page.fill("#q", word);
  await page.waitForSelector(link, { timeout: 15000 }).catch(() => {});
  if (shots) {
    for (const [w, h, tag] of [[1280, 900, "desktop"], [375, 812, "mobile"]]) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: path.join(shots, `search-${tag}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  if (await page.$(link)) {
    await page.click(link);
    await page.waitForLoadState();
    const h1 = await page.textContent("h1");
    if (h1.trim() !== entry[1]) fail(`search: the result opened "${h1}"`);
    else ok("search: the result opens the entry");
    const crumb = page.locator("nav.breadcrumbs li a").nth(2);
    const landName = (await crumb.textContent()).trim();
    await crumb.click();
    await page.waitForLoadState();
    const landH1 = (await page.textContent("h1")).trim();
    if (landH1 !== landName) fail(`breadcrumb: went to "${landH1}", expected "${landName}"`);
    else ok(`breadcrumb: entry -> Land page "${landH1}"`);
  }
}

// --- screenshots ------------------------------------------------------------------------
if (shots) {
  fs.mkdirSync(shots, { recursive: true });
  for (const [w, h, tag] of [[1280, 900, "desktop"], [375, 812, "mobile"]]) {
    const p = await newPage({ width: w, height: h });
    for (const [name, url] of [["home", root], ["entry", entryUrl]]) {
      await p.goto(url);
      await p.screenshot({ path: path.join(shots, `${name}-${tag}.png`) });
    }
    await p.emulateMedia({ colorScheme: "dark" });
    await p.goto(root);
    await p.screenshot({ path: path.join(shots, `home-dark-${tag}.png`) });
    await p.close();
  }
  if (reviewUrl) {
    const p = await newPage({ width: 1280, height: 1000 });
    await p.goto(reviewUrl);
    await p.screenshot({ path: path.join(shots, "review.png") });
    await p.close();
  }
  ok(`screenshots in ${shots}`);
}

// --- page weight of the home page --------------------------------------------------------
{
  const size = (f) => fs.statSync(path.join(site, f)).size;
  const html = fs.readFileSync(path.join(site, "index.html"), "utf8");
  const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1].replace(/^(\.\.\/)*/, ""));
  const total = size("index.html") + size("style.css") + scripts.reduce((n, s) => n + size(s), 0);
  const kb = (total / 1024).toFixed(1);
  if (total > 100 * 1024) fail(`home page weight ${kb} KB > 100 KB (${data.entries.length} entries)`);
  else ok(`home page weight ${kb} KB (HTML+CSS+JS, ${data.entries.length} entries)`);
}

if (offsite.length) fail(`requests left the loopback host: ${[...new Set(offsite)].join(", ")}`);
else ok("no request left the loopback host");

await context.close();
server.close();
fs.rmSync(profile, { recursive: true, force: true });
console.log(failures.length ? `\n${failures.length} failure(s)` : "\nall browser checks passed");
process.exit(failures.length ? 1 : 0);
