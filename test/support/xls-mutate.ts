/**
 * Seeded mutations of real workbooks for fuzzing the reader: bit flips, truncations, splices, and targeted
 * edits of the fields that hostile files lie in (record lengths, counts and offsets, FAT and DIFAT sector
 * numbers, directory entries). The same seed always gives the same mutants, so a failure can be replayed.
 */

import type { Random } from "./seeded-random.js";

const int = (rnd: Random, n: number): number => Math.floor(rnd() * n);

// BIFF records whose length or payload fields the reader trusts least.
const INTERESTING_RECORDS = new Set([
  0x0809, 0x000a, 0x0085, 0x0042, 0x0022, 0x00fc, 0x003c, 0x041e, 0x00e0, 0x00fd, 0x0204, 0x00d6, 0x0203,
  0x027e, 0x00bd, 0x0205, 0x0006, 0x0207,
]);

const NASTY_U32 = [
  0, 1, 0x7fffffff, 0x80000000, 0xfffffffa, 0xfffffffc, 0xfffffffd, 0xfffffffe, 0xffffffff, 0xffff, 0x10000,
];
const NASTY_U16 = [0, 1, 2, 0x7fff, 0x8000, 0xfffe, 0xffff, 8224, 8225];

export interface Mutant {
  readonly description: string;
  readonly bytes: Uint8Array;
}

export function mutate(source: Uint8Array, rnd: Random, donors: readonly Uint8Array[]): Mutant {
  const strategies = [flipBits, truncate, splice, editRecordFields, editCfbHeader, editFat, editDirectory];
  const strategy = strategies[int(rnd, strategies.length)] ?? flipBits;
  return strategy(source, rnd, donors);
}

function flipBits(source: Uint8Array, rnd: Random): Mutant {
  const bytes = new Uint8Array(source);
  const flips = 1 + int(rnd, 16);
  for (let i = 0; i < flips; i++) {
    const at = int(rnd, bytes.length);
    bytes[at] = (bytes[at] ?? 0) ^ (1 << int(rnd, 8));
  }
  return { description: `flip ${flips} bits`, bytes };
}

function truncate(source: Uint8Array, rnd: Random): Mutant {
  const length = rnd() < 0.3 ? int(rnd, Math.min(source.length, 1024)) : int(rnd, source.length);
  return { description: `truncate to ${length}`, bytes: source.slice(0, length) };
}

function splice(source: Uint8Array, rnd: Random, donors: readonly Uint8Array[]): Mutant {
  const donor = donors[int(rnd, donors.length)] ?? source;
  const at = int(rnd, source.length);
  const from = int(rnd, donor.length);
  const length = Math.min(1 + int(rnd, 4096), donor.length - from);
  const replace = rnd() < 0.5;
  const piece = donor.subarray(from, from + length);
  const tail = source.subarray(replace ? Math.min(source.length, at + length) : at);
  const bytes = new Uint8Array(at + piece.length + tail.length);
  bytes.set(source.subarray(0, at), 0);
  bytes.set(piece, at);
  bytes.set(tail, at + piece.length);
  return { description: `${replace ? "overwrite" : "insert"} ${length} donor bytes at ${at}`, bytes };
}

/** Finds plausible BIFF record headers anywhere in the file and makes their lengths and fields lie. */
function editRecordFields(source: Uint8Array, rnd: Random): Mutant {
  const bytes = new Uint8Array(source);
  const view = new DataView(bytes.buffer);
  const headers: number[] = [];
  for (let p = 0; p + 4 <= bytes.length; p++) {
    const id = view.getUint16(p, true);
    const len = view.getUint16(p + 2, true);
    if (INTERESTING_RECORDS.has(id) && len <= 8224 && p + 4 + len <= bytes.length) headers.push(p);
  }
  if (headers.length === 0) return flipBits(source, rnd);
  const edits = 1 + int(rnd, 4);
  for (let i = 0; i < edits; i++) {
    const at = headers[int(rnd, headers.length)] ?? 0;
    const field = int(rnd, 3);
    if (field === 0) view.setUint16(at + 2, NASTY_U16[int(rnd, NASTY_U16.length)] ?? 0, true);
    else if (field === 1 && at + 8 <= bytes.length)
      view.setUint32(at + 4, NASTY_U32[int(rnd, NASTY_U32.length)] ?? 0, true);
    else if (at + 12 <= bytes.length)
      view.setUint16(at + 4 + 2 * int(rnd, 4), NASTY_U16[int(rnd, NASTY_U16.length)] ?? 0, true);
  }
  return { description: `edit ${edits} BIFF record fields`, bytes };
}

