// A banner above every page while an import of the signed-in administrator runs: its stage, percent,
// elapsed time and an estimate of the time left. It asks the server (the history's first page), so it is
// back after a reload, and follows the import to its end.
import { call, enc } from "../api.js";
import { el, fill } from "../dom.js";
import { serverFacts } from "../server-facts.js";
import { duration, formatNumber } from "./format.js";
/** @import { ImportListItem, Me, Meta } from "../api-types.js" */

/** The page's pace while an import runs; a page with none asks only when shown. */
export const BANNER_POLL_MS = 1000;
/** Started imports are on the history's first page: a few lines are enough. */
const LOOKED_AT = 10;
/**
 * The event a page sends when it starts an import or sees one end, so the banner shows (or goes) without
 * waiting for its next look.
 */
export const IMPORTS_CHANGED_EVENT = "mailroster:imports-changed";

/**
 * What the banner reads of an import (a history line or a detail view).
 * @typedef {Pick<ImportListItem, "file" | "at" | "progress"> & { importId: string | null }} RunningImport
 */

/**
 * Where a stage's progress started, per import: the rate since then gives the estimate.
 * @typedef {Map<string, { stage: string, at: number, done: number }>} RateMemory
 */

/**
 * What the banner says of one running import.
 * @param {RunningImport} item
 * @param {Meta} meta
 * @param {number} now milliseconds
 * @param {RateMemory} memory updated: a new stage starts a new measure
 * @returns {{ stage: string, percent: number | undefined, elapsedMs: number, etaMs: number | undefined }}
 */
export function describeRunning(item, meta, now, memory) {
  const progress = item.progress;
  const stage = progress
    ? (meta.importStages.find((s) => s.stage === progress.stage)?.label ?? progress.stage)
    : "Starting";
  const elapsedMs = Math.max(0, now - Date.parse(item.at));
  if (!progress || progress.total <= 0) return { stage, percent: undefined, elapsedMs, etaMs: undefined };
  const percent = Math.min(100, Math.floor((progress.done / progress.total) * 100));
  const key = item.importId ?? item.file;
  const seen = memory.get(key);
  if (!seen || seen.stage !== progress.stage || progress.done < seen.done) {
    memory.set(key, { stage: progress.stage, at: now, done: progress.done });
    return { stage, percent, elapsedMs, etaMs: undefined };
  }
  const rate = (progress.done - seen.done) / Math.max(1, now - seen.at);
  // No estimate before the stage has moved: "0 s left" from the start would be a guess.
  const etaMs = rate > 0 ? (progress.total - progress.done) / rate : undefined;
  return { stage, percent, elapsedMs, etaMs };
}

/**
 * The banner's text for one import: "Importing users.xls: Saving 45% (2,250 of 5,000), 12.4 s so far,
 * about 15.0 s left".
 * @param {RunningImport} item
 * @param {ReturnType<typeof describeRunning>} d
 */
export function bannerText(item, d) {
  const p = item.progress;
  const amount =
    d.percent === undefined || !p
      ? ""
      : ` ${d.percent}% (${formatNumber(p.done)} of ${formatNumber(p.total)})`;
  const left = d.etaMs === undefined ? "" : `, about ${duration(d.etaMs)} left`;
  return `Importing ${item.file}: ${d.stage}${amount}, ${duration(d.elapsedMs)} so far${left}`;
}

/**
 * Draws the running imports into `node` (hidden when there are none).
 * @param {HTMLElement} node
 * @param {ImportListItem[]} running
 * @param {Meta} meta
 * @param {number} now
 * @param {RateMemory} memory
 */
export function drawBanner(node, running, meta, now, memory) {
  node.hidden = running.length === 0;
  fill(
    node,
    ...running.map((item) => {
      const d = describeRunning(item, meta, now, memory);
      const bar = el("progress", { max: 100, "aria-label": `Progress of ${item.file}` });
      if (d.percent !== undefined) bar.value = d.percent;
      return el(
        "p",
        { class: "import-banner-line" },
        el("span", { class: "import-banner-text" }, bannerText(item, d)),
        " ",
        bar,
        " ",
        el("a", { href: `#/imports/${enc(item.importId)}` }, "View"),
      );
    }),
  );
}

/**
 * Mounts the banner before `before` (the page's main area).
 * @param {HTMLElement} before
 * @param {() => Me | undefined} signedIn who is signed in now, if anyone
 * @returns {{ node: HTMLElement, check: () => Promise<void> }}
 */
export function mountImportBanner(before, signedIn) {
  const node = el("div", {
    class: "status import-banner",
    role: "status",
    "aria-live": "polite",
    hidden: true,
  });
  before.before(node);
  /** @type {RateMemory} */
  const memory = new Map();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let asking = false;
  const check = async () => {
    const me = signedIn();
    if (asking) return;
    clearTimeout(timer);
    if (!me) {
      // Not signed in yet (the first page is still asking who is): look again soon, locally.
      node.hidden = true;
      timer = setTimeout(() => void check(), BANNER_POLL_MS);
      return;
    }
    if (me.passwordChange !== null || !me.permissions.includes("import_users")) {
      node.hidden = true;
      return;
    }
    asking = true;
    try {
      const [meta, page] = await Promise.all([
        serverFacts(),
        call("GET /imports", { query: { page: 1, pageSize: LOOKED_AT } }),
      ]);
      const running = page.items.filter(
        (i) => i.by === me.email && meta.runningImportStates.includes(i.state),
      );
      drawBanner(node, running, meta, Date.now(), memory);
      if (running.length > 0) timer = setTimeout(() => void check(), BANNER_POLL_MS);
    } catch {
      // The banner is a courtesy: a failed look leaves it hidden, and the next page asks again.
      node.hidden = true;
    } finally {
      asking = false;
    }
  };
  window.addEventListener("hashchange", () => void check());
  window.addEventListener(IMPORTS_CHANGED_EVENT, () => void check());
  setTimeout(() => void check(), 0);
  return { node, check };
}
