import type SQLite from "better-sqlite3";
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from "kysely";

/**
 * SQLite on two connections to one WAL database: transactions and writes run on the writer, one at a time;
 * a read outside a transaction runs on the reader, which sees the last commit. With Kysely's own dialect
 * (one connection behind a mutex) every request waited for a running transaction: the console and the
 * progress of an import stalled for the seconds a 65,535-user save writes.
 */
export function sqliteReadWriteDialect(writer: SQLite.Database, reader: SQLite.Database): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ReadWriteDriver(writer, reader),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

/** Hands the writer to one holder at a time; the others wait in order. */
class WriterLock {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  async acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

const PRAGMA = /^\s*pragma\b/i;

function run(
  db: SQLite.Database,
  query: CompiledQuery,
  statement: SQLite.Statement = db.prepare(query.sql),
): QueryResult<unknown> {
  const parameters = query.parameters as unknown[];
  if (statement.reader) return { rows: statement.all(parameters) };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

class ReadWriteDriver implements Driver {
  private readonly lock = new WriterLock();

  constructor(
    private readonly writer: SQLite.Database,
    private readonly reader: SQLite.Database,
  ) {}

  async init(): Promise<void> {}

  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(new RoutedConnection(this.writer, this.reader, this.lock));
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await routed(connection).begin();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await routed(connection).end("commit");
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await routed(connection).end("rollback");
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    routed(connection).release();
    return Promise.resolve();
  }

  async destroy(): Promise<void> {
    this.reader.close();
    this.writer.close();
    return Promise.resolve();
  }
}

function routed(connection: DatabaseConnection): RoutedConnection {
  if (!(connection instanceof RoutedConnection)) throw new Error("not a connection of this driver");
  return connection;
}

class RoutedConnection implements DatabaseConnection {
  /** Set from `begin` to `end`: the transaction's statements all run on the writer. */
  private holding = false;

  constructor(
    private readonly writer: SQLite.Database,
    private readonly reader: SQLite.Database,
    private readonly lock: WriterLock,
  ) {}

  async begin(): Promise<void> {
    await this.lock.acquire();
    this.holding = true;
    try {
      this.writer.exec("begin");
    } catch (error) {
      this.release();
      throw error;
    }
  }

  async end(command: "commit" | "rollback"): Promise<void> {
    try {
      this.writer.exec(command);
    } finally {
      this.release();
    }
    return Promise.resolve();
  }

  release(): void {
    if (!this.holding) return;
    this.holding = false;
    this.lock.release();
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.holding) return run(this.writer, query) as QueryResult<R>;
    // Outside a transaction: what only reads goes to the reader (which is query_only, so a write could
    // never slip through there); a write waits its turn for the writer and commits on its own.
    // A PRAGMA may set the connection's state without writing a page (and so count as read-only): it
    // belongs to the writer, whose settings matter.
    if (!PRAGMA.test(query.sql)) {
      const onReader = this.reader.prepare(query.sql);
      if (onReader.readonly) return run(this.reader, query, onReader) as QueryResult<R>;
    }
    await this.lock.acquire();
    try {
      return run(this.writer, query) as QueryResult<R>;
    } finally {
      this.lock.release();
    }
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streaming is not used with SQLite here");
  }
}
