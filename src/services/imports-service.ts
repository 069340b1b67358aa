import { createHash } from "node:crypto";
import { hashAll } from "../adapters/password-hash-pool.js";
import { parseAccountKind } from "../directory/account.js";
import { listSubtree } from "../directory/account-tree.js";
import { parseGroupPath } from "../directory/group-path.js";
import { parseNoteText } from "../directory/note.js";
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from "../directory/password-policy.js";
import { isRoleId, type RoleId } from "../directory/roles.js";
import { AppError, isAppError } from "../errors/app-error.js";
import { analyzeSheets, type SheetAnalysis } from "../import/analyze-sheet.js";
import { issueNowhere, type ImportIssue } from "../import/import-issue.js";
import { EMPTY_TALLY, IssueList, type IssueTally } from "../import/issue-list.js";
import type { FlagKey } from "../import/map-columns.js";
import {
  planImport,
  type DirectoryFacts,
  type ExistingUser,
  type ImportPlan,
  type ImportSummary,
  type PlannedUser,
} from "../import/plan-import.js";
import type { ParsedRow } from "../import/read-rows.js";
import { readXls, type XlsSheet } from "../sheet/xls/read-xls.js";
import { listAccounts, type AccountRow } from "../store/accounts-repository.js";
import {
  deleteGroupMembersBulk,
  insertAddressesBulk,
  insertAttributeDefinitionsBulk,
  insertAttributeValuesBulk,
  type AttributeValueRow,
  insertGroupMembersBulk,
  insertNotesBulk,
  insertPasswordHistoryBulk,
  insertRoleAssignmentsBulk,
  insertUsersBulk,
  eachAddressByKeys,
  eachAttributeValueByUserIds,
  loadGroupMembers,
  loadRolesByUserIds,
  loadUsersByIds,
  type ImportedUserFacts,
  updateUsersBulk,
  upsertAttributeValuesBulk,
  type UserPatch,
} from "../store/bulk-users-repository.js";
import { findGroupsByPathKeys } from "../store/groups-repository.js";
import {
  findImportById,
  insertImport,
  listImportRows,
  updateImport,
  type ImportRow,
} from "../store/imports-repository.js";
import type { Executor } from "../store/schema.js";
import type {
  AddressRow,
  AttributeDefinitionRow,
  NoteRow,
  PasswordHistoryRow,
  UserRow,
} from "../store/users-repository.js";
import { resolveAccount, resolveAccountWithinReach } from "./account-lookup.js";
import {
  authorize,
  newId,
  writeAudit,
  type AuditEntry,
  type Authorized,
  type ServiceContext,
  type Tx,
} from "./context.js";
import { endCredentialsOf } from "./auth-service.js";
import { queueMail } from "./outbox-service.js";
import { loadPasswordPolicy } from "./password-policy-service.js";

export type ImportState = "uploaded" | "validated" | "saving" | "saved" | "failed";
export type GroupOverride = "add" | "overwrite";

export interface ImportRequest {
  /** The uploaded file's name, shown in every report. */
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly account?: string | undefined;
  /** Import Into Profile Group: an existing group; undefined with uploadOnly. */
  readonly group?: string | undefined;
  readonly override?: GroupOverride | undefined;
  readonly note?: string | undefined;
  /** Called as long work advances (rows read, passwords hashed); for a progress bar. */
  readonly onProgress?: ((progress: ImportProgress) => void) | undefined;
  /** Reads the file instead of the in-process reader: the server parses untrusted uploads in a worker. */
  readonly analyze?: SheetAnalyzer | undefined;
  /** Called once the import record exists (state uploaded): a background save answers with its id. */
  readonly onRecorded?: ((importId: string) => void) | undefined;
}

/** bytes -> cells -> parsed rows, or the file's refusal (an issue with a file_* code). */
export type SheetAnalyzer = (
  bytes: Uint8Array,
  fileName: string,
  onProgress: ((progress: ImportProgress) => void) | undefined,
) => Promise<SheetAnalysis | { fileError: ImportIssue }>;

export interface ImportProgress {
  readonly stage: "reading" | "hashing" | "saving";
  readonly done: number;
  readonly total: number;
}

/** An issue as the CLI and API report it. */
export interface IssueView {
  code: string;
  cell: string | null;
  row: number | null;
  column: string | null;
  message: string;
}

