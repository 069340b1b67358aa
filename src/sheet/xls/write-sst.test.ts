import { describe, expect, it } from "vitest";
import { checkWithBothReaders } from "./test-support/read-back.js";
import { readRecords, workbookStream } from "./test-support/strict-cfb.js";
import { writeXls, type XlsSheetInput } from "./write-xls.js";

describe("writeXls", () => {
  it("splits a large SST into CONTINUE records, strings straddling the boundaries", () => {
    // The first SST record holds 8 bytes of counts, then a 3-byte header per string. With a compressed
    // string of 8010 characters first, a UTF-16 string's 100th unit is the last that fits: put the high
    // surrogate of an emoji there.
    const strings = ["a".repeat(8010), `${"Ж".repeat(99)}😀 after the emoji`];
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabets = ["abcdefghij", "àéîõüÿçñ", "ЖЩЮЯабвг", "日本語中文字", "😀🎉👍", "a😀Ж日é"];
    for (let i = 0; i < 90; i++) {
      const alphabet = Array.from(alphabets[i % alphabets.length] ?? "x"); // whole code points
      let s = `#${i} `;
      const length = 1 + random(i % 7 === 0 ? 9000 : 2500);
      while (s.length < length) s += alphabet[random(alphabet.length)] ?? "";
      strings.push(s);
    }
    strings.push("", "last");
    const rows = strings.map((s, i) => [s, i, strings[i % 5] ?? ""]);
    const sheets: XlsSheetInput[] = [{ name: "Strings", rows }];
    const bytes = writeXls(sheets);
    checkWithBothReaders(bytes, sheets, "large SST");

    const stream = workbookStream(bytes);
    const records = readRecords(stream);
    const sstIndex = records.findIndex((r) => r.type === 0x00fc);
    const sst = records[sstIndex];
    if (!sst) throw new Error("no SST");
    let end = sstIndex + 1;
    while (records[end]?.type === 0x003c) end++;
    const parts = records.slice(sstIndex, end);
    expect(parts.length).toBeGreaterThan(10);
    expect(sst.data.readUInt32LE(0)).toBe(rows.length * 2); // cstTotal: column A and C are text
    expect(sst.data.readUInt32LE(4)).toBe(strings.length); // cstUnique
    // The emoji's surrogate pair moved whole into the first CONTINUE, after its fHighByte.
    const first = parts[1];
    expect(first?.data[0]).toBe(1);
    expect(first?.data.toString("utf16le", 1, 5)).toBe("😀");

    // MS-XLS 2.4.107 ExtSST: each bucket's ib/cbOffset point at its first string's header.
    const extSst = records[end];
    expect(extSst?.type).toBe(0x00ff);
    if (!extSst) return;
    const dsst = extSst.data.readUInt16LE(0);
    expect(dsst).toBe(8);
    const buckets = (extSst.data.length - 2) / 8;
    expect(buckets).toBe(Math.ceil(strings.length / dsst));
    const partStarts = new Set(parts.map((p) => p.pos));
    for (let b = 0; b < buckets; b++) {
      const ib = extSst.data.readUInt32LE(2 + 8 * b);
      const cbOffset = extSst.data.readUInt16LE(6 + 8 * b);
      expect(partStarts.has(ib - cbOffset), `bucket ${b} record start`).toBe(true);
      expect(stream.readUInt16LE(ib), `bucket ${b} cch`).toBe(strings[b * dsst]?.length);
    }
  });
});
