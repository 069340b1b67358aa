import { hasCfbSignature } from "./cfb.js";
import type { ForeignFormat } from "./read-errors.js";

/** What the first bytes of an upload say it is, before any parsing. */
export type SniffResult =
  | { readonly kind: "cfb" }
  | { readonly kind: "raw-biff"; readonly version: 2 | 3 | 4 | 5 }
  | { readonly kind: "foreign"; readonly format: ForeignFormat };

const SAMPLE_SIZE = 64 * 1024;

export function sniffFormat(bytes: Uint8Array): SniffResult {
  if (hasCfbSignature(bytes)) return { kind: "cfb" };
  const b0 = bytes[0] ?? -1;
  const b1 = bytes[1] ?? -1;
  // A raw BIFF stream with no container starts with a BOF record (MS-XLS 2.4.21 and its BIFF2-4 forebears).
  if (b1 === 0x00 || b1 === 0x02 || b1 === 0x04 || b1 === 0x08) {
    const version = rawBiffVersion(b0, b1, bytes);
    if (version !== undefined) return { kind: "raw-biff", version };
  }
  if (b0 === 0x50 && b1 === 0x4b) return { kind: "foreign", format: sniffZip(bytes) };
  if (b0 === 0x1f && b1 === 0x8b) return { kind: "foreign", format: "gzip" };
  if (startsWithAscii(bytes, "%PDF")) return { kind: "foreign", format: "pdf" };
  return { kind: "foreign", format: sniffText(bytes) };
}

function rawBiffVersion(b0: number, b1: number, bytes: Uint8Array): 2 | 3 | 4 | 5 | undefined {
  if (b0 !== 0x09 || bytes.length < 8) return undefined;
  const length = (bytes[2] ?? 0) | ((bytes[3] ?? 0) << 8);
  if (length < 4 || length > 20) return undefined;
  if (b1 === 0x00) return 2;
  if (b1 === 0x02) return 3;
  if (b1 === 0x04) return 4;
  return 5; // 0x0809: a BIFF5 or BIFF8 stream saved without its container; the BOF tells which.
}

function sniffZip(bytes: Uint8Array): ForeignFormat {
  const head = latin1(bytes.subarray(0, SAMPLE_SIZE));
  const tail = latin1(bytes.subarray(Math.max(0, bytes.length - SAMPLE_SIZE)));
  const names = head + tail;
  if (names.includes("application/vnd.oasis.opendocument.spreadsheet")) return "ods";
  if (names.includes("xl/workbook.bin")) return "xlsb";
  if (names.includes("xl/workbook.xml") || names.includes("[Content_Types].xml")) return "xlsx";
  if (names.includes("content.xml") && names.includes("mimetype")) return "ods";
  return "zip";
}

function sniffText(bytes: Uint8Array): ForeignFormat {
  const sample = decodeTextSample(bytes.subarray(0, SAMPLE_SIZE));
  if (sample === undefined) return "unknown";
  const trimmed = sample.replace(/^\s+/, "");
  const lower = trimmed.slice(0, 4096).toLowerCase();
  if (lower.startsWith("<")) {
    if (lower.includes("<html") || lower.includes("<!doctype html")) return "html";
    // An XML Spreadsheet 2003 has <Table> elements too, so its namespace is checked before a bare <table>.
    if (lower.includes("urn:schemas-microsoft-com:office:spreadsheet")) return "xml-spreadsheet-2003";
    if (lower.includes("<table")) return "html";
    return lower.startsWith("<?xml") ? "xml" : "html";
  }
  if (/^ID;/.test(trimmed)) return "sylk";
  const lines = trimmed.split(/\r\n|\n|\r/, 20).filter((line) => line.length > 0);
  const delimited = lines.length > 0 && lines.every((line) => /[,;\t]/.test(line));
  return delimited ? "csv" : "text";
}

/** Decodes a sample as text when it looks like text (a BOM, or no control bytes but white space). */
function decodeTextSample(bytes: Uint8Array): string | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return buf.toString("utf16le", 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2));
    swapped.swap16();
    return swapped.toString("utf16le");
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let control = 0;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  if (bytes.length - start === 0 || control > (bytes.length - start) / 100) return undefined;
  return buf.toString("utf8", start);
}

function startsWithAscii(bytes: Uint8Array, prefix: string): boolean {
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}