/**
 * The Spreadsheet Information: the `--json` object of `mailroster import`. `errors` and `warnings` list
 * only the first issues (issue-list.ts: 1,000 errors, 100 warnings); the counts cover every one.
 */
export interface ImportOutcome extends IssueTally {
  ok: boolean;
  saved: boolean;
  importId: string | null;
  file: string;
  sheet: string | null;
  checkpoint: string | null;
  summary: ImportSummary;
  errors: IssueView[];
  warnings: IssueView[];
}

/** Whether the administrator asked for Preview Changes or Save; null for a record older than the field. */
export type ImportMode = "preview" | "save" | null;

export interface ImportView extends ImportOutcome {
  state: ImportState;
  mode: ImportMode;
  sha256: string;
  by: string;
  at: string;
  updatedAt: string;
  options: { group: string | null; override: GroupOverride | null; uploadOnly: boolean };
  note: string | null;
}

export const EMPTY_SUMMARY: ImportSummary = {
  rows: 0,
  create: 0,
  update: 0,
  unchanged: 0,
  aliasesAdded: 0,
  attributesCreated: [],
  groupAdded: 0,
  groupRemoved: 0,
  typeChanged: 0,
};

function viewIssue(issue: ImportIssue): IssueView {
  return { code: issue.code, cell: issue.cell, row: issue.row, column: issue.column, message: issue.message };
}

function split(issues: IssueList): { errors: IssueView[]; warnings: IssueView[] } {
  const kept = issues.issues;
  return {
    errors: kept.filter((i) => i.severity === "error").map(viewIssue),
    warnings: kept.filter((i) => i.severity === "warning").map(viewIssue),
  };
}

/** Preview Changes: validates everything, writes only the import record (validated or failed). */
export function previewImport(context: ServiceContext, request: ImportRequest): Promise<ImportOutcome> {
  return runImport(context, request, false);
}

/** Save: validates against the directory as it is now, then writes everything in one transaction. */
export function saveImport(context: ServiceContext, request: ImportRequest): Promise<ImportOutcome> {
  return runImport(context, request, true);
}

interface Run {
  readonly context: ServiceContext;
  readonly request: ImportRequest;
  readonly id: string;
  readonly account: AccountRow;
  readonly actor: Authorized;
  readonly save: boolean;
}

