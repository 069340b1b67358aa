import { describe, expect, it } from "vitest";
import { AppError } from "../../errors/app-error.js";
import { ENTRY_STREAM, openCfb } from "./cfb.js";
import { readXls } from "./read-xls.js";
import { writeXls, type XlsSheetInput } from "./write-xls.js";

/** A written workbook and a view of its Workbook stream that shares its bytes, for patching records. */
function writtenWorkbook(sheets: XlsSheetInput[]): {
  bytes: Uint8Array;
  stream: DataView;
  records: Map<number, number[]>;
} {
  const bytes = writeXls(sheets);
  const cfb = openCfb(bytes, "t.xls");
  const entry = cfb.rootChildren.find((e) => e.type === ENTRY_STREAM && e.name === "Workbook");
  if (!entry) throw new Error("no Workbook stream");
  // Small streams live in the mini stream; the writer lays either kind out contiguously, so the stream's
  // bytes can be found in the file and patched there.
  const copy = cfb.readStream(entry);
  const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(Buffer.from(copy));
  expect(at).toBeGreaterThan(0);
  const data = bytes.subarray(at, at + copy.length);
  const stream = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const records = new Map<number, number[]>();
  for (let pos = 0; pos + 4 <= data.length; pos += 4 + stream.getUint16(pos + 2, true)) {
    const id = stream.getUint16(pos, true);
    records.set(id, [...(records.get(id) ?? []), pos]);
  }
  return { bytes, stream, records };
}

function refusal(work: () => unknown): AppError {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const BOUNDSHEET = 0x0085;
const LABELSST = 0x00fd;

describe("readXls", () => {
  it("finds a header cell and walks the rows after it without building other cells", () => {
    const sheet = readXls(
      writeXls([
        {
          name: "Import",
          cells: { A1: "Users for November", M99: " email " },
          origin: "M100",
          rows: [["a@example.com"], [], ["b@example.com"]],
        },
      ]),
      { fileName: "t.xls" },
    ).sheets[0];
    const header = sheet?.findCell((text) => text.trim() === "email", 99, 13);
    expect(header).toMatchObject({ row: 98, col: 12 });
    const rows = [...(sheet?.rows((header?.row ?? 0) + 1) ?? [])].map((row) => [row.row, row.text(12)]);
    expect(rows).toEqual([
      [99, "a@example.com"],
      [101, "b@example.com"],
    ]);
    expect(sheet?.findCell((text) => text === "email", 98, 13)).toBeUndefined(); // M99 is the 99th row
  });

  it("reports hidden sheets and keeps workbook order", () => {
    const wb = readXls(
      writeXls([
        { name: "First", cells: { A1: 1 } },
        { name: "Secret", hidden: true, cells: { A1: 2 } },
      ]),
      { fileName: "t.xls" },
    );
    expect(wb.sheets.map((s) => [s.name, s.visibility, s.visible])).toEqual([
      ["First", "visible", true],
      ["Secret", "hidden", false],
    ]);
  });

  it("sorts cells a writer stored out of order, the later of two records for one cell winning", () => {
    const { bytes, stream, records } = writtenWorkbook([
      {
        name: "S",
        rows: [
          ["a", "b"],
          ["c", "d"],
        ],
      },
    ]);
    const labels = records.get(LABELSST) ?? [];
    expect(labels).toHaveLength(4);
    // Swap the rows of the first and last cells: A1 now says "d"'s position and D2 "a"'s.
    const [first = 0, , , last = 0] = labels;
    stream.setUint16(first + 4, 1, true);
    stream.setUint16(first + 6, 1, true);
    stream.setUint16(last + 4, 0, true);
    stream.setUint16(last + 6, 0, true);
    const sheet = readXls(bytes, { fileName: "t.xls" }).sheets[0];
    expect([...(sheet?.cells() ?? [])].map((c) => [c.row, c.col, c.text])).toEqual([
      [0, 0, "d"],
      [0, 1, "b"],
      [1, 0, "c"],
      [1, 1, "a"],
    ]);
  });

  it("refuses a cell that points past the shared string table", () => {
    const { bytes, stream, records } = writtenWorkbook([{ name: "S", rows: [["only"]] }]);
    stream.setUint32((records.get(LABELSST)?.[0] ?? 0) + 10, 5000, true);
    const error = refusal(() => readXls(bytes, { fileName: "t.xls" }).sheets[0]?.cellCount);
    expect(error.code).toBe("file_corrupt");
    expect(error.message).toContain("t.xls");
  });

  it("sizes nothing from a sheet offset that points far beyond the stream", () => {
    // Found by the fuzzer: a chart sheet's offset near 4 GiB once sized the first sheet's cell index.
    const { bytes, stream, records } = writtenWorkbook([
      { name: "Data", rows: [["x", 1]] },
      { name: "Chart", cells: { A1: "y" } },
    ]);
    const second = records.get(BOUNDSHEET)?.[1] ?? 0;
    stream.setUint32(second + 4, 0xffffff00, true);
    stream.setUint8(second + 9, 0x02); // a chart: not a worksheet, so it is skipped
    const before = process.memoryUsage().arrayBuffers;
    const wb = readXls(bytes, { fileName: "t.xls" });
    expect(wb.sheets.map((s) => s.name)).toEqual(["Data"]);
    expect(wb.sheets[0]?.cellCount).toBe(2);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * bytes.length + (1 << 20));
  });

  it("refuses a worksheet whose offset lies outside the stream, naming the file", () => {
    const { bytes, stream, records } = writtenWorkbook([{ name: "Data", rows: [["x"]] }]);
    stream.setUint32((records.get(BOUNDSHEET)?.[0] ?? 0) + 4, 0x7fffffff, true);
    const error = refusal(() => readXls(bytes, { fileName: "users.xls" }));
    expect(error.code).toBe("file_corrupt");
    expect(error.details.file).toBe("users.xls");
  });

  it("refuses an encrypted workbook (FILEPASS) with file_encrypted", () => {
    const { bytes, stream, records } = writtenWorkbook([{ name: "Data", rows: [["x"]] }]);
    // Turn the CODEPAGE record into a FILEPASS (RC4, CryptoAPI) record.
    const at = records.get(0x0042)?.[0] ?? 0;
    stream.setUint16(at, 0x002f, true);
    stream.setUint16(at + 2, 2, true);
    stream.setUint16(at + 4, 1, true);
    const error = refusal(() => readXls(bytes, { fileName: "secret.xls" }));
    expect(error.code).toBe("file_encrypted");
  });

  it("refuses empty and oversized files before parsing", () => {
    expect(refusal(() => readXls(new Uint8Array(0), { fileName: "e.xls" })).code).toBe("file_empty");
    const bytes = writeXls([{ name: "S", rows: [["x"]] }]);
    const error = refusal(() => readXls(bytes, { fileName: "big.xls", maxBytes: 1000 }));
    expect(error.code).toBe("file_too_large");
    expect(error.details).toMatchObject({ file: "big.xls", limit: 1000 });
  });

  it("reads the same whether or not it may reuse the input's memory", () => {
    const bytes = writeXls([{ name: "S", rows: Array.from({ length: 3000 }, (_, r) => [`row ${r}`, r]) }]);
    const texts = (reuseInput: boolean): string[] =>
      [...(readXls(new Uint8Array(bytes), { fileName: "t.xls", reuseInput }).sheets[0]?.cells() ?? [])].map(
        (c) => c.text,
      );
    expect(texts(true)).toEqual(texts(false));
  });
});
