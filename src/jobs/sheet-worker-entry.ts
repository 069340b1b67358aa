import { parentPort } from "node:worker_threads";
import { isAppError } from "../errors/app-error.js";
import { analyzeSheets } from "../import/analyze-sheet.js";
import { analyzeDelegateSheets } from "../import/delegates/read-delegate-sheet.js";
import { issueNowhere } from "../import/import-issue.js";
import { readXls, type XlsSheet } from "../sheet/xls/read-xls.js";
import type { SheetWorkerReply, SheetWorkerRequest } from "./sheet-worker.js";

// The worker thread of sheet-worker.ts: the pure reader and analysis, nothing else (no database, no
// hashing), so a hostile file can only exhaust this thread's budget. One file per thread.

const port = parentPort;
if (!port) throw new Error("sheet-worker-entry runs as a worker thread");

function post(reply: SheetWorkerReply): void {
  port?.postMessage(reply);
}

port.once("message", (request: SheetWorkerRequest) => {
  let sheets: readonly XlsSheet[];
  try {
    // The bytes were transferred here and are ours to rearrange.
    sheets = readXls(request.bytes, {
      fileName: request.fileName,
      maxBytes: request.maxBytes,
      reuseInput: true,
    }).sheets;
  } catch (error) {
    if (!isAppError(error)) throw error;
    post({ type: "done", result: { fileError: issueNowhere(error.code, error.message) } });
    return;
  }
  const total = sheets[0]?.rowCount ?? 0;
  const progress = (done: number): void => {
    post({ type: "progress", done, total: Math.max(done, total) });
  };
  const analysis =
    request.kind === "delegates" ? analyzeDelegateSheets(sheets, progress) : analyzeSheets(sheets, progress);
  post({ type: "done", result: analysis });
});
post({ type: "ready" });
