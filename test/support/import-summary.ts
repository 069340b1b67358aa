import type { ImportSummary } from "../../web/api-types.js";

/** An import summary in which nothing happens: a test spreads it and names only what its file changes. */
export const NO_CHANGES: ImportSummary = {
  ...{ rows: 0, create: 0, update: 0, unchanged: 0, aliasesAdded: 0, attributesCreated: [] },
  ...{ groupAdded: 0, groupRemoved: 0, typeChanged: 0 },
};
