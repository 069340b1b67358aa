import { expect } from "vitest";
import type { EntryFields } from "../cfb-write.js";

/** An independent, strict reading of the compound file (MS-CFB) and of BIFF records, for the writer's tests. */

const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
const FATSECT = 0xfffffffd;
const DIFSECT = 0xfffffffc;
const NOSTREAM = 0xffffffff;

interface CfbFile {
  header: { fatSectors: number; difatSectors: number; miniFatSectors: number; sectorCount: number };
  streams: Map<string, Buffer>;
}

/** Reads the container, asserting every sector is owned exactly once and the tree is a red-black BST. */
export function readCfbStrictly(bytes: Uint8Array): CfbFile {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  expect([...buf.subarray(0, 8)]).toEqual([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  expect([buf.readUInt16LE(24), buf.readUInt16LE(26), buf.readUInt16LE(28)]).toEqual([0x3e, 3, 0xfffe]);
  expect([buf.readUInt16LE(30), buf.readUInt16LE(32), buf.readUInt32LE(40)]).toEqual([9, 6, 0]);
  expect(buf.readUInt32LE(56)).toBe(4096);
  expect(buf.length % 512).toBe(0);
  const sectorCount = buf.length / 512 - 1;
  const at = (sector: number): number => 512 * (sector + 1);
  const fatSectorCount = buf.readUInt32LE(44);
  const difatCount = buf.readUInt32LE(72);

  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const s = buf.readUInt32LE(76 + 4 * i);
    if (i < fatSectorCount) fatSectors.push(s);
    else expect(s).toBe(FREESECT);
  }
  const difatSectors: number[] = [];
  for (let d = buf.readUInt32LE(68); d !== ENDOFCHAIN; d = buf.readUInt32LE(at(d) + 508)) {
    expect(d).toBeLessThan(sectorCount);
    difatSectors.push(d);
    for (let i = 0; i < 127; i++) {
      const s = buf.readUInt32LE(at(d) + 4 * i);
      if (fatSectors.length < fatSectorCount) fatSectors.push(s);
      else expect(s).toBe(FREESECT);
    }
  }
  expect(difatSectors.length).toBe(difatCount);
  expect(fatSectors.length).toBe(fatSectorCount);

  const fat: number[] = [];
  for (const s of fatSectors) for (let i = 0; i < 128; i++) fat.push(buf.readUInt32LE(at(s) + 4 * i));
  expect(fat.length).toBeGreaterThanOrEqual(sectorCount);
  expect(
    fat.slice(sectorCount).every((entry) => entry === FREESECT),
    "FAT entries past the end are free",
  ).toBe(true);

  const owned = new Uint8Array(sectorCount);
  expect(
    fatSectors.every((s) => fat[s] === FATSECT),
    "FAT sectors marked FATSECT",
  ).toBe(true);
  expect(
    difatSectors.every((s) => fat[s] === DIFSECT),
    "DIFAT sectors marked DIFSECT",
  ).toBe(true);
  for (const s of [...fatSectors, ...difatSectors]) owned[s] = 1;
  const followChain = (table: number[], start: number, marks: Uint8Array): number[] => {
    const sectors: number[] = [];
    for (let s = start; s !== ENDOFCHAIN; s = table[s] ?? FREESECT) {
      if (s >= marks.length || marks[s]) throw new Error(`bad or shared sector ${s}`);
      marks[s] = 1;
      sectors.push(s);
    }
    return sectors;
  };
  const readChain = (sectors: number[], size: number): Buffer =>
    Buffer.concat(sectors.map((s) => buf.subarray(at(s), at(s) + 512))).subarray(0, size);

  const dirSectors = followChain(fat, buf.readUInt32LE(48), owned);
  const dir = readChain(dirSectors, dirSectors.length * 512);
  const entries: EntryFields[] = [];
  for (let off = 0; off < dir.length; off += 128) {
    const nameBytes = dir.readUInt16LE(off + 64);
    entries.push({
      name: dir.toString("utf16le", off, off + Math.max(0, nameBytes - 2)),
      type: dir[off + 66] ?? 0,
      color: dir[off + 67] ?? 0,
      left: dir.readUInt32LE(off + 68),
      right: dir.readUInt32LE(off + 72),
      child: dir.readUInt32LE(off + 76),
      start: dir.readUInt32LE(off + 116),
      size: dir.readUInt32LE(off + 120) + dir.readUInt32LE(off + 124) * 2 ** 32,
    });
  }
  const root = entries[0];
  if (root?.type !== 5) throw new Error("entry 0 is not the root");
  expect(root.name).toBe("Root Entry");

  const miniFatSectors = followChain(fat, buf.readUInt32LE(60), owned);
  expect(miniFatSectors.length).toBe(buf.readUInt32LE(64));
  const miniFatBytes = readChain(miniFatSectors, miniFatSectors.length * 512);
  const miniFat: number[] = [];
  for (let i = 0; i < miniFatBytes.length; i += 4) miniFat.push(miniFatBytes.readUInt32LE(i));
  const miniStreamSectors = root.size > 0 ? followChain(fat, root.start, owned) : [];
  expect(miniStreamSectors.length).toBe(Math.ceil(root.size / 512));
  const miniStream = readChain(miniStreamSectors, root.size);
  const miniOwned = new Uint8Array(Math.ceil(root.size / 64));

  // MS-CFB 2.6.4 red-black tree of the root's children, in name order.
  const names: string[] = [];
  const blackHeights = new Set<number>();
  const walk = (id: number, parentRed: boolean, blacks: number): void => {
    if (id === NOSTREAM) {
      blackHeights.add(blacks);
      return;
    }
    const e = entries[id];
    if (!e) throw new Error(`dangling entry ${id}`);
    const red = e.color === 0;
    expect(parentRed && red, "red node with a red parent").toBe(false);
    walk(e.left, red, blacks + (red ? 0 : 1));
    names.push(e.name);
    walk(e.right, red, blacks + (red ? 0 : 1));
  };
  const top = entries[root.child];
  expect(top?.color, "the tree's root is black").toBe(1);
  walk(root.child, false, 0);
  expect(blackHeights.size, "one black height").toBe(1);
  const sorted = [...names].sort((a, b) =>
    a.length !== b.length ? a.length - b.length : a.toUpperCase() < b.toUpperCase() ? -1 : 1,
  );
  expect(names).toEqual(sorted);

  const streams = new Map<string, Buffer>();
  for (const e of entries.slice(1)) {
    if (e.type === 0) continue;
    expect(e.type).toBe(2);
    if (e.size === 0) {
      streams.set(e.name, Buffer.alloc(0));
    } else if (e.size < 4096) {
      const minis = followChain(miniFat, e.start, miniOwned);
      expect(minis.length).toBe(Math.ceil(e.size / 64));
      streams.set(
        e.name,
        Buffer.concat(minis.map((m) => miniStream.subarray(m * 64, m * 64 + 64))).subarray(0, e.size),
      );
    } else {
      const sectors = followChain(fat, e.start, owned);
      expect(sectors.length).toBe(Math.ceil(e.size / 512));
      streams.set(e.name, readChain(sectors, e.size));
    }
  }
  expect(names.length).toBe(streams.size);
  expect(
    owned.every((o) => o === 1),
    "every sector belongs to something",
  ).toBe(true);
  return {
    header: {
      fatSectors: fatSectorCount,
      difatSectors: difatCount,
      miniFatSectors: miniFatSectors.length,
      sectorCount,
    },
    streams,
  };
}

interface BiffRecord {
  type: number;
  pos: number;
  data: Buffer;
}

export function readRecords(stream: Buffer): BiffRecord[] {
  const records: BiffRecord[] = [];
  let longest = 0;
  let pos = 0;
  while (pos + 4 <= stream.length) {
    const length = stream.readUInt16LE(pos + 2);
    longest = Math.max(longest, length);
    records.push({ type: stream.readUInt16LE(pos), pos, data: stream.subarray(pos + 4, pos + 4 + length) });
    pos += 4 + length;
  }
  expect(pos, "records end where the stream ends").toBe(stream.length);
  expect(longest, "MS-XLS 2.1.4: record data at most 8224 bytes").toBeLessThanOrEqual(8224);
  return records;
}

export function workbookStream(bytes: Uint8Array): Buffer {
  const stream = readCfbStrictly(bytes).streams.get("Workbook");
  if (!stream) throw new Error("no Workbook stream");
  return stream;
}
