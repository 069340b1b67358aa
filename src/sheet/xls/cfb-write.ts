/**
 * Writes a Compound File Binary container (MS-CFB, version 3, 512-byte sectors) holding named streams
 * directly under the root storage. Streams below the 4096-byte cutoff go into the mini stream.
 */

import {
  DIFSECT,
  DIRECTORY_ENTRY_SIZE,
  END_OF_CHAIN,
  ENTRY_ROOT,
  ENTRY_STREAM,
  FATSECT,
  FREE_SECTOR,
  HEADER_DIFAT_ENTRIES,
  NO_STREAM,
} from "./cfb-format.js";

export interface CfbStreamInput {
  /** 1..31 UTF-16 code units; none of `/ \ : !` (MS-CFB 2.6.1). */
  readonly name: string;
  /** The stream's bytes, whole or as consecutive chunks (saves a copy of a large stream). */
  readonly content: Uint8Array | readonly Uint8Array[];
}

const SECTOR_SIZE = 512;
const MINI_SECTOR_SIZE = 64;
const MINI_STREAM_CUTOFF = 4096;
const ENTRIES_PER_FAT_SECTOR = SECTOR_SIZE / 4;
// MS-CFB 2.5: a DIFAT sector holds 127 FAT sector numbers and then the next DIFAT sector's number.
const DIFAT_ENTRIES_PER_SECTOR = ENTRIES_PER_FAT_SECTOR - 1;
const DIR_ENTRIES_PER_SECTOR = SECTOR_SIZE / DIRECTORY_ENTRY_SIZE;

const COLOR_RED = 0;
const COLOR_BLACK = 1;

interface PlacedStream {
  readonly name: string;
  readonly chunks: readonly Uint8Array[];
  readonly size: number;
  /** First sector (regular) or mini sector (mini stream), END_OF_CHAIN when empty. */
  start: number;
  readonly inMiniStream: boolean;
}

interface TreeLinks {
  left: number;
  right: number;
  color: number;
}

