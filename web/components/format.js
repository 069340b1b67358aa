// How the console writes numbers, counts and times: one place, so every page agrees.

const numbers = new Intl.NumberFormat("en-US");

/** 65535 as "65,535" (thousands separators everywhere a count is shown). @param {number} n */
export const formatNumber = (n) => numbers.format(n);

/**
 * "1 error", "1,000 errors".
 * @param {number} n
 * @param {string} word
 */
export const plural = (n, word) => `${formatNumber(n)} ${n === 1 ? word : `${word}s`}`;

/** @type {Map<string, Intl.DateTimeFormat>} */
const timeFormats = new Map();

/** @param {string | undefined} timeZone */
function timeFormat(timeZone) {
  const key = timeZone ?? "";
  let format = timeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      ...(timeZone ? { timeZone } : {}),
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    timeFormats.set(key, format);
  }
  return format;
}

/**
 * An ISO-8601 time as "2026-01-05 10:00:00 GMT+1": the reader's time zone (or `timeZone`), always named, so
 * a time read on a phone abroad or pasted into a ticket is never ambiguous. Text that is no time is kept.
 * @param {string} iso
 * @param {string} [timeZone] an IANA name; the browser's own when absent
 */
export function when(iso, timeZone) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  /** @type {Record<string, string>} */
  const part = {};
  for (const { type, value } of timeFormat(timeZone).formatToParts(date)) part[type] = value;
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second} ${part.timeZoneName}`;
}

/**
 * A duration in milliseconds as "850 ms", "12.4 s", "3 min 05 s", "2 h 07 min".
 * @param {number} ms
 */
export function duration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

/**
 * "yes_no_invalid: 786,420, alias_invalid: 196,605", most frequent first.
 * @param {Readonly<Record<string, number>>} counts
 */
export function countsText(counts) {
  return Object.entries(counts)
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
    .map(([code, n]) => `${code}: ${formatNumber(n)}`)
    .join(", ");
}
