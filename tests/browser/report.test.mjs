// generated/report.html as a person uses it, in Debian's Chromium (headless, driven by
// playwright-core): the filter narrows the grid, links open the collapsed section they point
// into, and the page loads nothing from anywhere else. Screenshots go to target/artifacts/
// for review. Run by tests/browser/run.sh, which installs what this needs.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const REPORT = pathToFileURL(path.join(root, "generated/report.html")).href;
const ARTIFACTS = process.env.ARTIFACTS_DIR || path.join(root, "target/artifacts");
const FLAGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];
const CHANGE = "v1.51-v1.52:response-property-removed:NetworkSettings.IPAddress";

let browser;
before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // A fresh temporary profile per launch, removed on close (Playwright's own --user-data-dir).
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, args: FLAGS });
});
after(async () => {
  await browser?.close();
});

/** A new page on the report (with `hash`), and every URL it requested. */
async function open(hash = "") {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(REPORT + hash);
  return { page, requests, errors };
}

/** The operations of the grid rows that are shown. */
const shownRows = (page) =>
  page.$$eval("#grid tbody tr", (rows) => rows.filter((r) => r.style.display !== "none").map((r) => r.dataset.op));

/** Whether `selector` is displayed and inside the viewport. */
async function inView(page, selector) {
  const locator = page.locator(selector);
  if (!(await locator.isVisible())) return false;
  const box = await locator.boundingBox();
  const { height } = page.viewportSize();
  return box !== null && box.y >= 0 && box.y < height;
}

test("the filter narrows the grid, by text and by tag", async () => {
  const { page, errors } = await open();
  const all = await shownRows(page);
  assert.ok(all.length > 100, `only ${all.length} operations in the grid`);
  assert.equal(await page.textContent("#count"), `${all.length} operations shown`);

  await page.fill("#q", "volume");
  const volume = await shownRows(page);
  assert.ok(volume.length > 0 && volume.length < all.length, `${volume.length} of ${all.length}`);
  assert.ok(volume.every((op) => /volume/i.test(op)), volume.join(", "));
  assert.ok(volume.includes("VolumeCreate"));
  assert.equal(await page.textContent("#count"), `${volume.length} operations shown`);
  const histories = await page.$$eval("#history > section", (s) => s.filter((x) => x.style.display !== "none").length);
  assert.equal(histories, volume.length, "the operation histories follow the filter");

  await page.fill("#q", "");
  await page.selectOption("#tag", "Exec");
  const exec = await shownRows(page);
  assert.deepEqual([...exec].sort(), ["ContainerExec", "ExecInspect", "ExecResize", "ExecStart"]);
  await page.selectOption("#tag", "");
  await page.fill("#q", "no such operation anywhere");
  assert.deepEqual(await shownRows(page), []);
  await page.screenshot({ path: path.join(ARTIFACTS, "report-filtered.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("a grid cell opens its version pair's collapsed section", async () => {
  const { page, errors } = await open();
  const section = "section#v1\\.51-v1\\.52";
  assert.equal(await page.$eval(`${section} > details`, (d) => d.open), false, "collapsed at first");
  await page.click('#grid tr[data-op="ContainerInspect"] a[href="#v1.51-v1.52"]');
  assert.equal(await page.evaluate(() => location.hash), "#v1.51-v1.52");
  assert.equal(await page.$eval(`${section} > details`, (d) => d.open), true, "opened by the link");
  assert.ok(await inView(page, section), "scrolled to the section");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a link to a change opens its section, also from an operation's history", async () => {
  const loaded = await open(`#${encodeURIComponent(CHANGE)}`);
  const target = `[id="${CHANGE}"]`;
  assert.ok(await inView(loaded.page, target), "the change is shown when the page opens on it");
  assert.match(await loaded.page.textContent(target), /NetworkSettings\.IPAddress/);
  await loaded.page.screenshot({ path: path.join(ARTIFACTS, "report-change.png") });
  await loaded.page.close();

  const { page, errors } = await open();
  await page.click('#grid tr[data-op="ContainerInspect"] th a');
  assert.equal(await page.$eval("#op-ContainerInspect > details", (d) => d.open), true, "history opened");
  assert.equal(await page.$eval("section#v1\\.51-v1\\.52 > details", (d) => d.open), false);
  await page.click(`#op-ContainerInspect a[href="#${CHANGE}"]`);
  assert.ok(await inView(page, target), "the change is shown after following the history's link");
  assert.equal(await page.$eval("section#v1\\.51-v1\\.52 > details", (d) => d.open), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a link clears a filter that hides its target", async () => {
  const { page, errors } = await open();
  await page.fill("#q", "volume");
  assert.equal(await page.isVisible("#op-ContainerInspect"), false);
  await page.evaluate(() => { location.hash = "#op-ContainerInspect"; });
  await page.waitForFunction(() => document.getElementById("q").value === "");
  assert.ok(await inView(page, "#op-ContainerInspect"));
  assert.ok((await shownRows(page)).length > 100, "the whole grid is back");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the page is self-contained and has a screenshot", async () => {
  const { page, requests, errors } = await open();
  await page.waitForLoadState("load");
  assert.deepEqual(requests, [REPORT], "loaded something besides the page");
  const external = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name));
  assert.deepEqual(external, []);
  await page.screenshot({ path: path.join(ARTIFACTS, "report.png") });
  assert.deepEqual(errors, []);
  await page.close();
});
