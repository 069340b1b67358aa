// How the console writes numbers, counts and times.

/** @param {number} n */
export const formatNumber = (n) => n.toLocaleString("en-US");

/**
 * "1 error", "1,000 errors".
 * @param {number} n
 * @param {string} word
 */
export const plural = (n, word) => `${formatNumber(n)} ${n === 1 ? word : `${word}s`}`;

/**
 * An ISO-8601 time as "2026-01-05 09:00:00".
 * @param {string} iso
 */
export const when = (iso) => iso.replace("T", " ").slice(0, 19);

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
