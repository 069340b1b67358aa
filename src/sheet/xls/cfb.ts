import {
  CFB_SIGNATURE,
  DIRECTORY_ENTRY_SIZE,
  END_OF_CHAIN,
  ENTRY_ROOT,
  ENTRY_UNALLOCATED,
  FREE_SECTOR,
  HEADER_DIFAT_ENTRIES,
  HEADER_SIZE,
  MAX_REGULAR_SECTOR,
  NO_STREAM,
} from "./cfb-format.js";
import { fileCorrupt } from "./read-errors.js";

export { CFB_SIGNATURE, ENTRY_STREAM } from "./cfb-format.js";

/**
 * A reader for the Compound File Binary container (MS-CFB) that wraps .xls workbooks. It is written for
 * hostile input: every sector number is bounds-checked, every chain is walked with a visited bitmap so a
 * loop ends in an error, and no allocation is sized from a declared length, only from bytes that exist.
 */

export interface DirectoryEntry {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly left: number;
  readonly right: number;
  readonly child: number;
  readonly startSector: number;
  readonly size: number;
}

export interface CfbContainer {
  /** Entries reachable from the root storage's tree (its direct children), in directory order. */
  readonly rootChildren: readonly DirectoryEntry[];
  /** Every allocated entry, reachable or not; used when a writer left the tree broken. */
  readonly allEntries: readonly DirectoryEntry[];
  /**
   * The stream's bytes. With `inPlace`, the caller gives up the input buffer: the stream may be assembled
   * inside it, after which the rest of the container must not be read again.
   */
  readStream(entry: DirectoryEntry, inPlace?: boolean): Uint8Array;
}

export function hasCfbSignature(bytes: Uint8Array): boolean {
  if (bytes.length < CFB_SIGNATURE.length) return false;
  return CFB_SIGNATURE.every((b, i) => bytes[i] === b);
}