function editCfbHeader(source: Uint8Array, rnd: Random): Mutant {
  if (source.length < 512) return flipBits(source, rnd);
  const bytes = new Uint8Array(source);
  const view = new DataView(bytes.buffer);
  const fields = [24, 26, 28, 30, 32, 40, 44, 48, 56, 60, 64, 68, 72];
  const at = rnd() < 0.6 ? (fields[int(rnd, fields.length)] ?? 44) : 76 + 4 * int(rnd, 109);
  if (at === 24 || at === 26 || at === 28 || at === 30 || at === 32) {
    view.setUint16(at, NASTY_U16[int(rnd, NASTY_U16.length)] ?? 0, true);
  } else {
    view.setUint32(at, rnd() < 0.5 ? (NASTY_U32[int(rnd, NASTY_U32.length)] ?? 0) : int(rnd, 64), true);
  }
  return { description: `edit CFB header field at ${at}`, bytes };
}

/** Points FAT entries at themselves, at earlier sectors (loops), past the file, or at the special markers. */
function editFat(source: Uint8Array, rnd: Random): Mutant {
  if (source.length < 1024) return flipBits(source, rnd);
  const bytes = new Uint8Array(source);
  const view = new DataView(bytes.buffer);
  const shift = view.getUint16(30, true) === 12 ? 12 : 9;
  const sectorSize = 1 << shift;
  const fatSector = view.getUint32(76, true);
  const base = (fatSector + 1) * sectorSize;
  if (base + sectorSize > bytes.length) return flipBits(source, rnd);
  const edits = 1 + int(rnd, 8);
  for (let i = 0; i < edits; i++) {
    const entry = int(rnd, Math.min(sectorSize / 4, Math.ceil(bytes.length / sectorSize)));
    const choice = int(rnd, 4);
    const value =
      choice === 0
        ? entry
        : choice === 1
          ? int(rnd, entry + 1)
          : choice === 2
            ? 0x7fffff + int(rnd, 1000)
            : (NASTY_U32[int(rnd, NASTY_U32.length)] ?? 0);
    view.setUint32(base + entry * 4, value, true);
  }
  return { description: `edit ${edits} FAT entries`, bytes };
}

function editDirectory(source: Uint8Array, rnd: Random): Mutant {
  if (source.length < 1024) return flipBits(source, rnd);
  const bytes = new Uint8Array(source);
  const view = new DataView(bytes.buffer);
  const shift = view.getUint16(30, true) === 12 ? 12 : 9;
  const base = (view.getUint32(48, true) + 1) * (1 << shift);
  if (base + 512 > bytes.length) return flipBits(source, rnd);
  const entry = base + 128 * int(rnd, 4);
  const fields = [64, 66, 68, 72, 76, 116, 120, 124];
  const at = entry + (fields[int(rnd, fields.length)] ?? 120);
  if (at - entry === 64) view.setUint16(at, NASTY_U16[int(rnd, NASTY_U16.length)] ?? 0, true);
  else if (at - entry === 66) view.setUint8(at, int(rnd, 8));
  else view.setUint32(at, rnd() < 0.5 ? (NASTY_U32[int(rnd, NASTY_U32.length)] ?? 0) : int(rnd, 16), true);
  return { description: `edit directory field at ${at}`, bytes };
}
