// The recipient index's compact table (issue 15): every address as a 64-bit fingerprint in an open-addressing
// hash table of typed arrays, with one byte for its user's type, instead of a Map of strings (about 335 bytes
// an address). At a load under one half, 9 bytes a slot: about 19 bytes an address.

/**
 * Two 32-bit hashes of the text in one pass (FNV-1a, and a multiply-rotate hash with another seed), each
 * finished by murmur3's avalanche. Together a 64-bit fingerprint: two different addresses share one with
 * odds of about n / 2^64 per look-up (1 in 10^13 with two million addresses).
 */
function fingerprint(text: string, out: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b = (b << 13) | (b >>> 19);
  }
  out[0] = avalanche(a ^ text.length);
  out[1] = avalanche(b);
}

function avalanche(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Addresses to a small code (1-255; 0 marks an empty slot), fixed once built except by add(). */
export class AddressFingerprints {
  readonly #high: Uint32Array;
  readonly #low: Uint32Array;
  readonly #codes: Uint8Array;
  readonly #mask: number;
  readonly #scratch = new Uint32Array(2);
  #size = 0;

  /** Room for `expected` addresses at a load under one half (linear probing stays short). */
  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.#high = new Uint32Array(capacity);
    this.#low = new Uint32Array(capacity);
    this.#codes = new Uint8Array(capacity);
    this.#mask = capacity - 1;
  }

  get size(): number {
    return this.#size;
  }

  /** Bytes held by the table's arrays. */
  get bytes(): number {
    return this.#high.byteLength + this.#low.byteLength + this.#codes.byteLength;
  }

  /** Adds (or re-codes) an address; `code` 1-255. Refuses past the capacity given at construction. */
  add(key: string, code: number): void {
    if (code < 1 || code > 255) throw new RangeError("code 1-255");
    const slot = this.#find(key);
    if (this.#codes[slot] === 0) {
      if (this.#size * 2 >= this.#codes.length) throw new RangeError("fingerprint table full");
      this.#size++;
      this.#high[slot] = this.#scratch[0] ?? 0;
      this.#low[slot] = this.#scratch[1] ?? 0;
    }
    this.#codes[slot] = code;
  }

  /** The address's code, or 0 when it is not in the table. */
  get(key: string): number {
    return this.#codes[this.#find(key)] ?? 0;
  }

  /** The slot holding the key's fingerprint, or the empty slot where it would go. */
  #find(key: string): number {
    fingerprint(key, this.#scratch);
    const high = this.#scratch[0] ?? 0;
    const low = this.#scratch[1] ?? 0;
    for (let slot = low & this.#mask; ; slot = (slot + 1) & this.#mask) {
      if (this.#codes[slot] === 0 || (this.#high[slot] === high && this.#low[slot] === low)) return slot;
    }
  }
}
