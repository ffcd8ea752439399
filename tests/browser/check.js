// The report in a real browser (headless Chromium via puppeteer-core):
// a full-page screenshot, the counts of lanes, marks and rows in the DOM
// against counts worked out here from the JSON the report was made from,
// the filters, sorting, keyboard focus, the page without JavaScript, and
// axe-core (fails on serious or critical violations).
//
//   node check.js --html report.html --json run.json [--png report.png] [--width 1280]
//
// Prints one line per check; exits 1 when one fails, 2 on bad arguments.
"use strict";
const fs = require("fs");
const path = require("path");
const puppeteer = require("puppeteer-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

function args() {
  const a = { width: 1280 };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i += 2) a[v[i].replace(/^--/, "")] = v[i + 1];
  if (!a.html || !a.json) {
    console.error("usage: node check.js --html FILE --json FILE [--png FILE] [--width N]");
    process.exit(2);
  }
  return a;
}

// What the page must show, from the extract JSON (the same rules the report states).
function expected(run) {
  const docs = Array.isArray(run) ? run : run.documents;
  const dated = (r) => typeof r.date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(r.date.trim()) && !isNaN(Date.parse(r.date.trim()));
  const ok = docs.filter((d) => d.status === "ok");
  return {
    lanes: ok.length,
    marks: ok.reduce((n, d) => n + d.records.filter(dated).length, 0),
    payments: ok.reduce((n, d) => n + d.records.filter((r) => dated(r) && r.kind === "payment").length, 0),
    rows: docs.reduce((n, d) => n + d.records.length, 0),
    failed: docs.length - ok.length,
    perContract: ok.map((d) => ({ path: d.path, rows: d.records.length })),
    firstOk: ok.length ? docs.indexOf(ok[0]) : -1,
    firstOkMarks: ok.length ? ok[0].records.filter(dated).length : 0,
  };
}

