import { PostgresAdapter, sql, type Kysely } from "kysely";

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * The users' search index and sort keys (issue 15): `user_search`, one row per user, kept in step by
 * triggers on users (and, on SQLite, addresses), so every writer (import, Sync All, console, SCIM) keeps it without
 * knowing. `doc` is the folded name and primary address (aliases are indexed apart); `address_sort` and `name_sort` are
 * numeric-aware keys (search-keys.ts). SQLite indexes `doc` with FTS5's trigram tokenizer (an external-content
 * table over user_search, and another over alias_search); PostgreSQL with pg_trgm (GIN indexes on user_search.doc
 * and on the aliases in addresses), or, where the extension is not available, scans.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) await upPostgres(db);
  else await upSqlite(db);
  await db.schema
    .createIndex("attribute_values_definition_value_idx")
    .on("attribute_values")
    .columns(["definition_id", "value"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("attribute_values_definition_value_idx").execute();
  if (isPostgres(db)) {
    await sql`drop trigger users_search_sync on users`.execute(db);
    await sql`drop index if exists addresses_alias_trgm_idx`.execute(db);
    await sql`drop table user_search`.execute(db);
    await sql`drop function mailroster_users_search_sync()`.execute(db);
    await sql`drop function mailroster_sort_key(text)`.execute(db);
    await sql`drop function mailroster_fold(text)`.execute(db);
    return;
  }
  for (const trigger of SQLITE_TRIGGERS) await sql`drop trigger ${sql.id(trigger)}`.execute(db);
  for (const table of [
    "alias_search_vocab",
    "user_search_vocab",
    "alias_search_fts",
    "alias_search",
    "user_search_fts",
    "user_search",
  ]) {
    await sql`drop table ${sql.id(table)}`.execute(db);
  }
}

const SQLITE_TRIGGERS = [
  "users_search_insert",
  "users_search_identity",
  "users_search_facts",
  "addresses_search_insert",
  "addresses_search_update",
  "user_search_fts_insert",
  "user_search_fts_delete",
  "user_search_fts_update",
  "alias_search_fts_insert",
  "alias_search_fts_delete",
  "alias_search_fts_update",
];

const SEARCH_COLUMNS = sql`user_id, account_id, address_sort, name_sort, type, locked, updated_at, doc`;

async function createSortIndexes(db: Kysely<unknown>): Promise<void> {
  // Each list order is an index, its last column the id that breaks ties, so every page is one range scan.
  const indexes: [string, string[]][] = [
    ["user_search_address_idx", ["account_id", "address_sort", "user_id"]],
    ["user_search_name_idx", ["account_id", "name_sort", "user_id"]],
    ["user_search_type_idx", ["account_id", "type", "address_sort", "user_id"]],
    ["user_search_updated_idx", ["account_id", "updated_at", "user_id"]],
  ];
  for (const [name, columns] of indexes) {
    await db.schema.createIndex(name).on("user_search").columns(columns).execute();
  }
}

async function upSqlite(db: Kysely<unknown>): Promise<void> {
  // seq: an INTEGER PRIMARY KEY (stable through VACUUM, unlike an implicit rowid) for FTS5's rowid.
  await sql`create table user_search (
    seq integer primary key,
    user_id text not null unique references users(id) on delete cascade,
    account_id text not null,
    address_sort text not null,
    name_sort text not null,
    type text not null,
    locked integer not null,
    updated_at text not null,
    doc text not null)`.execute(db);
  // Aliases in a table (and trigram index) of their own: an alias written is one insert, not a rewrite of
  // its user's document (an import writes three aliases a user).
  await sql`create table alias_search (
    seq integer primary key,
    address_key text not null unique references addresses(address_key) on delete cascade,
    user_id text not null)`.execute(db);
  const doc = (user: string) => sql.raw(`mailroster_fold(${user}.name || char(10) || ${user}.email_key)`);
  await sql`insert into user_search (${SEARCH_COLUMNS})
    select u.id, u.account_id, mailroster_sort_key(u.email_key), mailroster_sort_key(u.name), u.type, u.locked,
      u.updated_at, ${doc("u")} from users u`.execute(db);
  await sql`insert into alias_search (address_key, user_id)
    select address_key, user_id from addresses where kind = 'alias'`.execute(db);
  await createSortIndexes(db);
  await sql`create index alias_search_user_idx on alias_search (user_id)`.execute(db);
  // Trigram: any substring of three characters or more is an index look-up (shorter ones scan). detail=none
  // keeps no positions (half the size, a third faster to write): queries use LIKE, which FTS5 answers from
  // the trigrams and then checks against the text. Address keys are lower case already: no folded copy.
  const indexed = [
    ["user_search", "doc"],
    ["alias_search", "address_key"],
  ] as const;
  for (const [table, column] of indexed) {
    const fts = sql.id(`${table}_fts`);
    await sql`create virtual table ${fts} using fts5(${sql.id(column)}, content=${sql.lit(table)},
      content_rowid='seq', tokenize='trigram', detail=none)`.execute(db);
    await sql`insert into ${fts} (${fts}) values ('rebuild')`.execute(db);
    // How many rows hold each trigram: a search looks up its text's rarest trigrams, not every one of them
    // (an address's "com" and "exa" are in every row).
    await sql`create virtual table ${sql.id(`${table}_vocab`)} using fts5vocab(${sql.lit(`${table}_fts`)}, 'row')`.execute(
      db,
    );
  }
  const aliasInsert = (row: string) =>
    sql.raw(`insert into alias_search (address_key, user_id)
      select ${row}.address_key, ${row}.user_id where ${row}.kind = 'alias';`);
  const statements = [
    sql`create trigger users_search_insert after insert on users begin
      insert into user_search (${SEARCH_COLUMNS}) values (new.id, new.account_id, mailroster_sort_key(new.email_key),
        mailroster_sort_key(new.name), new.type, new.locked, new.updated_at, ${doc("new")}); end`,
    sql`create trigger users_search_identity after update of name, email_key on users
      when old.name is not new.name or old.email_key is not new.email_key begin
      update user_search set address_sort = mailroster_sort_key(new.email_key),
        name_sort = mailroster_sort_key(new.name), doc = ${doc("new")} where user_id = new.id; end`,
    sql`create trigger users_search_facts after update of account_id, type, locked, updated_at on users
      when old.account_id is not new.account_id or old.type is not new.type or old.locked is not new.locked
        or old.updated_at is not new.updated_at begin
      update user_search set account_id = new.account_id, type = new.type, locked = new.locked,
        updated_at = new.updated_at where user_id = new.id; end`,
    sql`create trigger addresses_search_insert after insert on addresses when new.kind = 'alias' begin
      ${aliasInsert("new")} end`,
    sql`create trigger addresses_search_update after update on addresses
      when old.kind is not new.kind or old.address_key is not new.address_key or old.user_id is not new.user_id
      begin delete from alias_search where address_key = old.address_key; ${aliasInsert("new")} end`,
  ];
  // Deleting an address deletes its alias_search row by the foreign key's cascade.
  for (const [table, column] of indexed) {
    const fts = sql.id(`${table}_fts`);
    const text = sql.id(column);
    statements.push(
      sql`create trigger ${sql.id(`${table}_fts_insert`)} after insert on ${sql.id(table)} begin
        insert into ${fts} (rowid, ${text}) values (new.seq, new.${text}); end`,
      sql`create trigger ${sql.id(`${table}_fts_delete`)} after delete on ${sql.id(table)} begin
        insert into ${fts} (${fts}, rowid, ${text}) values ('delete', old.seq, old.${text}); end`,
      sql`create trigger ${sql.id(`${table}_fts_update`)} after update of ${text} on ${sql.id(table)}
        when old.${text} is not new.${text} begin
        insert into ${fts} (${fts}, rowid, ${text}) values ('delete', old.seq, old.${text});
        insert into ${fts} (rowid, ${text}) values (new.seq, new.${text}); end`,
    );
  }
  for (const statement of statements) await statement.execute(db);
}

/** Where pg_trgm is installed, installing it when the server has it; undefined when it cannot be had. */
export async function installTrigram(
  db: Kysely<unknown>,
  extension = "pg_trgm",
): Promise<string | undefined> {
  const installed = async () =>
    (
      await sql<{ schema: string }>`select n.nspname as schema from pg_extension e
        join pg_namespace n on n.oid = e.extnamespace where e.extname = ${extension}`.execute(db)
    ).rows[0]?.schema;
  const before = await installed();
  if (before !== undefined) return before;
  const available = await sql`select 1 from pg_available_extensions where name = ${extension}`.execute(db);
  if (available.rows.length > 0) {
    // In public, not the current schema: a schema dropped with cascade would take the extension (and every
    // other schema's trigram index) with it. A savepoint, as another migration may be installing it right now.
    await sql`savepoint install_trigram`.execute(db);
    try {
      await sql`create extension if not exists ${sql.id(extension)} with schema public`.execute(db);
      await sql`release savepoint install_trigram`.execute(db);
    } catch {
      await sql`rollback to savepoint install_trigram`.execute(db);
    }
  }
  const schema = await installed();
  if (schema === undefined) {
    console.warn(
      `!!! mailroster: the PostgreSQL extension ${extension} is not available on this server (Debian ships it ` +
        "in postgresql-contrib): user search will SCAN every user instead of using an index. Install it and " +
        `run "create extension ${extension}" and see migration 0014 for its two indexes.`,
    );
  }
  return schema;
}

async function upPostgres(db: Kysely<unknown>): Promise<void> {
  // The sort keys compare in code-point order ("C"), as SQLite's BINARY does: one order on both databases.
  await sql`create table user_search (
    user_id text primary key references users(id) on delete cascade,
    account_id text not null,
    address_sort text collate "C" not null,
    name_sort text collate "C" not null,
    type text not null,
    locked integer not null,
    updated_at text not null,
    doc text not null)`.execute(db);
  await sql`create function mailroster_fold(t text) returns text language sql immutable parallel safe
    as $$ select lower(normalize(t, NFKC)) $$`.execute(db);
  await sql`create function mailroster_sort_key(t text) returns text language sql immutable parallel safe as $$
    select coalesce(string_agg(case when r.m[1] ~ '^[0-9]' then chr(48 + least(length(r.m[1]), 78)) || r.m[1]
      else r.m[1] end, '' order by r.n), '')
    from regexp_matches(mailroster_fold(t), '[0-9]+|[^0-9]+', 'g') with ordinality as r(m, n) $$`.execute(db);
  await sql`insert into user_search (${SEARCH_COLUMNS})
    select u.id, u.account_id, mailroster_sort_key(u.email_key), mailroster_sort_key(u.name), u.type, u.locked,
      u.updated_at, mailroster_fold(u.name || E'\n' || u.email_key) from users u`.execute(db);
  await createSortIndexes(db);
  const schema = await installTrigram(db);
  if (schema !== undefined) {
    const trigrams = sql.id(schema, "gin_trgm_ops");
    await sql`create index user_search_doc_idx on user_search using gin (doc ${trigrams})`.execute(db);
    // Aliases are searched in addresses itself (their keys are already lower case).
    await sql`create index addresses_alias_trgm_idx on addresses using gin (address_key ${trigrams})
      where kind = 'alias'`.execute(db);
  }
  await sql`create function mailroster_users_search_sync() returns trigger language plpgsql as $$ begin
    if tg_op = 'INSERT' then
      insert into user_search (${SEARCH_COLUMNS}) values (new.id, new.account_id, mailroster_sort_key(new.email_key),
        mailroster_sort_key(new.name), new.type, new.locked, new.updated_at, mailroster_fold(new.name || E'\\n' || new.email_key));
    elsif old.name is distinct from new.name or old.email_key is distinct from new.email_key then
      update user_search set address_sort = mailroster_sort_key(new.email_key), name_sort = mailroster_sort_key(new.name),
        doc = mailroster_fold(new.name || E'\\n' || new.email_key), account_id = new.account_id, type = new.type, locked = new.locked,
        updated_at = new.updated_at where user_id = new.id;
    elsif old.account_id is distinct from new.account_id or old.type is distinct from new.type
        or old.locked is distinct from new.locked or old.updated_at is distinct from new.updated_at then
      update user_search set account_id = new.account_id, type = new.type, locked = new.locked,
        updated_at = new.updated_at where user_id = new.id;
    end if;
    return null; end $$`.execute(db);
  await sql`create trigger users_search_sync after insert or update on users
    for each row execute function mailroster_users_search_sync()`.execute(db);
}