/** Builds the container; throws on an invalid or duplicate stream name. */
export function writeCfb(streams: readonly CfbStreamInput[]): Uint8Array {
  const placed = streams.map(toPlacedStream);
  assertUniqueNames(placed);

  // Mini stream: consecutive mini sectors, each small stream a contiguous run (MS-CFB 2.4 mini FAT).
  let miniSectorCount = 0;
  for (const stream of placed) {
    if (!stream.inMiniStream || stream.size === 0) continue;
    stream.start = miniSectorCount;
    miniSectorCount += Math.ceil(stream.size / MINI_SECTOR_SIZE);
  }
  const miniStreamSize = miniSectorCount * MINI_SECTOR_SIZE;
  const miniStreamSectors = Math.ceil(miniStreamSize / SECTOR_SIZE);
  const miniFatSectors = Math.ceil(miniSectorCount / ENTRIES_PER_FAT_SECTOR);
  const dirSectors = Math.ceil((placed.length + 1) / DIR_ENTRIES_PER_SECTOR);

  let bigStreamSectors = 0;
  for (const stream of placed) {
    if (!stream.inMiniStream) bigStreamSectors += Math.ceil(stream.size / SECTOR_SIZE);
  }
  const dataSectors = dirSectors + miniFatSectors + miniStreamSectors + bigStreamSectors;

  // The FAT must also cover its own sectors and the DIFAT sectors; iterate to the fixed point.
  let fatSectors = 0;
  let difatSectors = 0;
  for (;;) {
    const total = dataSectors + fatSectors + difatSectors;
    const nextFat = Math.ceil(total / ENTRIES_PER_FAT_SECTOR);
    const nextDifat =
      nextFat > HEADER_DIFAT_ENTRIES
        ? Math.ceil((nextFat - HEADER_DIFAT_ENTRIES) / DIFAT_ENTRIES_PER_SECTOR)
        : 0;
    if (nextFat === fatSectors && nextDifat === difatSectors) break;
    fatSectors = nextFat;
    difatSectors = nextDifat;
  }
  const totalSectors = dataSectors + fatSectors + difatSectors;

  // Layout: FAT, DIFAT, directory, mini FAT, mini stream, then the regular streams.
  const firstDifat = fatSectors;
  const firstDir = firstDifat + difatSectors;
  const firstMiniFat = firstDir + dirSectors;
  const firstMiniStream = firstMiniFat + miniFatSectors;
  let next = firstMiniStream + miniStreamSectors;
  for (const stream of placed) {
    if (stream.inMiniStream || stream.size === 0) continue;
    stream.start = next;
    next += Math.ceil(stream.size / SECTOR_SIZE);
  }

  const out = Buffer.alloc(SECTOR_SIZE * (1 + totalSectors));
  const sectorOffset = (sector: number): number => SECTOR_SIZE * (1 + sector);

  // FAT
  const fat = new Uint32Array(fatSectors * ENTRIES_PER_FAT_SECTOR).fill(FREE_SECTOR);
  for (let i = 0; i < fatSectors; i++) fat[i] = FATSECT;
  for (let i = 0; i < difatSectors; i++) fat[firstDifat + i] = DIFSECT;
  chainSectors(fat, firstDir, dirSectors);
  chainSectors(fat, firstMiniFat, miniFatSectors);
  chainSectors(fat, firstMiniStream, miniStreamSectors);
  for (const stream of placed) {
    if (!stream.inMiniStream && stream.size > 0) {
      chainSectors(fat, stream.start, Math.ceil(stream.size / SECTOR_SIZE));
    }
  }
  writeUint32Array(out, sectorOffset(0), fat);

  // DIFAT: the first 109 FAT sector numbers live in the header, the rest in chained DIFAT sectors.
  writeHeader(out, {
    fatSectors,
    firstDir,
    firstMiniFat: miniFatSectors > 0 ? firstMiniFat : END_OF_CHAIN,
    miniFatSectors,
    firstDifat: difatSectors > 0 ? firstDifat : END_OF_CHAIN,
    difatSectors,
  });
  for (let i = 0; i < HEADER_DIFAT_ENTRIES; i++) {
    out.writeUInt32LE(i < fatSectors ? i : FREE_SECTOR, 76 + 4 * i);
  }
  for (let d = 0; d < difatSectors; d++) {
    const base = sectorOffset(firstDifat + d);
    for (let i = 0; i < DIFAT_ENTRIES_PER_SECTOR; i++) {
      const fatIndex = HEADER_DIFAT_ENTRIES + d * DIFAT_ENTRIES_PER_SECTOR + i;
      out.writeUInt32LE(fatIndex < fatSectors ? fatIndex : FREE_SECTOR, base + 4 * i);
    }
    const nextDifat = d + 1 < difatSectors ? firstDifat + d + 1 : END_OF_CHAIN;
    out.writeUInt32LE(nextDifat, base + 4 * DIFAT_ENTRIES_PER_SECTOR);
  }

  // Mini FAT
  if (miniFatSectors > 0) {
    const miniFat = new Uint32Array(miniFatSectors * ENTRIES_PER_FAT_SECTOR).fill(FREE_SECTOR);
    for (const stream of placed) {
      if (stream.inMiniStream && stream.size > 0) {
        chainSectors(miniFat, stream.start, Math.ceil(stream.size / MINI_SECTOR_SIZE));
      }
    }
    writeUint32Array(out, sectorOffset(firstMiniFat), miniFat);
  }

  // Stream contents; the mini stream's sectors are contiguous, so a mini sector maps to a plain offset.
  for (const stream of placed) {
    if (stream.size === 0) continue;
    const offset = stream.inMiniStream
      ? sectorOffset(firstMiniStream) + stream.start * MINI_SECTOR_SIZE
      : sectorOffset(stream.start);
    let at = offset;
    for (const chunk of stream.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
  }

  // Directory: entry 0 is the root, entries 1..n the streams; the rest of the sector is unused entries.
  const dirBase = sectorOffset(firstDir);
  for (let i = 0; i < dirSectors * DIR_ENTRIES_PER_SECTOR; i++) {
    writeUnusedEntry(out, dirBase + i * DIRECTORY_ENTRY_SIZE);
  }
  const { rootChild, links } = buildSiblingTree(placed.map((s) => s.name));
  writeEntry(out, dirBase, {
    name: "Root Entry",
    type: ENTRY_ROOT,
    color: COLOR_BLACK,
    left: NO_STREAM,
    right: NO_STREAM,
    child: rootChild,
    start: miniStreamSectors > 0 ? firstMiniStream : END_OF_CHAIN,
    size: miniStreamSize,
  });
  placed.forEach((stream, i) => {
    const link = links[i];
    if (!link) throw new Error("unreachable: every stream has tree links");
    writeEntry(out, dirBase + (i + 1) * DIRECTORY_ENTRY_SIZE, {
      name: stream.name,
      type: ENTRY_STREAM,
      color: link.color,
      left: link.left,
      right: link.right,
      child: NO_STREAM,
      start: stream.start,
      size: stream.size,
    });
  });

  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

function toPlacedStream(input: CfbStreamInput): PlacedStream {
  const name = input.name;
  if (name.length < 1 || name.length > 31) {
    throw new Error(`CFB stream name must be 1..31 characters: "${name}"`);
  }
  if (/[/\\:!]/.test(name)) throw new Error(`CFB stream name has an illegal character: "${name}"`);
  const chunks = input.content instanceof Uint8Array ? [input.content] : input.content;
  let size = 0;
  for (const chunk of chunks) size += chunk.length;
  // MS-CFB 2.6.3: a version 3 stream size fits in 32 bits.
  if (size > 0xffffffff) throw new Error(`CFB stream too large: "${name}"`);
  return { name, chunks, size, start: END_OF_CHAIN, inMiniStream: size < MINI_STREAM_CUTOFF };
}

function assertUniqueNames(streams: readonly PlacedStream[]): void {
  const seen = new Set<string>();
  for (const { name } of streams) {
    const key = upperCaseName(name);
    if (seen.has(key)) throw new Error(`duplicate CFB stream name: "${name}"`);
    seen.add(key);
  }
}

function chainSectors(table: Uint32Array, first: number, count: number): void {
  for (let i = 0; i < count; i++) table[first + i] = i + 1 < count ? first + i + 1 : END_OF_CHAIN;
}

function writeUint32Array(out: Buffer, offset: number, values: Uint32Array): void {
  for (let i = 0; i < values.length; i++) out.writeUInt32LE(values[i] ?? FREE_SECTOR, offset + 4 * i);
}

interface HeaderFields {
  fatSectors: number;
  firstDir: number;
  firstMiniFat: number;
  miniFatSectors: number;
  firstDifat: number;
  difatSectors: number;
}

// MS-CFB 2.2 Compound File Header.
function writeHeader(out: Buffer, h: HeaderFields): void {
  out.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  // bytes 8..23: header CLSID, all zero
  out.writeUInt16LE(0x003e, 24); // minor version
  out.writeUInt16LE(0x0003, 26); // major version 3
  out.writeUInt16LE(0xfffe, 28); // byte order: little-endian
  out.writeUInt16LE(9, 30); // sector shift: 512
  out.writeUInt16LE(6, 32); // mini sector shift: 64
  // bytes 34..39 reserved; 40: number of directory sectors, MUST be 0 for version 3
  out.writeUInt32LE(h.fatSectors, 44);
  out.writeUInt32LE(h.firstDir, 48);
  // 52: transaction signature 0
  out.writeUInt32LE(MINI_STREAM_CUTOFF, 56);
  out.writeUInt32LE(h.firstMiniFat, 60);
  out.writeUInt32LE(h.miniFatSectors, 64);
  out.writeUInt32LE(h.firstDifat, 68);
  out.writeUInt32LE(h.difatSectors, 72);
}

export interface EntryFields {
  name: string;
  type: number;
  color: number;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
}

// MS-CFB 2.6 Compound File Directory Entry; CLSID, state bits and times stay zero.
function writeEntry(out: Buffer, at: number, e: EntryFields): void {
  out.fill(0, at, at + DIRECTORY_ENTRY_SIZE);
  out.write(e.name, at, "utf16le");
  out.writeUInt16LE((e.name.length + 1) * 2, at + 64); // length in bytes, with the terminating NUL
  out.writeUInt8(e.type, at + 66);
  out.writeUInt8(e.color, at + 67);
  out.writeUInt32LE(e.left, at + 68);
  out.writeUInt32LE(e.right, at + 72);
  out.writeUInt32LE(e.child, at + 76);
  out.writeUInt32LE(e.start, at + 116);
  out.writeUInt32LE(e.size, at + 120); // high 32 bits at 124 stay zero (version 3)
}

function writeUnusedEntry(out: Buffer, at: number): void {
  out.fill(0, at, at + DIRECTORY_ENTRY_SIZE);
  out.writeUInt32LE(NO_STREAM, at + 68);
  out.writeUInt32LE(NO_STREAM, at + 72);
  out.writeUInt32LE(NO_STREAM, at + 76);
}

/**
 * Arranges the root's children as a balanced binary search tree in MS-CFB 2.6.4 order and colours it
 * as a valid red-black tree: levels above the deepest are full, so black everywhere except a partly
 * filled deepest level (red) gives every path the same black height. Entry ids are index + 1.
 */
function buildSiblingTree(names: readonly string[]): { rootChild: number; links: TreeLinks[] } {
  const order = names.map((_, i) => i).sort((a, b) => compareEntryNames(names[a] ?? "", names[b] ?? ""));
  const links: TreeLinks[] = names.map(() => ({ left: NO_STREAM, right: NO_STREAM, color: COLOR_BLACK }));
  const n = order.length;
  const height = n === 0 ? 0 : Math.ceil(Math.log2(n + 1)); // number of levels
  const perfect = (n & (n + 1)) === 0;

  const build = (lo: number, hi: number, depth: number): number => {
    if (lo > hi) return NO_STREAM;
    const mid = (lo + hi) >>> 1;
    const index = order[mid] ?? 0;
    const link = links[index];
    if (!link) return NO_STREAM;
    link.left = build(lo, mid - 1, depth + 1);
    link.right = build(mid + 1, hi, depth + 1);
    link.color = !perfect && depth === height - 1 ? COLOR_RED : COLOR_BLACK;
    return index + 1;
  };
  return { rootChild: build(0, n - 1, 0), links };
}

/** MS-CFB 2.6.4: shorter names sort first; equal lengths compare code unit by code unit, upper-cased. */
export function compareEntryNames(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  const ua = upperCaseName(a);
  const ub = upperCaseName(b);
  for (let i = 0; i < ua.length; i++) {
    const diff = ua.charCodeAt(i) - ub.charCodeAt(i);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Upper-cases code unit by code unit, keeping the length (a few letters such as ß would grow). */
function upperCaseName(name: string): string {
  let out = "";
  for (const unit of name.split("")) {
    const upper = unit.toUpperCase();
    out += upper.length === 1 ? upper : unit;
  }
  return out;
}
