import { writeXls, type XlsValue } from "../../src/sheet/xls/write-xls.js";

/** Builder: a one-sheet workbook with the rows given, header first, at A1. */
export function usersXls(rows: XlsValue[][], name = "Users"): Uint8Array {
  return writeXls([{ name, rows }]);
}
