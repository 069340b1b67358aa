import type { Migration, MigrationProvider } from "kysely";
import * as m0001 from "./0001-directory.js";
import * as m0002 from "./0002-imports.js";
import * as m0003 from "./0003-directory-sync.js";
import * as m0004 from "./0004-console.js";
import * as m0005 from "./0005-postgres-account-keys.js";
import * as m0006 from "./0006-lockout-by-default.js";
import * as m0007 from "./0007-import-issue-counts.js";
import * as m0008 from "./0008-import-counts-columns.js";
import * as m0009 from "./0009-sync-run-state.js";
import * as m0010 from "./0010-delegates.js";
import * as m0012 from "./0012-scim.js";
import * as m0013 from "./0013-portal-oidc.js";
import * as m0014 from "./0014-search.js";
import * as m0015 from "./0015-several-servers.js";
import * as m0016 from "./0016-oidc.js";
import * as m0017 from "./0017-import-files.js";
import * as m0018 from "./0018-search-bulk-writes.js";
import * as m0019 from "./0019-import-cancel.js";
import * as m0020 from "./0020-sync-run-lease.js";
import * as m0021 from "./0021-short-text-index.js";

/** Every migration, in order; an in-code provider so dist/ needs no migration folder scan. */
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  "0001-directory": m0001,
  "0002-imports": m0002,
  "0003-directory-sync": m0003,
  "0004-console": m0004,
  "0005-postgres-account-keys": m0005,
  "0006-lockout-by-default": m0006,
  "0007-import-issue-counts": m0007,
  "0008-import-counts-columns": m0008,
  "0009-sync-run-state": m0009,
  "0010-delegates": m0010,
  "0012-scim": m0012,
  "0013-portal-oidc": m0013,
  "0014-search": m0014,
  "0015-several-servers": m0015,
  "0016-oidc": m0016,
  "0017-import-files": m0017,
  "0018-search-bulk-writes": m0018,
  "0019-import-cancel": m0019,
  "0020-sync-run-lease": m0020,
  "0021-short-text-index": m0021,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