function readRun(file) {
  const text = fs.readFileSync(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (_) {
    return text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  }
}

async function main() {
  const a = args();
  const want = expected(readRun(a.json));
  const url = "file://" + path.resolve(a.html);
  const failures = [];
  const check = (name, ok, detail) => {
    console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ": " + detail : ""}`);
    if (!ok) failures.push(name);
  };
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: Number(a.width), height: 900, deviceScaleFactor: 1 });
    // Self-contained: the page may load nothing but itself.
    const elsewhere = [];
    await page.setRequestInterception(true);
    page.on("request", (r) => {
      if (r.url() !== url && !r.url().startsWith("data:")) elsewhere.push(r.url());
      r.url() === url || r.url().startsWith("data:") ? r.continue() : r.abort();
    });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url, { waitUntil: "load" });
    check("no request beyond the file", elsewhere.length === 0, elsewhere.slice(0, 3).join(" "));
    check("no script error", errors.length === 0, errors.join("; "));

    if (a.png) {
      await page.screenshot({ path: a.png, fullPage: true });
      console.log(`     screenshot ${a.png}`);
    }

    const got = await page.evaluate(() => ({
      lanes: document.querySelectorAll("svg.timeline g.lane").length,
      marks: document.querySelectorAll("svg.timeline g.mark").length,
      rows: document.querySelectorAll("table.schedule tbody tr.rec").length,
      failed: document.querySelectorAll("table.failed tbody tr").length,
      perContract: Array.from(document.querySelectorAll("article.contract")).map((a) => ({ path: a.querySelector("h3").textContent, rows: a.querySelectorAll("tr.rec").length })),
      focusableMarks: Array.from(document.querySelectorAll("g.mark")).filter((m) => m.getAttribute("tabindex") === "0").length,
    }));
    for (const k of ["lanes", "marks", "rows", "failed"]) check(`${k} in the DOM = JSON`, got[k] === want[k], `${got[k]} vs ${want[k]}`);
    check("rows per contract = JSON", JSON.stringify(got.perContract) === JSON.stringify(want.perContract));
    check("every mark is focusable", got.focusableMarks === want.marks, `${got.focusableMarks}`);

    // Filters: no payments; then one contract.
    const filtered = await page.evaluate((firstOk) => {
      const form = document.getElementById("filters");
      const visible = () => Array.from(document.querySelectorAll("g.mark")).filter((m) => !m.classList.contains("is-hidden")).length;
      const result = { formShown: !form.hidden };
      form.querySelector("input[value=payment]").click();
      result.noPayments = visible();
      form.reset();
      form.dispatchEvent(new Event("reset"));
      form.querySelector("input[value=payment]").checked = true;
      const sel = form.elements.contract;
      sel.value = "c" + (firstOk + 1);
      sel.dispatchEvent(new Event("change", { bubbles: true }));
      result.oneContract = visible();
      result.lanesShown = Array.from(document.querySelectorAll("g.lane")).filter((l) => !l.classList.contains("is-hidden")).length;
      sel.value = "";
      sel.dispatchEvent(new Event("change", { bubbles: true }));
      result.all = visible();
      return result;
    }, want.firstOk);
    check("filter form shown with JavaScript", filtered.formShown);
    check("kind filter hides payments", filtered.noPayments === want.marks - want.payments, `${filtered.noPayments} vs ${want.marks - want.payments}`);
    if (want.lanes > 0) {
      check("contract filter shows one lane", filtered.lanesShown === 1 && filtered.oneContract === want.firstOkMarks, `${filtered.lanesShown} lanes, ${filtered.oneContract} marks`);
    }
    check("clearing the filter shows every mark", filtered.all === want.marks);

    // Sorting: a header button orders the rows and says so (aria-sort).
    if (want.rows > 0) {
      const sorted = await page.evaluate(() => {
        const table = document.querySelector("table.schedule");
        const th = Array.from(table.querySelectorAll("thead th")).find((t) => t.textContent.trim() === "Page");
        th.querySelector("button").click();
        const pages = Array.from(table.tBodies[0].rows).map((r) => Number(r.cells[5].textContent));
        return { sort: th.getAttribute("aria-sort"), ordered: pages.every((p, i) => i === 0 || pages[i - 1] <= p) };
      });
      check("sortable header", sorted.sort === "ascending" && sorted.ordered, JSON.stringify(sorted));
    }

    // Keyboard: the first Tab reaches the skip link; Tab reaches a mark, whose tooltip shows.
    await page.reload({ waitUntil: "load" });
    await page.keyboard.press("Tab");
    const first = await page.evaluate(() => document.activeElement.className);
    check("first Tab: skip link", first === "skip", first);
    if (want.marks > 0) {
      let onMark = false;
      for (let i = 0; i < 400 && !onMark; i++) {
        await page.keyboard.press("Tab");
        onMark = await page.evaluate(() => document.activeElement.classList.contains("mark"));
      }
      const tip = await page.evaluate(() => {
        const t = document.getElementById("tip");
        return { hidden: t.hidden, text: t.textContent, name: document.activeElement.dataset.name };
      });
      check("Tab reaches a mark; its tooltip shows", onMark && !tip.hidden && tip.text.includes(tip.name), tip.text.slice(0, 80));
    }

    // axe-core: no serious or critical violation.
    await page.evaluate(axeSource);
    const axe = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ["violations"] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, where: v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ") }));
    });
    for (const v of axe) console.log(`     axe ${v.impact}: ${v.id} (${v.nodes} nodes): ${v.help} [${v.where}]`);
    const bad = axe.filter((v) => v.impact === "serious" || v.impact === "critical");
    check("axe-core: no serious or critical violation", bad.length === 0, `${axe.length} violations, ${bad.length} serious or critical`);

    // Without JavaScript everything is there and visible.
    const plain = await browser.newPage();
    await plain.setJavaScriptEnabled(false);
    await plain.setViewport({ width: Number(a.width), height: 900 });
    await plain.goto(url, { waitUntil: "load" });
    const nojs = await plain.evaluate(() => ({
      marks: document.querySelectorAll("g.mark").length,
      rows: Array.from(document.querySelectorAll("tr.rec")).filter((r) => r.getClientRects().length > 0).length,
      form: document.getElementById("filters").getClientRects().length,
      bars: document.querySelectorAll("svg.bars rect.bar").length,
    }));
    check("without JavaScript: every row visible, marks drawn, no inert filters", nojs.rows === want.rows && nojs.marks === want.marks && nojs.form === 0, JSON.stringify(nojs));
  } finally {
    await browser.close();
  }
  console.log(failures.length ? `${failures.length} check(s) failed: ${failures.join(", ")}` : "all browser checks passed");
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
