import { describe, expect, it } from "vitest";
import { sniffFormat } from "./sniff.js";

const text = (s: string): Uint8Array => Buffer.from(s, "utf8");

describe("recognising what an upload really is", () => {
  it("sees a compound file", () => {
    expect(sniffFormat(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toEqual({
      kind: "cfb",
    });
  });

  it("tells xlsx, xlsb and ods zips apart", () => {
    const zip = (names: string): Uint8Array =>
      Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.from(names)]);
    expect(sniffFormat(zip("[Content_Types].xml xl/workbook.xml"))).toEqual({
      kind: "foreign",
      format: "xlsx",
    });
    expect(sniffFormat(zip("[Content_Types].xml xl/workbook.bin"))).toEqual({
      kind: "foreign",
      format: "xlsb",
    });
    expect(sniffFormat(zip("mimetypeapplication/vnd.oasis.opendocument.spreadsheet"))).toEqual({
      kind: "foreign",
      format: "ods",
    });
    expect(sniffFormat(zip("readme.txt"))).toEqual({ kind: "foreign", format: "zip" });
  });

  it("recognises text formats saved under an .xls name", () => {
    expect(sniffFormat(text("<html><body><table><tr><td>a</td></tr></table>"))).toEqual({
      kind: "foreign",
      format: "html",
    });
    expect(
      sniffFormat(
        text(
          '\ufeff<?xml version="1.0"?>\n<ss:Workbook xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><ss:Table/>',
        ),
      ),
    ).toEqual({ kind: "foreign", format: "xml-spreadsheet-2003" });
    expect(sniffFormat(text('ID;PWXL;N;E\nC;Y1;X1;K"a"\nE\n'))).toEqual({ kind: "foreign", format: "sylk" });
    expect(sniffFormat(text("email,name\na@example.com,A\n"))).toEqual({ kind: "foreign", format: "csv" });
    expect(sniffFormat(text("email\tname\r\na@example.com\tA\r\n"))).toEqual({
      kind: "foreign",
      format: "csv",
    });
    expect(sniffFormat(text("Please find the users attached"))).toEqual({ kind: "foreign", format: "text" });
  });

  it("recognises gzip and PDF", () => {
    expect(sniffFormat(Uint8Array.from([0x1f, 0x8b, 8, 0]))).toEqual({ kind: "foreign", format: "gzip" });
    expect(sniffFormat(text("%PDF-1.7\n"))).toEqual({ kind: "foreign", format: "pdf" });
  });

  it("recognises raw BIFF streams by their BOF record", () => {
    expect(sniffFormat(Uint8Array.from([0x09, 0x00, 0x04, 0x00, 0x02, 0x00, 0x10, 0x00]))).toEqual({
      kind: "raw-biff",
      version: 2,
    });
    expect(sniffFormat(Uint8Array.from([0x09, 0x04, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00, 0, 0]))).toEqual({
      kind: "raw-biff",
      version: 4,
    });
    expect(sniffFormat(Uint8Array.from([0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00, 0, 0]))).toEqual({
      kind: "raw-biff",
      version: 5,
    });
  });

  it("calls binary noise unknown", () => {
    expect(
      sniffFormat(Uint8Array.from([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x80, 0x81])),
    ).toEqual({
      kind: "foreign",
      format: "unknown",
    });
  });
});
