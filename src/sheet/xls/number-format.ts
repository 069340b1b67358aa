/**
 * What a number cell shows: a date, a zero-padded whole number, or the plain number. Only the parts of
 * Excel's number formats that change what an administrator reads are interpreted; thousands separators,
 * currency and colours are not rendered, since imports want the value, not its decoration.
 */

export type NumberStyle =
  | { readonly kind: "number" }
  | { readonly kind: "date" }
  | { readonly kind: "padded"; readonly digits: number };

export const PLAIN_NUMBER: NumberStyle = { kind: "number" };
const DATE: NumberStyle = { kind: "date" };

// MS-XLS 2.4.126: built-in number formats that show dates or times (ids 14-22, 45-47, and the East Asian
// date formats 27-36 and 50-58).
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);

/** Classifies a format by its id and, when the workbook defines one, its format string. */
export function classifyNumberFormat(formatId: number, formatString: string | undefined): NumberStyle {
  if (formatString === undefined) {
    return BUILTIN_DATE_FORMATS.has(formatId) ? DATE : PLAIN_NUMBER;
  }
  return classifyFormatString(formatString);
}

export function classifyFormatString(format: string): NumberStyle {
  const section = stripLiterals(firstSection(format));
  if (section.toLowerCase().includes("general")) return PLAIN_NUMBER;
  if (/[ymdhs]/i.test(section)) return DATE;
  if (/^0+$/.test(section) && section.length > 1) return { kind: "padded", digits: section.length };
  return PLAIN_NUMBER;
}

function firstSection(format: string): string {
  let quoted = false;
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === "\\") i++;
    else if (ch === ";" && !quoted) return format.slice(0, i);
  }
  return format;
}

/** Removes quoted text, escaped characters, fill and padding directives, and [colour]/[locale] brackets. */
function stripLiterals(section: string): string {
  let out = "";
  for (let i = 0; i < section.length; i++) {
    const ch = section[i] ?? "";
    if (ch === '"') {
      const end = section.indexOf('"', i + 1);
      i = end < 0 ? section.length : end;
    } else if (ch === "\\" || ch === "_" || ch === "*") {
      i++;
    } else if (ch === "[") {
      // Colours, conditions, locales, and elapsed time: [h] alone counts hours, a duration and not a date.
      const end = section.indexOf("]", i + 1);
      i = end < 0 ? section.length : end;
    } else {
      out += ch;
    }
  }
  return out.trim();
}

/** A whole number without exponent or `.0`; anything else as the shortest decimal that round-trips. */
export function formatNumber(value: number, style: NumberStyle = PLAIN_NUMBER): string {
  if (style.kind === "padded" && Number.isFinite(value)) {
    const rounded = Math.round(Math.abs(value));
    const digits = formatWhole(rounded).padStart(style.digits, "0");
    return value < 0 && rounded !== 0 ? `-${digits}` : digits;
  }
  if (Number.isInteger(value)) return formatWhole(value);
  return String(value);
}

function formatWhole(value: number): string {
  // String() switches to exponent notation at 1e21; BigInt prints every digit of the double.
  return Math.abs(value) < 1e21 ? String(value === 0 ? 0 : value) : BigInt(value).toString();
}

const MS_PER_DAY = 86_400_000;
// Day 0 of each date system, in Unix milliseconds. In the 1900 system Excel counts a 29 February 1900 that
// never was, so serials from 61 on are one day late; before that, day 1 is 1 January 1900.
const EPOCH_1900_EARLY = Date.UTC(1899, 11, 31);
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
const LAST_SERIAL = 2_958_466; // 10000-01-01, beyond what Excel shows as a date

/** Whether a serial number can be shown as a date in this date system. */
export function isDateSerial(serial: number): boolean {
  return Number.isFinite(serial) && serial >= 0 && serial < LAST_SERIAL;
}

/**
 * ISO 8601 text for a date serial: `2024-03-01` at midnight, `2024-03-01T09:30:00` otherwise, and only the
 * time (`09:30:00`) for a time of day without a date (serial below 1). Rounded to the millisecond.
 */
export function formatDateSerial(serial: number, dateMode: 1900 | 1904): string {
  const totalMs = Math.round(serial * MS_PER_DAY);
  const days = Math.floor(totalMs / MS_PER_DAY);
  const msOfDay = totalMs - days * MS_PER_DAY;
  const time = formatTimeOfDay(msOfDay);
  if (days === 0 && msOfDay !== 0) return time;
  const epoch = dateMode === 1904 ? EPOCH_1904 : serial < 60 ? EPOCH_1900_EARLY : EPOCH_1900;
  const date = new Date(epoch + days * MS_PER_DAY).toISOString().slice(0, 10);
  return msOfDay === 0 ? date : `${date}T${time}`;
}

function formatTimeOfDay(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const frac = ms % 1000;
  const base = `${pad2(h)}:${pad2(m)}:${pad2(s)}`;
  return frac === 0 ? base : `${base}.${String(frac).padStart(3, "0")}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
