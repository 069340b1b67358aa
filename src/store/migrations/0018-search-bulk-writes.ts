import { PostgresAdapter, sql, type Kysely } from "kysely";

/**
 * The search index's insert triggers (migration 0014) yield to bulk writers: a repository that inserts thousands of
 * users or aliases in one statement holds them off for its statement and writes the index rows set-based itself
 * (search-index-repository.ts), instead of a trigger program, three sort-key calls and a trigram insert per row.
 * Single-row doors (console, API, SCIM) are unchanged: the triggers still keep the index for them. Updates and
 * deletes are not held off. SQLite asks the connection's flag (search-keys.ts); PostgreSQL a setting local to the
 * transaction, so a failed bulk write cannot leave it set.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await replaceInsertTriggers(db, true);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await replaceInsertTriggers(db, false);
}

/** The insert triggers as 0014 wrote them, with (up) or without (down) the check that lets bulk writers hold them off. */
async function replaceInsertTriggers(db: Kysely<unknown>, yieldToBulk: boolean): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const bulkCheck = yieldToBulk
      ? sql.raw(
          `if coalesce(current_setting('mailroster.search_bulk', true), '') = 'on' then return null; end if;`,
        )
      : sql``;
    await sql`create or replace function mailroster_users_search_sync() returns trigger language plpgsql as $$ begin
      if tg_op = 'INSERT' then
        ${bulkCheck}
        insert into user_search (user_id, account_id, address_sort, name_sort, type, locked, updated_at, doc)
          values (new.id, new.account_id, mailroster_sort_key(new.email_key), mailroster_sort_key(new.name), new.type,
            new.locked, new.updated_at, mailroster_fold(new.name || E'\\n' || new.email_key));
      elsif old.name is distinct from new.name or old.email_key is distinct from new.email_key then
        update user_search set address_sort = mailroster_sort_key(new.email_key),
          name_sort = mailroster_sort_key(new.name), doc = mailroster_fold(new.name || E'\\n' || new.email_key),
          account_id = new.account_id, type = new.type, locked = new.locked, updated_at = new.updated_at
          where user_id = new.id;
      elsif old.account_id is distinct from new.account_id or old.type is distinct from new.type
          or old.locked is distinct from new.locked or old.updated_at is distinct from new.updated_at then
        update user_search set account_id = new.account_id, type = new.type, locked = new.locked,
          updated_at = new.updated_at where user_id = new.id;
      end if;
      return null; end $$`.execute(db);
    return;
  }
  const when = sql.raw(yieldToBulk ? "when mailroster_search_triggers()" : "");
  const andWhen = sql.raw(yieldToBulk ? "and mailroster_search_triggers()" : "");
  // One transaction, so every statement runs on the writer (outside one, a statement is first prepared on the
  // reader, whose schema may not yet show the drop).
  await db.transaction().execute(async (tx) => {
    await sql`drop trigger users_search_insert`.execute(tx);
    await sql`drop trigger addresses_search_insert`.execute(tx);
    await sql`create trigger users_search_insert after insert on users ${when} begin
      insert into user_search (user_id, account_id, address_sort, name_sort, type, locked, updated_at, doc)
        values (new.id, new.account_id, mailroster_sort_key(new.email_key), mailroster_sort_key(new.name), new.type,
          new.locked, new.updated_at, mailroster_fold(new.name || char(10) || new.email_key)); end`.execute(
      tx,
    );
    await sql`create trigger addresses_search_insert after insert on addresses when new.kind = 'alias' ${andWhen} begin
      insert into alias_search (address_key, user_id) values (new.address_key, new.user_id); end`.execute(tx);
  });
}
