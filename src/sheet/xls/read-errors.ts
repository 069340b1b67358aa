import { AppError, type ErrorDetails } from "../../errors/app-error.js";

/**
 * The errors the .xls reader raises. Each names the file and says what the administrator can do about it;
 * the reader lets nothing else escape.
 */

const SAVE_AS_XLS =
  'Open it in Excel or LibreOffice Calc and use "Save As" with the type "Excel 97-2003 Workbook (*.xls)".';

export function fileEmpty(fileName: string): AppError {
  return new AppError(
    "file_empty",
    `${fileName}: the file is empty (0 bytes). Upload the workbook again; if it was sent by e-mail or a browser download, check that the transfer completed.`,
    { file: fileName },
  );
}

export function fileTooLarge(fileName: string, size: number, limit: number): AppError {
  return new AppError(
    "file_too_large",
    `${fileName}: the file is ${formatBytes(size)}, over the limit of ${formatBytes(limit)}. Remove unused sheets, images and formatting, or split the users over several workbooks.`,
    { file: fileName, size, limit },
  );
}

export function fileEncrypted(fileName: string, kind: string): AppError {
  return new AppError(
    "file_encrypted",
    `${fileName}: the workbook is protected with a password (${kind}), so it cannot be read. Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, then clear the password) and save it again as Excel 97-2003 (.xls).`,
    { file: fileName, encryption: kind },
  );
}

export function fileBiffTooOld(fileName: string, version: string): AppError {
  return new AppError(
    "file_biff_too_old",
    `${fileName}: this is an ${version} workbook, a format older than Excel 97 that cannot be imported. ${SAVE_AS_XLS}`,
    { file: fileName, version },
  );
}

/** Names of what a file really is, when it is not an .xls workbook. */
export type ForeignFormat =
  | "xlsx"
  | "xlsb"
  | "ods"
  | "zip"
  | "encrypted-ooxml"
  | "html"
  | "xml-spreadsheet-2003"
  | "xml"
  | "sylk"
  | "csv"
  | "text"
  | "gzip"
  | "pdf"
  | "ole-document"
  | "unknown";

const FOREIGN_DESCRIPTIONS: Record<ForeignFormat, string> = {
  xlsx: "an Excel Workbook (.xlsx)",
  xlsb: "an Excel Binary Workbook (.xlsb)",
  ods: "an OpenDocument Spreadsheet (.ods)",
  zip: "a zip archive",
  "encrypted-ooxml": "a password-protected Excel Workbook (.xlsx)",
  html: 'a web page (HTML), as Excel writes with "Save as Web Page"',
  "xml-spreadsheet-2003": "an XML Spreadsheet 2003 (.xml)",
  xml: "an XML document",
  sylk: "a SYLK file (.slk)",
  csv: "a comma- or tab-separated text file (CSV)",
  text: "a plain text file",
  gzip: "a gzip-compressed file (for example a Gnumeric workbook)",
  pdf: "a PDF document",
  "ole-document": "an Office document that holds no Excel workbook (for example a Word document)",
  unknown: "not a spreadsheet this product can read",
};

export function fileNotXls(fileName: string, format: ForeignFormat): AppError {
  const what = FOREIGN_DESCRIPTIONS[format];
  return new AppError(
    "file_not_xls",
    `${fileName}: this file is ${what}, not an Excel 97-2003 workbook (.xls). ${SAVE_AS_XLS}`,
    { file: fileName, format },
  );
}

export function fileCorrupt(fileName: string, where: string, details: ErrorDetails = {}): AppError {
  return new AppError(
    "file_corrupt",
    `${fileName}: the file is damaged or incomplete (${where}) and cannot be read. Upload it again; if that fails, open it in Excel or LibreOffice Calc and save it again as Excel 97-2003 (.xls).`,
    { file: fileName, where, ...details },
  );
}

export function fileNoWorksheet(fileName: string): AppError {
  return new AppError(
    "file_no_worksheet",
    `${fileName}: the workbook holds no worksheet (only chart, macro or dialog sheets). Add a worksheet with the users and save again.`,
    { file: fileName },
  );
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/**
 * A read past the end of a structure (DataView and Buffer throw RangeError) means the file lies about a
 * length we did not check first: that is a corrupt file, not a crash. Any other error is a bug of ours and
 * is left to surface, so the fuzz tests can find it.
 */
export function guardCorrupt<T>(fileName: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof RangeError) throw fileCorrupt(fileName, "a length or offset points past its data");
    throw error;
  }
}
