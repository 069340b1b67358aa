/**
 * The one registry of error codes. Every error a user can cause carries one of these stable snake_case
 * codes; tests and scripts rely on them, so a code never changes meaning once landed. Domain errors carry
 * no HTTP status: the HTTP adapter maps codes to statuses in one place.
 */
export const ERROR_CODES = {
  // Reading a spreadsheet file.
  file_empty: "The file is empty.",
  file_too_large: "The file is larger than the configured limit.",
  file_encrypted: "The workbook is protected with a password (encrypted).",
  file_biff_too_old: "The workbook is in an Excel format older than Excel 97 (BIFF2 to BIFF4).",
  file_not_xls: "The file is not an Excel 97-2003 workbook; it is another format saved under an .xls name.",
  file_corrupt: "The file is damaged or truncated and cannot be read.",
  file_no_worksheet: "The workbook holds no worksheet.",

  // Command line.
  usage: "The command was called with wrong arguments.",
  file_unreadable: "The file could not be opened.",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
