/**
 * The near-miss rule for headers: which known header an unknown one was probably meant to be ("emial" ->
 * "email", "alias 1" -> "alias1"). Compared without case, spaces, "_" and "-", by edit distance (a swap of two
 * neighbours counts as one edit): one edit for short headers, two from eight characters on.
 */
export function squashHeader(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, "");
}

/** Optimal string alignment distance, stopping early once it is over `max` (headers are short). */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (before[j - 2] ?? 0) + 1);
      }
      current.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known header `header` is closest to, when it is within the rule's distance; else undefined. */
export function nearestHeader(header: string, known: readonly string[]): string | undefined {
  const squashed = squashHeader(header);
  if (squashed === "") return undefined;
  const max = squashed.length >= 8 ? 2 : 1;
  let nearest: string | undefined;
  let distance = max + 1;
  for (const candidate of known) {
    const d = editDistance(squashed, squashHeader(candidate), max);
    if (d < distance) {
      nearest = candidate;
      distance = d;
    }
  }
  return nearest;
}
