import { z } from "zod";
import { MAX_NOTE_LENGTH } from "../directory/note.js";
import {
  apiTokenViewSchema,
  auditViewSchema,
  meViewSchema,
  userViewSchema,
} from "../services/view-schemas.js";

// The shapes the API promises. Every response is parsed through one of these before it is sent: an object
// schema keeps only the keys it names, so a field a service did not mean to expose (a hash) never leaves.

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  })
  .meta({ id: "Error" });

/**
 * A note at any door. The document says the rulebook's limit (MAX_NOTE_LENGTH characters: code points, as
 * JSON Schema's maxLength counts them; GET /meta noteMaxLength says the same). zod counts UTF-16 units, so the
 * field lets twice as many through to the rulebook, which answers note_invalid past the limit.
 */
export const noteText = z
  .string()
  .max(2 * MAX_NOTE_LENGTH)
  .meta({
    maxLength: MAX_NOTE_LENGTH,
    description: `A note of 1 to ${MAX_NOTE_LENGTH} characters; a longer one is refused with note_invalid.`,
  });

export const userSchema = userViewSchema.meta({
  id: "User",
  examples: [
    {
      email: "jane.doe@example.com",
      name: "Jane Doe",
      type: "manual",
      account: "acme",
      forceChangePassword: true,
      passwordNeverExpires: false,
      locked: false,
      pop: false,
      submit: true,
      hasPassword: true,
      aliases: ["jd@example.com"],
      attributes: { Department: "Sales" },
      groups: ["Staff/London"],
      roles: [],
      notes: [],
    },
  ],
});

export const auditEntrySchema = auditViewSchema.meta({ id: "AuditEntry" });

export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), total: z.int(), page: z.int(), pageSize: z.int() }).meta({ id });
}

/**
 * A keyset page (issue 15): `nextCursor`/`prevCursor` are opaque, handed back as `cursor`; `total` is counted
 * up to a cap and `totalCapped` says the list is longer. `page`/`pageSize` stay for clients of the older
 * offset paging.
 */
export function keysetPageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      total: z.int(),
      totalCapped: z.boolean(),
      nextCursor: z.string().nullable(),
      prevCursor: z.string().nullable(),
      page: z.int(),
      pageSize: z.int(),
    })
    .meta({ id });
}

/** Keyset paging: `cursor` from a previous reply (none for the first page), `limit` items (at most 200). */
export const keysetQuery = {
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
};

export const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};

export const meSchema = meViewSchema
  .extend({
    /** Present for a console session: send it back as X-CSRF-Token on every change. */
    csrfToken: z.string().optional(),
  })
  .meta({ id: "Me" });

export const passwordPolicySchema = z
  .object({
    minLength: z.int(),
    requireUpper: z.boolean(),
    requireLower: z.boolean(),
    requireDigit: z.boolean(),
    requireSymbol: z.boolean(),
    minClasses: z.int(),
    refuseCommon: z.boolean(),
    maxAgeDays: z.int(),
    history: z.int(),
    lockoutThreshold: z.int(),
    lockoutMinutes: z.int(),
  })
  .meta({ id: "PasswordPolicy" });

export const apiTokenSchema = apiTokenViewSchema.meta({ id: "ApiToken" });

export const okSchema = z.object({ ok: z.literal(true) });

/** The account a request acts in; defaults to the caller's own. */
export const accountQuery = { account: z.string().max(32).optional() };

export const importIssueSchema = z
  .object({
    code: z.string(),
    cell: z.string().nullable(),
    row: z.int().nullable(),
    column: z.string().nullable(),
    message: z.string(),
    /** A warning about many users (users_become_imported, group_members_removed): the first 50 addresses. */
    addresses: z.array(z.string()).max(50).optional(),
    /** How many more addresses the warning concerns than `addresses` lists. */
    moreAddresses: z.int().optional(),
  })
  .meta({ id: "ImportIssue" });

export const importSummarySchema = z
  .object({
    rows: z.int(),
    create: z.int(),
    update: z.int(),
    unchanged: z.int(),
    aliasesAdded: z.int(),
    attributesCreated: z.array(z.string()),
    groupAdded: z.int(),
    groupRemoved: z.int(),
    typeChanged: z.int(),
    /** A delegate import's pairs to add and remove (its other user counts are 0). */
    add: z.int().optional(),
    remove: z.int().optional(),
  })
  .meta({ id: "ImportSummary" });

/** The Spreadsheet Information: exactly the object `mailroster import --json` prints. */
export const importOutcomeSchema = z
  .object({
    ok: z.boolean(),
    saved: z.boolean(),
    importId: z.string().nullable(),
    file: z.string(),
    sheet: z.string().nullable(),
    checkpoint: z.string().nullable(),
    summary: importSummarySchema,
    /** The first 1,000 errors (and 100 warnings), in order; the counts below cover every one. */
    errors: z.array(importIssueSchema),
    warnings: z.array(importIssueSchema),
    /** Every error found, listed or not. */
    errorCount: z.int(),
    warningCount: z.int(),
    /** Every error found, by code. */
    errorCounts: z.record(z.string(), z.int()),
    warningCounts: z.record(z.string(), z.int()),
    /** True when `errors` or `warnings` leave some out. */
    truncated: z.boolean(),
  })
  .meta({ id: "SpreadsheetInformation" });

export const IMPORT_STATES = ["uploaded", "validated", "saving", "saved", "failed"] as const;

/** How far a running save has come (null when no save of this import runs in the server). */
export const importProgressSchema = z
  .object({
    stage: z.enum(["reading", "checking", "hashing", "saving"]),
    done: z.int(),
    total: z.int(),
  })
  .meta({ id: "ImportProgress" });

/** What the import record adds to the Spreadsheet Information, in the detail and the history alike. */
const importRecordFields = {
  /** users, or delegates (delegate mailbox access): the summary's add/remove are a delegate import's. */
  kind: z.enum(["users", "delegates"]),
  state: z.enum(IMPORT_STATES),
  /** Preview Changes or Save; null for an import recorded before this field. */
  mode: z.enum(["preview", "save"]).nullable(),
  by: z.string(),
  at: z.string(),
  updatedAt: z.string(),
  options: z.object({
    group: z.string().nullable(),
    override: z.enum(["add", "overwrite"]).nullable(),
    uploadOnly: z.boolean(),
  }),
  note: z.string().nullable(),
  /** Someone asked to cancel it: while it runs, it is stopping; failed, it was cancelled (import_cancelled). */
  cancelRequested: z.boolean(),
  progress: importProgressSchema.nullable(),
};

export const importViewSchema = importOutcomeSchema
  .extend({ ...importRecordFields, sha256: z.string() })
  .meta({ id: "Import" });

export const importListItemSchema = importOutcomeSchema
  .pick({ file: true, sheet: true, summary: true, ok: true, saved: true })
  .extend({ ...importRecordFields, importId: z.string(), errorCount: z.int(), warningCount: z.int() })
  .meta({ id: "ImportListItem" });
