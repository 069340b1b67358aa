import {
  DEFAULT_PASSWORD_POLICY,
  validatePasswordPolicy,
  type PasswordPolicy,
} from "../directory/password-policy.js";
import {
  findPasswordPolicyRow,
  upsertPasswordPolicyRow,
  type PasswordPolicyRow,
} from "../store/password-policies-repository.js";
import type { Executor } from "../store/schema.js";
import { resolveAccountWithinReach } from "./account-lookup.js";
import { authorize, writeAudit, type ServiceContext } from "./context.js";

function mapPolicyRow(row: PasswordPolicyRow): PasswordPolicy {
  return {
    minLength: row.min_length,
    requireUpper: row.require_upper === 1,
    requireLower: row.require_lower === 1,
    requireDigit: row.require_digit === 1,
    requireSymbol: row.require_symbol === 1,
    minClasses: row.min_classes,
    refuseCommon: row.refuse_common === 1,
    maxAgeDays: row.max_age_days,
    history: row.history,
    lockoutThreshold: row.lockout_threshold,
    lockoutMinutes: row.lockout_minutes,
  };
}

/** The account's policy, or the default when it never set one. */
export async function loadPasswordPolicy(db: Executor, accountId: string): Promise<PasswordPolicy> {
  const row = await findPasswordPolicyRow(db, accountId);
  return row ? mapPolicyRow(row) : DEFAULT_PASSWORD_POLICY;
}

/** Changes the given fields of an account's password policy; returns the policy now in force. */
export async function setPasswordPolicy(
  context: ServiceContext,
  request: { account?: string | undefined; changes: Partial<PasswordPolicy> },
): Promise<{ account: string; policy: PasswordPolicy }> {
  return context.db.transaction().execute(async (tx) => {
    const account = await resolveAccountWithinReach(tx, context.actor, request.account);
    const actor = await authorize(tx, context.actor, account.id, "manage_policy");
    const before = await loadPasswordPolicy(tx, account.id);
    const defined = Object.fromEntries(
      Object.entries(request.changes).filter((entry) => (entry[1] as unknown) !== undefined),
    );
    const policy = validatePasswordPolicy({ ...before, ...defined });
    const flag = (value: boolean): number => (value ? 1 : 0);
    await upsertPasswordPolicyRow(tx, {
      account_id: account.id,
      min_length: policy.minLength,
      require_upper: flag(policy.requireUpper),
      require_lower: flag(policy.requireLower),
      require_digit: flag(policy.requireDigit),
      require_symbol: flag(policy.requireSymbol),
      min_classes: policy.minClasses,
      refuse_common: flag(policy.refuseCommon),
      max_age_days: policy.maxAgeDays,
      history: policy.history,
      lockout_threshold: policy.lockoutThreshold,
      lockout_minutes: policy.lockoutMinutes,
      updated_at: context.now().toISOString(),
    });
    await writeAudit(tx, context, actor, [
      { accountId: account.id, action: "policy.set", before, after: policy },
    ]);
    return { account: account.code, policy };
  });
}