export function openCfb(bytes: Uint8Array, fileName: string): CfbContainer {
  const corrupt = (where: string): Error => fileCorrupt(fileName, where);
  if (bytes.length < HEADER_SIZE) throw corrupt("the compound file header is truncated");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (offset: number): number => view.getUint32(offset, true);

  // MS-CFB 2.2: version 3 uses 512-byte sectors, version 4 uses 4096. The byte-order mark is not checked:
  // every real file is little-endian, and some writers store it wrongly.
  const sectorShift = view.getUint16(30, true);
  if (sectorShift !== 9 && sectorShift !== 12) {
    throw corrupt(`the compound file header gives an invalid sector size (shift ${sectorShift})`);
  }
  const miniSectorShift = view.getUint16(32, true);
  if (miniSectorShift !== 6) {
    throw corrupt(`the compound file header gives an invalid mini sector size (shift ${miniSectorShift})`);
  }
  const sectorSize = 1 << sectorShift;
  const entriesPerSector = sectorSize / 4;
  // Sectors that exist in the file; a final partial sector counts, its missing bytes read as absent.
  const sectorCount = Math.max(0, Math.ceil((bytes.length - sectorSize) / sectorSize));
  const headerFatCount = u32(44);
  const firstDirectorySector = u32(48);
  const miniStreamCutoff = u32(56);
  const firstMiniFatSector = u32(60);
  const firstDifatSector = u32(68);

  const sectorOffset = (sector: number): number => (sector + 1) * sectorSize;
  const isInFile = (sector: number): boolean => sector < sectorCount;

  // The FAT's own sectors, from the header's 109 DIFAT slots and then the DIFAT sector chain. A FAT
  // larger than the file could need is capped: its declared count may lie.
  const maxFatSectors = Math.ceil(sectorCount / entriesPerSector) + 1;
  const fatSectorCount = Math.min(headerFatCount, maxFatSectors);
  const fatSectors: number[] = [];
  for (let i = 0; i < HEADER_DIFAT_ENTRIES && fatSectors.length < fatSectorCount; i++) {
    const sector = u32(76 + i * 4);
    if (sector === FREE_SECTOR || sector === END_OF_CHAIN) break;
    fatSectors.push(sector);
  }
  const seenDifat = new Set<number>();
  let difatSector = firstDifatSector;
  while (fatSectors.length < fatSectorCount && difatSector <= MAX_REGULAR_SECTOR) {
    if (!isInFile(difatSector)) throw corrupt(`DIFAT sector ${difatSector} lies outside the file`);
    if (seenDifat.has(difatSector)) throw corrupt("the DIFAT sector chain loops");
    seenDifat.add(difatSector);
    const base = sectorOffset(difatSector);
    for (let i = 0; i < entriesPerSector - 1 && fatSectors.length < fatSectorCount; i++) {
      const sector = readU32(bytes, view, base + i * 4);
      if (sector === FREE_SECTOR) continue;
      fatSectors.push(sector);
    }
    difatSector = readU32(bytes, view, base + (entriesPerSector - 1) * 4);
  }

  const fat = new Uint32Array(fatSectors.length * entriesPerSector).fill(FREE_SECTOR);
  fatSectors.forEach((sector, i) => {
    // A FAT sector outside the file is left free: chains through it fail when (and only when) used.
    if (sector > MAX_REGULAR_SECTOR || !isInFile(sector)) return;
    const base = sectorOffset(sector);
    const end = Math.min(base + sectorSize, bytes.length);
    for (let off = base, j = i * entriesPerSector; off + 4 <= end; off += 4, j++)
      fat[j] = view.getUint32(off, true);
  });

  function followChain(start: number, what: string): Uint32Array {
    const chain: number[] = [];
    const visited = new Uint8Array(Math.max(fat.length, sectorCount));
    let sector = start;
    while (sector !== END_OF_CHAIN) {
      if (sector > MAX_REGULAR_SECTOR) {
        // FREESECT at the head of a chain is how some writers mark an empty stream.
        if (chain.length === 0 && sector === FREE_SECTOR) break;
        throw corrupt(`the ${what} sector chain ends with an invalid marker`);
      }
      if (!isInFile(sector))
        throw corrupt(`the ${what} sector chain points outside the file (sector ${sector})`);
      if (visited[sector] === 1) throw corrupt(`the ${what} sector chain loops (sector ${sector})`);
      visited[sector] = 1;
      chain.push(sector);
      sector = sector < fat.length ? (fat[sector] ?? END_OF_CHAIN) : END_OF_CHAIN;
    }
    return Uint32Array.from(chain);
  }

  /**
   * Reads `size` bytes along a chain. A contiguous chain is returned without copying. When the caller gives
   * up the input (`inPlace`) and the chain only ever moves forward, as writers lay streams out, its runs
   * are slid together inside the input instead of copied out: no second buffer the size of the file.
   */
  function readChain(chain: Uint32Array, size: number, inPlace = false): Uint8Array {
    const capacity = Math.min(size, chain.length * sectorSize);
    if (chain.length === 0 || capacity === 0) return new Uint8Array(0);
    const runs: [start: number, end: number][] = [];
    let forward = true;
    for (let i = 0; i < chain.length; i++) {
      const sector = chain[i] ?? 0;
      const last = runs[runs.length - 1];
      const start = sectorOffset(sector);
      if (last && last[1] === start) last[1] = start + sectorSize;
      else {
        if (last && start < last[1]) forward = false;
        runs.push([start, start + sectorSize]);
      }
    }
    const first = runs[0]?.[0] ?? 0;
    if (runs.length === 1) return bytes.subarray(first, Math.min(first + capacity, bytes.length));
    const out = inPlace && forward ? bytes.subarray(first) : new Uint8Array(capacity);
    let written = 0;
    for (const [start, end] of runs) {
      if (written >= capacity) break;
      const stop = Math.min(end, start + capacity - written, bytes.length);
      // Sliding runs towards the front: copyWithin is a memmove, so the overlap is safe.
      if (out.buffer === bytes.buffer) bytes.copyWithin(first + written, start, stop);
      else out.set(bytes.subarray(start, stop), written);
      written += Math.max(0, stop - start);
      if (stop < end) break; // the file's last, partial sector
    }
    return out.subarray(0, Math.min(written, capacity));
  }

  // The directory: 128-byte entries along its own chain.
  const directoryBytes = readChain(followChain(firstDirectorySector, "directory"), Number.MAX_SAFE_INTEGER);
  const entryCount = Math.floor(directoryBytes.length / DIRECTORY_ENTRY_SIZE);
  if (entryCount === 0) throw corrupt("the compound file has no directory");
  const entries: DirectoryEntry[] = [];
  const dirView = new DataView(directoryBytes.buffer, directoryBytes.byteOffset, directoryBytes.byteLength);
  for (let i = 0; i < entryCount; i++) entries.push(parseEntry(dirView, i, sectorShift === 12));

  const root = entries[0];
  if (!root || root.type !== ENTRY_ROOT) {
    throw corrupt("the compound file's first directory entry is not the root");
  }

  // MS-CFB 2.6.4: the root's children form a tree through left and right siblings. Walk it iteratively
  // with a visited set, so a cyclic or out-of-range link cannot loop or overflow the stack.
  const rootChildren: DirectoryEntry[] = [];
  const seenEntries = new Set<number>();
  const pending = [root.child];
  while (pending.length > 0) {
    const index = pending.pop() ?? NO_STREAM;
    if (index === NO_STREAM || index >= entries.length || seenEntries.has(index)) continue;
    seenEntries.add(index);
    const entry = entries[index];
    if (!entry || entry.type === ENTRY_UNALLOCATED) continue;
    rootChildren.push(entry);
    pending.push(entry.left, entry.right);
  }
  rootChildren.sort((a, b) => a.index - b.index);

  let miniStream: Uint8Array | undefined;
  let miniFat: Uint32Array | undefined;

  function readMiniStream(entry: DirectoryEntry): Uint8Array {
    if (!miniStream || !miniFat) {
      miniStream = readChain(followChain(root?.startSector ?? END_OF_CHAIN, "mini stream"), root?.size ?? 0);
      const miniFatBytes = readChain(followChain(firstMiniFatSector, "mini FAT"), Number.MAX_SAFE_INTEGER);
      miniFat = new Uint32Array(Math.floor(miniFatBytes.length / 4));
      const mv = new DataView(miniFatBytes.buffer, miniFatBytes.byteOffset, miniFatBytes.byteLength);
      for (let i = 0; i < miniFat.length; i++) miniFat[i] = mv.getUint32(i * 4, true);
    }
    const mini = miniStream;
    const mfat = miniFat;
    const miniSectorCount = Math.ceil(mini.length / 64);
    const out = new Uint8Array(Math.min(entry.size, miniSectorCount * 64));
    const visited = new Uint8Array(miniSectorCount);
    let written = 0;
    let sector = entry.startSector;
    while (written < out.length && sector !== END_OF_CHAIN) {
      if (sector >= miniSectorCount)
        throw corrupt(`the mini stream chain of "${entry.name}" points outside it`);
      if (visited[sector] === 1) throw corrupt(`the mini stream chain of "${entry.name}" loops`);
      visited[sector] = 1;
      const piece = mini.subarray(
        sector * 64,
        Math.min(sector * 64 + 64, sector * 64 + out.length - written),
      );
      out.set(piece, written);
      written += piece.length;
      sector = sector < mfat.length ? (mfat[sector] ?? END_OF_CHAIN) : END_OF_CHAIN;
    }
    return out.subarray(0, written);
  }

  return {
    rootChildren,
    allEntries: entries.filter((e) => e.type !== ENTRY_UNALLOCATED),
    readStream(entry: DirectoryEntry, inPlace = false): Uint8Array {
      if (entry.size < miniStreamCutoff) return readMiniStream(entry);
      return readChain(followChain(entry.startSector, `"${entry.name}" stream`), entry.size, inPlace);
    },
  };
}

function readU32(bytes: Uint8Array, view: DataView, offset: number): number {
  return offset + 4 <= bytes.length ? view.getUint32(offset, true) : END_OF_CHAIN;
}

function parseEntry(view: DataView, index: number, version4: boolean): DirectoryEntry {
  const base = index * DIRECTORY_ENTRY_SIZE;
  // The name length counts bytes including the terminating null; a lying length is clamped to the field.
  const nameBytes = Math.min(view.getUint16(base + 64, true), 64);
  let name = "";
  for (let off = 0; off < nameBytes - 2; off += 2) {
    const code = view.getUint16(base + off, true);
    if (code === 0) break;
    name += String.fromCharCode(code);
  }
  const low = view.getUint32(base + 120, true);
  // Version 3 writers may leave garbage in the high half of the size (MS-CFB 2.6.3): ignore it there.
  const high = version4 ? view.getUint32(base + 124, true) : 0;
  return {
    index,
    name,
    type: view.getUint8(base + 66),
    left: view.getUint32(base + 68, true),
    right: view.getUint32(base + 72, true),
    child: view.getUint32(base + 76, true),
    startSector: view.getUint32(base + 116, true),
    size: high === 0 ? low : Number.MAX_SAFE_INTEGER,
  };
}