async function runImport(
  context: ServiceContext,
  request: ImportRequest,
  save: boolean,
): Promise<ImportOutcome> {
  const note = request.note === undefined ? null : parseNoteText(request.note);
  const groupPath = request.group === undefined ? undefined : parseGroupPath(request.group);
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  // Reads only, so outside a transaction: on SQLite that waits for no write in progress.
  const actor = await authorize(context.db, context.actor, account.id, "import_users");
  const now = context.now().toISOString();
  const id = newId();
  await insertImport(context.db, {
    id,
    account_id: account.id,
    actor: actor.name,
    state: "uploaded",
    file_name: request.fileName,
    sha256: createHash("sha256").update(request.bytes).digest("hex"),
    options_json: JSON.stringify({
      group: groupPath?.path ?? null,
      override: groupPath ? (request.override ?? "add") : null,
      uploadOnly: groupPath === undefined,
      mode: save ? "save" : "preview",
    }),
    note,
    sheet: null,
    checkpoint: null,
    summary_json: null,
    errors_json: "[]",
    warnings_json: "[]",
    issue_counts_json: null,
    created_at: now,
    updated_at: now,
  });
  request.onRecorded?.(id);
  const run: Run = { context, request, id, account, actor, save };
  const progress = request.onProgress;

  const analysis = request.analyze
    ? await request.analyze(request.bytes, request.fileName, progress)
    : readAndAnalyze(request);
  if ("fileError" in analysis) {
    // An unreadable file is a processing failure in a preview too: the importer hears of it.
    return fail(
      run,
      { sheet: null, checkpoint: null, summary: EMPTY_SUMMARY, issues: IssueList.of([analysis.fileError]) },
      true,
    );
  }
  const where = { sheet: analysis.sheet, checkpoint: analysis.checkpoint };
  // Bounded whatever the file: the first issues of each severity, every one counted (issue-list.ts).
  const issues = IssueList.from({ issues: analysis.issues, counts: analysis.issueCounts });
  if (!analysis.map || issues.hasErrors()) {
    return fail(run, { ...where, summary: { ...EMPTY_SUMMARY, rows: analysis.dataRows }, issues }, save);
  }
  // Receiving the worker's analysis, loading the directory and planning each hold the main thread for up to
  // ~0.1 s on 65,535 rows (SQLite answers synchronously, so the awaits alone never let a request in): the
  // server answers other requests between them.
  await yieldToEventLoop();
  const loaded = await loadFacts(
    context,
    account,
    actor,
    analysis.rows,
    groupPath?.key,
    request.override ?? "add",
  );
  if (groupPath && !loaded.facts.group) {
    issues.add(
      issueNowhere("group_not_found", `There is no profile group "${groupPath.path}": create it first.`),
    );
  }
  await yieldToEventLoop();
  const plan = planImport(analysis.rows, analysis.map, loaded.facts, analysis.dataRows);
  issues.merge(plan.issues);
  if (issues.hasErrors()) return fail(run, { ...where, summary: plan.summary, issues }, save);
  if (!save) {
    await updateImport(context.db, id, {
      state: "validated",
      ...recordFields({ ...where, summary: plan.summary, issues }),
      updated_at: context.now().toISOString(),
    });
    return outcome(run, { ...where, summary: plan.summary, issues }, false);
  }

  await updateImport(context.db, id, { state: "saving", updated_at: context.now().toISOString() });
  try {
    const toHash = plan.users.filter((u) => u.setPassword);
    const hashes = await hashAll(
      context.hasher,
      toHash.map((u) => u.source.password ?? ""),
      (done) => progress?.({ stage: "hashing", done, total: toHash.length }),
    );
    const hashByKey = new Map(toHash.map((u, i) => [u.source.email.key, hashes[i] ?? ""]));
    progress?.({ stage: "saving", done: 0, total: plan.users.length });
    await context.db.transaction().execute(async (tx) => {
      await writePlan(
        tx,
        run,
        plan,
        loaded,
        hashByKey,
        note,
        groupPath === undefined ? undefined : loaded.groupId,
      );
      await updateImport(tx, id, {
        state: "saved",
        ...recordFields({ ...where, summary: plan.summary, issues }),
        updated_at: context.now().toISOString(),
      });
    });
  } catch (error) {
    // A crash mid-way: the transaction rolled back, so nothing was written; record it and tell the importer.
    const issue = isUniqueViolation(error)
      ? issueNowhere(
          "import_conflict",
          "While this import was saving, another change took an address (or a key) it was about to write, " +
            "so nothing was written: preview the file again to see which rows that change affects, then save.",
        )
      : issueNowhere(
          "import_failed",
          `Saving failed and nothing was written: ${isAppError(error) || error instanceof Error ? error.message : String(error)}`,
        );
    issues.add(issue);
    return fail(run, { ...where, summary: plan.summary, issues }, true);
  }
  return outcome(run, { ...where, summary: plan.summary, issues }, true);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A unique key refused a row: someone else wrote the same address (or key) between this import's check of
 * the directory and its transaction. SQLite's and PostgreSQL's (also PGlite's) codes for it.
 */
function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  const code = error.code;
  return code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505";
}

/**
 * bytes -> cells -> parsed rows. In a function of its own so the workbook (65,535 rows of cell indexes)
 * is garbage once the rows are parsed, instead of staying alive through the save.
 */
function readAndAnalyze(request: ImportRequest): SheetAnalysis | { fileError: ImportIssue } {
  let sheets: readonly XlsSheet[];
  try {
    sheets = readXls(request.bytes, { fileName: request.fileName }).sheets;
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { fileError: issueNowhere(error.code, error.message) };
  }
  const total = sheets[0]?.rowCount ?? 0;
  return analyzeSheets(sheets, (done) =>
    request.onProgress?.({ stage: "reading", done, total: Math.max(done, total) }),
  );
}

interface Report {
  readonly sheet: string | null;
  readonly checkpoint: string | null;
  readonly summary: ImportSummary;
  readonly issues: IssueList;
}

function recordFields(
  report: Report,
): Pick<
  ImportRow,
  "sheet" | "checkpoint" | "summary_json" | "errors_json" | "warnings_json" | "issue_counts_json"
> {
  const { errors, warnings } = split(report.issues);
  return {
    sheet: report.sheet,
    checkpoint: report.checkpoint,
    summary_json: JSON.stringify(report.summary),
    errors_json: JSON.stringify(errors),
    warnings_json: JSON.stringify(warnings),
    issue_counts_json: JSON.stringify(report.issues.tally()),
  };
}

function outcome(run: Run, report: Report, saved: boolean): ImportOutcome {
  const { errors, warnings } = split(report.issues);
  return {
    ok: !report.issues.hasErrors(),
    saved,
    importId: run.id,
    file: run.request.fileName,
    sheet: report.sheet,
    checkpoint: report.checkpoint,
    summary: report.summary,
    errors,
    warnings,
    ...report.issues.tally(),
  };
}

const MAIL_ERRORS = 10;

/** Marks the import failed and, when asked, queues the failure e-mail in the same transaction. */
async function fail(run: Run, report: Report, mail: boolean): Promise<ImportOutcome> {
  const { context } = run;
  const result = outcome(run, report, false);
  await context.db.transaction().execute(async (tx) => {
    await updateImport(tx, run.id, {
      state: "failed",
      ...recordFields(report),
      updated_at: context.now().toISOString(),
    });
    if (mail && context.actor.kind === "user") {
      const first = result.errors.slice(0, MAIL_ERRORS);
      const lines = [
        `Your import of ${run.request.fileName} could not be saved; nothing was changed.`,
        "",
        `Import: ${run.id}`,
        `File: ${run.request.fileName}`,
        `Account: ${run.account.code}`,
        `Reason: ${first[0]?.message ?? "unknown"}`,
        "",
        `Errors (${result.errorCount}${result.errorCount > first.length ? `, the first ${first.length}` : ""}):`,
        ...first.map(
          (e) => `  ${e.cell ?? (e.row === null ? "-" : `row ${e.row}`)}  ${e.code}  ${e.message}`,
        ),
        "",
        "Correct the file and import it again.",
      ];
      // Issue messages never hold a password: the mail is built from them alone.
      await queueMail(tx, context, {
        accountId: run.account.id,
        to: context.actor.email,
        subject: `Import failed: ${run.request.fileName}`,
        body: lines.join("\n") + "\n",
      });
    }
  });
  return result;
}

interface LoadedFacts {
  readonly facts: DirectoryFacts;
  readonly definitions: readonly AttributeDefinitionRow[];
  readonly groupId: string | undefined;
}

/** Loads what the plan needs for every address of the file in a fixed number of bulk queries. */
async function loadFacts(
  context: ServiceContext,
  account: AccountRow,
  actor: Authorized,
  rows: readonly ParsedRow[],
  groupKey: string | undefined,
  override: "add" | "overwrite",
): Promise<LoadedFacts> {
  const db = context.db;
  const accounts = await listAccounts(db);
  const subtree = listSubtree(
    accounts.map((a) => ({ ...a, parentId: a.parent_id })),
    account.id,
  );
  const within = new Set(subtree.map((a) => a.id));
  const nested = new Map(
    subtree
      .filter((a) => a.id !== account.id)
      .map((a) => [a.code_key, { id: a.id, code: a.code, kind: parseAccountKind(a.kind) }]),
  );
  const domains = new Map(
    (await db.selectFrom("domains").select(["name", "account_id", "recipient_validation"]).execute()).map(
      (d) => [d.name, { accountId: d.account_id, recipientValidation: d.recipient_validation }],
    ),
  );
  const policies = new Map<string, PasswordPolicy>();
  for (const accountId of within) policies.set(accountId, await loadPasswordPolicy(db, accountId));

  const keys = rows.flatMap((r) => [r.email.key, ...r.aliases.map((a) => a.address.key)]);
  // A re-import of 65,535 users meets about a million stored rows: they are folded into maps as they
  // arrive, and each user id is kept once (the driver makes a new string per row), not once per row.
  const userIdOnce = new Map<string, string>();
  const once = (id: string): string => {
    const kept = userIdOnce.get(id);
    if (kept !== undefined) return kept;
    userIdOnce.set(id, id);
    return id;
  };
  const addresses = new Map<string, { userId: string; kind: string }>();
  await eachAddressByKeys(db, keys, (a) => {
    addresses.set(a.address_key, { userId: once(a.user_id), kind: a.kind });
  });
  const userIds = [...userIdOnce.keys()];
  const users = await loadUsersByIds(db, userIds);
  const attributes = new Map<string, Map<string, string>>();
  const nameKeyOnce = new Map<string, string>();
  await eachAttributeValueByUserIds(db, userIds, (v) => {
    const userId = once(v.user_id);
    let map = attributes.get(userId);
    if (!map) attributes.set(userId, (map = new Map<string, string>()));
    let nameKey = nameKeyOnce.get(v.name_key);
    if (nameKey === undefined) nameKeyOnce.set(v.name_key, (nameKey = v.name_key));
    map.set(nameKey, v.value);
  });
  const roles = await loadRolesByUserIds(db, userIds);
  const existing = buildExistingUsers(users, attributes, roles, once);
  const definitions = await db
    .selectFrom("attribute_definitions")
    .selectAll()
    .where("account_id", "in", [...within])
    .execute();
  const attributeKeys = new Map<string, Set<string>>();
  for (const d of definitions) {
    const set = attributeKeys.get(d.account_id) ?? new Set<string>();
    set.add(d.name_key);
    attributeKeys.set(d.account_id, set);
  }
  let group: DirectoryFacts["group"];
  let groupId: string | undefined;
  if (groupKey !== undefined) {
    const [row] = await findGroupsByPathKeys(db, account.id, [groupKey]);
    if (row) {
      groupId = row.id;
      const members = await loadGroupMembers(db, row.id);
      group = { path: row.path, override, members: new Map(members.map((m) => [m.user_id, m.email])) };
    }
  }
  return {
    facts: {
      account: { id: account.id, code: account.code, kind: parseAccountKind(account.kind) },
      domains,
      nestedAccounts: nested,
      policies,
      defaultPolicy: DEFAULT_PASSWORD_POLICY,
      isCommonPassword: context.isCommonPassword,
      actorRoles: actor.roles,
      addresses,
      users: existing,
      attributeKeys,
      group,
    },
    definitions,
    groupId,
  };
}

function buildExistingUsers(
  users: readonly ImportedUserFacts[],
  attributes: ReadonlyMap<string, Map<string, string>>,
  roles: readonly { user_id: string; role: string }[],
  once: (id: string) => string,
): Map<string, ExistingUser> {
  const roleIds = new Map<string, RoleId[]>();
  for (const r of roles) {
    if (!isRoleId(r.role)) continue;
    const list = roleIds.get(once(r.user_id)) ?? [];
    list.push(r.role);
    roleIds.set(once(r.user_id), list);
  }
  return new Map(
    users.map((u) => [
      once(u.id),
      {
        id: once(u.id),
        accountId: once(u.account_id),
        email: u.email,
        name: u.name,
        type: u.type,
        flags: {
          changepassword: u.force_change_password === 1,
          passwordneverexpire: u.password_never_expires === 1,
          accountlockedout: u.locked === 1,
          pop: u.pop === 1,
          submit: u.submit === 1,
        },
        attributes: attributes.get(u.id) ?? new Map(),
        roles: roleIds.get(u.id) ?? [],
      },
    ]),
  );
}

/**
 * Users are written in slices of this many: each slice's rows are built, written and dropped before the next,
 * so a 65,535-row import never holds every table's rows (and their JSON batches) in memory at once.
 */
const WRITE_SLICE = 512;

/**
 * A password set or a lock by import is a reset like the console's: the user's sessions and API tokens end
 * in the same transaction. Only administrators hold either, and the plan knows their roles, so this is a
 * handful of statements, not one per row.
 */
async function endCredentialsOfReset(tx: Tx, run: Run, plan: ImportPlan): Promise<void> {
  for (const user of plan.users) {
    const existing = user.existing;
    if (existing === undefined || existing.roles.length === 0) continue;
    const locks = user.flags.get("accountlockedout") === true;
    if (!user.setPassword && !locks) continue;
    const target = { userId: existing.id, accountId: existing.accountId, email: existing.email };
    await endCredentialsOf(tx, run.context, target, user.setPassword ? "password_set" : "locked", run.actor);
  }
}

/** Writes a whole plan inside the caller's transaction, with set-based statements, a slice at a time. */
async function writePlan(
  tx: Tx,
  run: Run,
  plan: ImportPlan,
  loaded: LoadedFacts,
  hashes: ReadonlyMap<string, string>,
  note: string | null,
  groupId: string | undefined,
): Promise<void> {
  const { context, actor } = run;
  const now = context.now().toISOString();
  const definitionIds = new Map(loaded.definitions.map((d) => [`${d.account_id}:${d.name_key}`, d.id]));
  const newDefinitions = plan.attributesCreated.map((a) => ({
    id: newId(),
    account_id: a.accountId,
    name: a.name,
    name_key: a.key,
  }));
  for (const d of newDefinitions) definitionIds.set(`${d.account_id}:${d.name_key}`, d.id);
  await insertAttributeDefinitionsBulk(tx, newDefinitions);

  const slice: WriteSlice = { run, loaded, hashes, note, groupId, now, definitionIds };
  // Each slice's rows are built while the database still writes the previous slice: on PostgreSQL, a server
  // process of its own, the two overlap instead of taking turns.
  let writing: Promise<void> | undefined;
  for (let start = 0; start < plan.users.length; start += WRITE_SLICE) {
    let rows: SliceRows;
    try {
      rows = buildSlice(slice, plan.users.slice(start, start + WRITE_SLICE));
    } catch (error) {
      // Settle the slice in flight before the transaction rolls back, so its failure is not left unheard.
      await writing?.catch(() => undefined);
      throw error;
    }
    await writing;
    // SQLite answers synchronously, so without this the whole save would run as one unbroken chain of
    // promise callbacks, and the server could answer nothing (not even this save's progress) until it ends.
    await new Promise((resolve) => setImmediate(resolve));
    const done = Math.min(plan.users.length, start + WRITE_SLICE);
    writing = writeSlice(tx, run, rows).then(() =>
      run.request.onProgress?.({ stage: "saving", done, total: plan.users.length }),
    );
  }
  await writing;
  await endCredentialsOfReset(tx, run, plan);
  if (groupId !== undefined) {
    await deleteGroupMembersBulk(
      tx,
      groupId,
      plan.groupRemoved.map((m) => m.userId),
    );
  }
  const groupPath = loaded.facts.group?.path;
  await writeAudit(tx, context, actor, [
    ...plan.groupRemoved.map((m) => ({
      accountId: run.account.id,
      action: "group.remove_member",
      address: m.email,
      after: { path: groupPath, importId: run.id },
    })),
    {
      accountId: run.account.id,
      action: "import.save",
      after: { importId: run.id, file: run.request.fileName, summary: plan.summary },
    },
  ]);
}

interface WriteSlice {
  readonly run: Run;
  readonly loaded: LoadedFacts;
  readonly hashes: ReadonlyMap<string, string>;
  readonly note: string | null;
  readonly groupId: string | undefined;
  readonly now: string;
  readonly definitionIds: ReadonlyMap<string, string>;
}

/** The rows one slice of users writes, table by table. */
interface SliceRows {
  readonly inserts: UserRow[];
  readonly patches: UserPatch[];
  readonly addresses: AddressRow[];
  /** Values of users created by this import: no stored value can be in the way. */
  readonly newValues: AttributeValueRow[];
  /** Values of existing users: each replaces the stored one. */
  readonly changedValues: AttributeValueRow[];
  readonly roles: { account_id: string; user_id: string; role: string }[];
  readonly history: PasswordHistoryRow[];
  readonly members: { account_id: string; group_id: string; user_id: string }[];
  readonly notes: NoteRow[];
  readonly audit: AuditEntry[];
}

async function writeSlice(tx: Tx, run: Run, rows: SliceRows): Promise<void> {
  await insertUsersBulk(tx, rows.inserts);
  await updateUsersBulk(tx, rows.patches);
  await insertAddressesBulk(tx, rows.addresses);
  await insertAttributeValuesBulk(tx, rows.newValues);
  await upsertAttributeValuesBulk(tx, rows.changedValues);
  await insertRoleAssignmentsBulk(tx, rows.roles);
  await insertPasswordHistoryBulk(tx, rows.history);
  await insertGroupMembersBulk(tx, rows.members);
  await insertNotesBulk(tx, rows.notes);
  await writeAudit(tx, run.context, run.actor, rows.audit);
}

function buildSlice(slice: WriteSlice, users: readonly PlannedUser[]): SliceRows {
  const { run, loaded, hashes, note, groupId, now, definitionIds } = slice;
  const { actor } = run;
  const rows: SliceRows = {
    inserts: [],
    patches: [],
    addresses: [],
    newValues: [],
    changedValues: [],
    roles: [],
    history: [],
    members: [],
    notes: [],
    audit: [],
  };
  const { inserts, patches, addresses, roles, history, members, notes, audit } = rows;

  for (const planned of users) {
    const { source } = planned;
    const userId = planned.existing?.id ?? newId();
    const email = planned.existing?.email ?? source.email.address;
    const hash = planned.setPassword ? hashes.get(source.email.key) : undefined;
    const flag = (key: FlagKey): number | null => {
      const value = planned.flags.get(key);
      return value === undefined ? null : value ? 1 : 0;
    };
    if (planned.action === "create") {
      inserts.push({
        id: userId,
        account_id: planned.accountId,
        email,
        email_key: source.email.key,
        name: planned.name ?? "",
        type: "imported",
        password_hash: hash ?? null,
        password_set_at: hash === undefined ? null : now,
        force_change_password: flag("changepassword") ?? 0,
        password_never_expires: flag("passwordneverexpire") ?? 0,
        locked: flag("accountlockedout") ?? 0,
        pop: flag("pop") ?? 0,
        submit: flag("submit") ?? 0,
        created_at: now,
        updated_at: now,
      });
      addresses.push({
        address_key: source.email.key,
        account_id: planned.accountId,
        user_id: userId,
        address: email,
        kind: "primary",
      });
    } else if (planned.action === "update") {
      patches.push({
        id: userId,
        name: planned.name ?? null,
        type: planned.becomesImported ? "imported" : null,
        password_hash: hash ?? null,
        password_set_at: hash === undefined ? null : now,
        force_change_password: flag("changepassword"),
        password_never_expires: flag("passwordneverexpire"),
        locked: flag("accountlockedout"),
        pop: flag("pop"),
        submit: flag("submit"),
        updated_at: now,
      });
    }
    for (const alias of planned.aliasesToAdd) {
      addresses.push({
        address_key: alias.key,
        account_id: planned.accountId,
        user_id: userId,
        address: alias.address,
        kind: "alias",
      });
    }
    for (const a of planned.attributes) {
      const definitionId = definitionIds.get(`${planned.accountId}:${a.key}`);
      if (definitionId === undefined) throw new Error(`no definition for attribute ${a.key}`);
      (planned.existing ? rows.changedValues : rows.newValues).push({
        account_id: planned.accountId,
        user_id: userId,
        definition_id: definitionId,
        value: a.value,
      });
    }
    if (planned.roleToAssign)
      roles.push({ account_id: planned.accountId, user_id: userId, role: planned.roleToAssign });
    if (hash !== undefined) {
      history.push({
        id: newId(),
        account_id: planned.accountId,
        user_id: userId,
        password_hash: hash,
        set_at: now,
      });
    }
    if (planned.joinsGroup && groupId !== undefined)
      members.push({ account_id: run.account.id, group_id: groupId, user_id: userId });
    const touched = planned.action !== "unchanged" || planned.joinsGroup;
    if (touched && note !== null) {
      notes.push({
        id: newId(),
        account_id: planned.accountId,
        user_id: userId,
        address: email,
        text: note,
        author: actor.name,
        created_at: now,
      });
    }
    if (touched) {
      audit.push({
        accountId: planned.accountId,
        action: planned.action === "create" ? "user.create" : "user.update",
        address: email,
        // What changed, never a value of the password: only that one was set.
        after: {
          importId: run.id,
          ...(planned.name !== undefined ? { name: planned.name } : {}),
          ...(planned.becomesImported ? { type: "imported" } : {}),
          ...Object.fromEntries(planned.flags),
          ...(hash !== undefined ? { passwordChanged: true } : {}),
          ...(planned.aliasesToAdd.length > 0
            ? { aliasesAdded: planned.aliasesToAdd.map((a) => a.address) }
            : {}),
          ...(planned.attributes.length > 0
            ? { attributes: Object.fromEntries(planned.attributes.map((a) => [a.name, a.value])) }
            : {}),
          ...(planned.roleToAssign ? { role: planned.roleToAssign } : {}),
          ...(planned.joinsGroup && loaded.facts.group ? { groupAdded: loaded.facts.group.path } : {}),
        },
      });
    }
  }
  return rows;
}

/** The stored options: the dialog's choices, and the mode, kept beside them (no column of its own). */
export function parseImportOptions(row: ImportRow): { options: ImportView["options"]; mode: ImportMode } {
  const { mode, ...options } = JSON.parse(row.options_json) as ImportView["options"] & {
    mode?: "preview" | "save";
  };
  return { options, mode: mode ?? null };
}

/** The stored counts of every issue; null for a record without them (older, or still running). */
export function parseIssueTally(row: ImportRow): IssueTally | null {
  return row.issue_counts_json === null ? null : (JSON.parse(row.issue_counts_json) as IssueTally);
}

/** The counts of issues listed in full (a record older than the counts): each one counted by code. */
function tallyOf(errors: readonly IssueView[], warnings: readonly IssueView[]): IssueTally {
  const byCode = (issues: readonly IssueView[]): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const issue of issues) counts[issue.code] = (counts[issue.code] ?? 0) + 1;
    return counts;
  };
  if (errors.length === 0 && warnings.length === 0) return EMPTY_TALLY;
  return {
    errorCount: errors.length,
    warningCount: warnings.length,
    errorCounts: byCode(errors),
    warningCounts: byCode(warnings),
    truncated: false,
  };
}

