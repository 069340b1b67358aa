import { sql, type Kysely } from "kysely";

// Lockout becomes on by default (10 failures, 30 minutes). An account without a stored policy follows the
// new default by itself. A stored policy is an administrator's choice and stays, except one that equals the
// old default in every field: nothing tells it apart from "never chose", so it moves to the new default.
// Data only, no schema change. The values are written out here, not imported, so a later change of the
// default does not change this migration. Never edited once landed.

const OLD_DEFAULT = sql`min_length = 8 and require_upper = 0 and require_lower = 0 and require_digit = 0
  and require_symbol = 0 and min_classes = 3 and refuse_common = 1 and max_age_days = 0 and history = 0
  and lockout_minutes = 30`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update password_policies set lockout_threshold = 10
    where lockout_threshold = 0 and ${OLD_DEFAULT}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update password_policies set lockout_threshold = 0
    where lockout_threshold = 10 and ${OLD_DEFAULT}`.execute(db);
}
