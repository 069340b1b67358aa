import type { OptionsSpec } from "./command-spec.js";

/** The options most commands share, declared once and spread into each command's spec. */
export const DB_OPTION = {
  db: {
    type: "string",
    value: "URL",
    description: "The database: sqlite:PATH or postgres://... (else DATABASE_URL, else ./mailroster.db).",
  },
} as const satisfies OptionsSpec;

export const ACCOUNT_OPTION = {
  account: {
    type: "string",
    value: "CODE",
    description: "The account, by its code (needed when there are several).",
  },
} as const satisfies OptionsSpec;

export const JSON_OPTION = {
  json: { type: "boolean", description: "Print one JSON object on stdout instead of text." },
} as const satisfies OptionsSpec;

/** An internal domain's recipient-validation mode (domains add; domains set requires it). */
export const RECIPIENT_VALIDATION_OPTION = {
  "recipient-validation": {
    type: "string",
    value: "accept-all|known-recipients|directory-users",
    description: "Which recipients the domain accepts.",
  },
} as const satisfies OptionsSpec;