function mapImport(row: ImportRow): ImportView {
  const { options, mode } = parseImportOptions(row);
  const errors = JSON.parse(row.errors_json) as IssueView[];
  const warnings = JSON.parse(row.warnings_json) as IssueView[];
  const stored = parseIssueTally(row);
  // The recovery of an interrupted import appends its error to the list, not to the counts.
  const tally =
    stored !== null && stored.errorCount >= errors.length && stored.warningCount >= warnings.length
      ? stored
      : tallyOf(errors, warnings);
  return {
    ok: errors.length === 0,
    saved: row.state === "saved",
    importId: row.id,
    file: row.file_name,
    sheet: row.sheet,
    checkpoint: row.checkpoint,
    summary: row.summary_json === null ? EMPTY_SUMMARY : (JSON.parse(row.summary_json) as ImportSummary),
    errors,
    warnings,
    ...tally,
    state: row.state as ImportState,
    mode,
    sha256: row.sha256,
    by: row.actor,
    at: row.created_at,
    updatedAt: row.updated_at,
    options,
    note: row.note,
  };
}

/** `imports list`: every import the actor may see, oldest first. */
export async function listImports(
  context: ServiceContext,
  request: { account?: string | undefined },
): Promise<ImportView[]> {
  const account =
    request.account === undefined
      ? undefined
      : await resolveAccountWithinReach(context.db, context.actor, request.account);
  const rows = await listImportRows(context.db, account ? [account.id] : undefined);
  const visible: ImportView[] = [];
  for (const row of rows) {
    if (await mayView(context, row)) visible.push(mapImport(row));
  }
  return visible;
}

