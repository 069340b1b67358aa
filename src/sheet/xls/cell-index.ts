/**
 * Where a sheet's cells are, in three parallel typed arrays: no object per cell until one is read.
 * A key is row * 0x10000 + col, so keys sort in row-major order.
 */

export class CellIndex {
  keys: Uint32Array;
  tags: Uint8Array;
  refs: Uint32Array;
  length = 0;
  sorted = true;

  constructor(capacity: number) {
    this.keys = new Uint32Array(capacity);
    this.tags = new Uint8Array(capacity);
    this.refs = new Uint32Array(capacity);
  }

  push(row: number, col: number, tag: number, ref: number): void {
    const key = row * 0x10000 + col;
    const n = this.length;
    if (n > 0) {
      const last = this.keys[n - 1] ?? 0;
      if (key === last) {
        // The same cell written twice: the later record wins, as in Excel.
        this.tags[n - 1] = tag;
        this.refs[n - 1] = ref;
        return;
      }
      if (key < last) this.sorted = false;
    }
    if (n === this.keys.length) this.grow();
    this.keys[n] = key;
    this.tags[n] = tag;
    this.refs[n] = ref;
    this.length = n + 1;
  }

  private grow(): void {
    const capacity = Math.max(16, this.keys.length * 2);
    const keys = new Uint32Array(capacity);
    keys.set(this.keys);
    const tags = new Uint8Array(capacity);
    tags.set(this.tags);
    const refs = new Uint32Array(capacity);
    refs.set(this.refs);
    this.keys = keys;
    this.tags = tags;
    this.refs = refs;
  }

  /** Sorts into row-major order when a writer emitted cells out of order; later duplicates win. */
  finish(): void {
    if (this.sorted) return;
    const order = Array.from({ length: this.length }, (_, i) => i);
    order.sort((a, b) => (this.keys[a] ?? 0) - (this.keys[b] ?? 0) || a - b);
    const keys = new Uint32Array(this.length);
    const tags = new Uint8Array(this.length);
    const refs = new Uint32Array(this.length);
    let n = 0;
    for (const i of order) {
      const key = this.keys[i] ?? 0;
      if (n > 0 && keys[n - 1] === key) n--;
      keys[n] = key;
      tags[n] = this.tags[i] ?? 0;
      refs[n] = this.refs[i] ?? 0;
      n++;
    }
    this.keys = keys;
    this.tags = tags;
    this.refs = refs;
    this.length = n;
    this.sorted = true;
  }
}

/** The first position in keys[from, to) whose key is not below `key`. */
export function lowerBound(keys: Uint32Array, from: number, to: number, key: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] ?? 0) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
