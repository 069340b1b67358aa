import { ACTION_HEADER, DELEGATE_CHECKPOINT, DELEGATE_HEADER } from "../../directory/delegate-rules.js";
import { AppError } from "../../errors/app-error.js";
import { neutralizeFormula } from "../../sheet/formula-guard.js";
import { writeXls, type XlsValue } from "../../sheet/xls/write-xls.js";
import type { ServiceContext } from "../context.js";
import { XLS_TYPE, type FileDownload } from "../imports/import-files.js";
import { eachDelegate, type DelegateQuery } from "./list-delegates.js";

/** The rows an .xls sheet holds below its header. */
const MAX_EXPORT_PAIRS = 65_535;
const SHEET = "Delegates";

/**
 * The account's pairs as a delegate sheet (`primary`, `delegate` at A1), the format the import reads: export
 * -> edit -> import round-trips. A cell starting like a formula gets the leading quote every sheet we write
 * carries; the import reads it back as the address.
 */
export async function exportDelegates(context: ServiceContext, query: DelegateQuery): Promise<FileDownload> {
  const rows: XlsValue[][] = [[DELEGATE_CHECKPOINT, DELEGATE_HEADER]];
  await eachDelegate(context, query, (pair) => {
    if (rows.length > MAX_EXPORT_PAIRS) {
      throw new AppError(
        "delegates_export_too_large",
        `More than ${MAX_EXPORT_PAIRS} pairs match, more than one .xls sheet holds: export one Primary Address at a time.`,
        { limit: MAX_EXPORT_PAIRS },
      );
    }
    rows.push([neutralizeFormula(pair.primary), neutralizeFormula(pair.delegate)]);
  });
  return { fileName: "delegates.xls", contentType: XLS_TYPE, bytes: writeXls([{ name: SHEET, rows }]) };
}

/** A blank delegate sheet: `primary`, `delegate`, `action` at A1. */
export function delegateTemplate(): FileDownload {
  return {
    fileName: "mailroster-delegates-template.xls",
    contentType: XLS_TYPE,
    bytes: writeXls([{ name: SHEET, rows: [[DELEGATE_CHECKPOINT, DELEGATE_HEADER, ACTION_HEADER]] }]),
  };
}