export async function showImport(context: ServiceContext, id: string): Promise<ImportView> {
  const row = await findImportById(context.db, id);
  if (!row || !(await mayView(context, row))) {
    throw new AppError("import_not_found", `No import has the id ${id}.`, { id });
  }
  return mapImport(row);
}

async function mayView(context: ServiceContext, row: ImportRow): Promise<boolean> {
  if (context.actor.kind === "system") return true;
  try {
    await authorize(context.db, context.actor, row.account_id, "import_users");
    return true;
  } catch (error) {
    if (isAppError(error) && error.code === "permission_denied") return false;
    throw error;
  }
}

/** The importing administrator by default: the account's first Super Administrator. */
export async function findDefaultImporter(db: Executor, account: string | undefined): Promise<string> {
  const resolved = await resolveAccount(db, account);
  const row = await db
    .selectFrom("role_assignments")
    .innerJoin("users", "users.id", "role_assignments.user_id")
    .select("users.email")
    .where("role_assignments.role", "=", "super_administrator")
    .where("users.account_id", "=", resolved.id)
    .orderBy("users.created_at")
    .orderBy("users.email_key")
    .executeTakeFirst();
  if (!row) {
    throw new AppError(
      "user_not_found",
      `Account ${resolved.code} has no Super Administrator: name one with --as.`,
      {
        account: resolved.code,
      },
    );
  }
  return row.email;
}
