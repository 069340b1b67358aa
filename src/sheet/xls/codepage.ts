/**
 * Decoding of 8-bit text in BIFF5 and older workbooks, by the CODEPAGE record (MS-XLS 2.4.52). BIFF8
 * text is UTF-16 and never comes here.
 */

// Mac Central European (10029) is not among the WHATWG encodings Node's TextDecoder knows; its upper half,
// bytes 0x80..0xFF, as published by Apple.
const MAC_CENTRAL_EUROPEAN_HIGH =
  "\u00c4\u0100\u0101\u00c9\u0104\u00d6\u00dc\u00e1\u0105\u010c\u00e4\u010d\u0106\u0107\u00e9\u0179\u017a\u010e\u00ed\u010f\u0112\u0113\u0116\u00f3\u0117\u00f4\u00f6\u00f5\u00fa\u011a\u011b\u00fc\u2020\u00b0\u0118\u00a3\u00a7\u2022\u00b6\u00df\u00ae\u00a9\u2122\u0119\u00a8\u2260\u0123\u012e\u012f\u012a\u2264\u2265\u012b\u0136\u2202\u2211\u0142\u013b\u013c\u013d\u013e\u0139\u013a\u0145\u0146\u0143\u00ac\u221a\u0144\u0147\u2206\u00ab\u00bb\u2026\u00a0\u0148\u0150\u00d5\u0151\u014c\u2013\u2014\u201c\u201d\u2018\u2019\u00f7\u25ca\u014d\u0154\u0155\u0158\u2039\u203a\u0159\u0156\u0157\u0160\u201a\u201e\u0161\u015a\u015b\u00c1\u0164\u0165\u00cd\u017d\u017e\u016a\u00d3\u00d4\u016b\u016e\u00da\u016f\u0170\u0171\u0172\u0173\u00dd\u00fd\u0137\u017b\u0141\u017c\u0122\u02c7";

const WHATWG_LABELS: Readonly<Record<number, string>> = {
  367: "windows-1252", // US-ASCII: Excel writes it for plain English workbooks
  874: "windows-874",
  932: "shift_jis",
  936: "gbk",
  949: "euc-kr",
  950: "big5",
  1250: "windows-1250",
  1251: "windows-1251",
  1252: "windows-1252",
  1253: "windows-1253",
  1254: "windows-1254",
  1255: "windows-1255",
  1256: "windows-1256",
  1257: "windows-1257",
  1258: "windows-1258",
  1361: "euc-kr",
  10000: "macintosh",
  10007: "x-mac-cyrillic",
  20866: "koi8-r",
  21866: "koi8-u",
  28592: "iso-8859-2",
  28593: "iso-8859-3",
  28594: "iso-8859-4",
  28595: "iso-8859-5",
  28596: "iso-8859-6",
  28597: "iso-8859-7",
  28598: "iso-8859-8",
  28599: "windows-1254",
  28605: "iso-8859-15",
  32768: "macintosh", // Apple Roman, as BIFF2-4 wrote it
  32769: "windows-1252", // MS-XLS: "Windows Latin 1 (BIFF2-BIFF3)"
  65001: "utf-8",
};

/** A decoder for one codepage; unknown codepages read as Windows Latin 1, Excel's own default. */
export type ByteTextDecoder = (bytes: Uint8Array) => string;

export function createCodepageDecoder(codepage: number | undefined): ByteTextDecoder {
  if (codepage === 10029) return decodeMacCentralEuropean;
  const label = (codepage !== undefined ? WHATWG_LABELS[codepage] : undefined) ?? "windows-1252";
  const decoder = new TextDecoder(label);
  return (bytes) => {
    // Plain ASCII reads the same in every supported codepage; skip the decoder for it.
    if (isAscii(bytes)) {
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
    }
    return decoder.decode(bytes);
  };
}

function isAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return false;
  return true;
}

function decodeMacCentralEuropean(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes)
    out += b < 0x80 ? String.fromCharCode(b) : MAC_CENTRAL_EUROPEAN_HIGH.charAt(b - 0x80);
  return out;
}
