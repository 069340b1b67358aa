import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { AppError } from "../../errors/app-error.js";
import { cellRef } from "../../sheet/cell-ref.js";
import { fileTooLarge } from "../../sheet/xls/read-errors.js";
import { DEFAULT_MAX_XLS_BYTES, readXls, type XlsWorkbook } from "../../sheet/xls/read-xls.js";
import { UsageError } from "../command-spec.js";
import { EXIT_OK, defineCommand } from "../command.js";
import { StreamingWriter } from "../json-stream.js";
import { JSON_OPTION } from "../shared-options.js";

export const sheetDumpCommand = defineCommand(
  {
    path: ["sheet", "dump"],
    summary: "Read an Excel 97-2003 workbook (.xls) and print every worksheet's cells.",
    positionals: [{ name: "FILE", description: "The .xls workbook." }],
    options: {
      ...JSON_OPTION,
      "max-bytes": {
        type: "string",
        value: "N",
        default: String(DEFAULT_MAX_XLS_BYTES),
        description: "Refuse a file larger than this, in bytes.",
      },
    },
  },
  async ({ positionals, options }, io) => {
    const path = positionals.FILE;
    const maxBytes = Number(options["max-bytes"]);
    if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0)
      throw new UsageError("--max-bytes takes a positive number");
    const fileName = basename(path);
    const bytes = await readUpload(path, fileName, maxBytes);
    const workbook = readXls(bytes, { fileName, maxBytes, reuseInput: true });
    // Written as it is read, waiting for a slow reader (a pipe into jq): memory stays that of the workbook.
    const out = new StreamingWriter(io);
    if (options.json) await writeJson(workbook, out);
    else await writeText(workbook, out);
    await out.flush();
    return EXIT_OK;
  },
);

/** Reads the file, refusing an oversized one from its size alone so it is never loaded. */
async function readUpload(path: string, fileName: string, maxBytes: number): Promise<Uint8Array> {
  try {
    const info = await stat(path);
    if (!info.isFile())
      throw new AppError("file_unreadable", `${fileName}: not a regular file`, { file: fileName });
    if (info.size > maxBytes) throw fileTooLarge(fileName, info.size, maxBytes);
    return await readFile(path);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "it cannot be read";
    throw new AppError(
      "file_unreadable",
      `${fileName}: ${reason} (${path}). Check the path and permissions.`,
      {
        file: fileName,
      },
    );
  }
}

async function writeJson(workbook: XlsWorkbook, out: StreamingWriter): Promise<void> {
  // Streamed sheet by sheet and in chunks, so a 65,535-row sheet never becomes one giant object.
  await out.write(`{"format":${JSON.stringify(workbook.format)},"sheets":[`);
  for (const [s, sheet] of workbook.sheets.entries()) {
    await out.write(
      `${s > 0 ? "," : ""}{"name":${JSON.stringify(sheet.name)},"visible":${sheet.visible},"cells":[`,
    );
    let first = true;
    for (const cell of sheet.cells()) {
      const text = JSON.stringify(cell.text);
      // Text and error cells hold their text as the value: encode it once.
      const value = typeof cell.value === "string" ? text : String(cell.value);
      const full = out.write(
        `${first ? "" : ","}{"ref":"${cellRef(cell.row, cell.col)}","kind":"${cell.kind}","value":${value},"text":${text}}`,
      );
      if (full) await full;
      first = false;
    }
    await out.write("]}");
  }
  await out.write("]}\n");
}

async function writeText(workbook: XlsWorkbook, out: StreamingWriter): Promise<void> {
  await out.write(`${workbook.fileName}: ${workbook.format}, ${workbook.sheets.length} worksheet(s)\n`);
  for (const sheet of workbook.sheets) {
    const hidden = sheet.visible ? "" : ` (${sheet.visibility})`;
    await out.write(`\n== ${sheet.name}${hidden}: ${sheet.cellCount} cell(s)\n`);
    for (const cell of sheet.cells()) {
      const full = out.write(
        `${cellRef(cell.row, cell.col).padEnd(8)}${cell.kind.padEnd(7)}${JSON.stringify(cell.text)}\n`,
      );
      if (full) await full;
    }
  }
}
