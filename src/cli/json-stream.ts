import type { CliIo } from "./command.js";

// Output that is written as it is read: chunks of about 64 KiB, and after each one a wait for the reader when
// stdout's buffer is full (a pipe into a slow `jq`), so memory stays bounded whatever the list's length.

const CHUNK = 1 << 16;

/** Writes text through `io`, a chunk at a time, waiting for a slow reader between chunks. */
export class StreamingWriter {
  #chunk = "";

  constructor(private readonly io: CliIo) {}

  /** Adds text; a promise (to await) only when a chunk went out, so a hot loop pays no await per item. */
  write(text: string): Promise<void> | undefined {
    this.#chunk += text;
    return this.#chunk.length >= CHUNK ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.#chunk !== "") {
      this.io.stdout(this.#chunk);
      this.#chunk = "";
    }
    await this.io.drained?.();
  }
}

/**
 * One JSON array, item by item: the same text as `JSON.stringify(items, null, 2)` (each item indented under
 * the bracket), so `--json` output is unchanged by streaming.
 */
export class JsonArrayWriter {
  readonly #out: StreamingWriter;
  #count = 0;

  /** `compact`: each item on one line (as `delegates list` always wrote them). */
  constructor(
    io: CliIo,
    private readonly options: { compact?: boolean } = {},
  ) {
    this.#out = new StreamingWriter(io);
  }

  get count(): number {
    return this.#count;
  }

  async item(value: unknown): Promise<void> {
    const text = this.options.compact
      ? JSON.stringify(value)
      : JSON.stringify(value, null, 2).replace(/\n/g, "\n  ");
    await this.#out.write(`${this.#count === 0 ? "[\n  " : ",\n  "}${text}`);
    this.#count++;
  }

  async end(): Promise<void> {
    await this.#out.write(this.#count === 0 ? "[]\n" : "\n]\n");
    await this.#out.flush();
  }
}

/** Writes every item `source` yields (in pages) as one JSON array, or as lines with `line`. */
export async function writeList<T>(
  io: CliIo,
  source: AsyncIterable<readonly T[]>,
  format: { json: boolean; line: (item: T) => string },
): Promise<void> {
  if (format.json) {
    const array = new JsonArrayWriter(io);
    for await (const page of source) for (const item of page) await array.item(item);
    await array.end();
    return;
  }
  const out = new StreamingWriter(io);
  for await (const page of source) for (const item of page) await out.write(format.line(item));
  await out.flush();
}
