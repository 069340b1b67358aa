import { parentPort } from "node:worker_threads";
import { isAppError } from "../../src/errors/app-error.js";
import { readXls } from "../../src/sheet/xls/read-xls.js";
import type { ProbeRequest, ProbeResult, WindowCell } from "./xls-probe.js";

/** Reads one workbook completely (every sheet, every cell's text) and reports what happened. */
function probe(request: ProbeRequest): ProbeResult {
  const externalBefore = process.memoryUsage().arrayBuffers;
  try {
    const workbook = readXls(request.bytes, { fileName: request.name });
    const sheets = workbook.sheets.map((sheet) => {
      let cells = 0;
      for (const cell of sheet.cells()) {
        if (typeof cell.text !== "string") throw new Error(`cell ${cell.row},${cell.col} has no text`);
        cells++;
      }
      return { name: sheet.name, visibility: sheet.visibility, cells };
    });
    let window: WindowCell[] | undefined;
    const first = workbook.sheets[0];
    if (request.window && first) {
      window = [];
      for (const row of first.rows()) {
        if (row.row >= request.window.rows) break;
        for (const cell of row.cells()) {
          if (cell.col < request.window.cols)
            window.push([cell.row, cell.col, cell.kind, cell.value, cell.text]);
        }
      }
    }
    // Typed arrays live outside the JS heap (which the worker's resource limit caps): count them here.
    const retainedExternal = process.memoryUsage().arrayBuffers - externalBefore;
    return {
      status: "read",
      format: workbook.format,
      dateMode: workbook.dateMode,
      sheets,
      window,
      retainedExternal,
    };
  } catch (error) {
    if (isAppError(error))
      return { status: "refused", code: error.code, message: error.message, details: { ...error.details } };
    return {
      status: "crash",
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

parentPort?.on("message", (request: ProbeRequest) => {
  parentPort?.postMessage({ id: request.id, result: probe(request) });
});
