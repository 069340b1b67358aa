import { z } from "zod";
import { RECIPIENT_VALIDATIONS, type RecipientValidation } from "../../directory/account.js";
import { MAX_NOTE_LENGTH } from "../../directory/note.js";
import { ROLES } from "../../directory/roles.js";
import { ApiRouter } from "../api-router.js";
import { IMPORT_STATES, importProgressSchema } from "../schemas.js";

type ImportStage = z.output<typeof importProgressSchema>["stage"];
type ImportState = (typeof IMPORT_STATES)[number];

/** What each stage of a running import is called where people read it (the console's progress line). */
const STAGE_LABELS: Readonly<Record<ImportStage, string>> = {
  reading: "Reading the spreadsheet",
  checking: "Checking the rows against the directory",
  hashing: "Hashing passwords",
  saving: "Saving",
};

/** What each recipient validation mode of an internal domain is called, and what it does, in the console. */
const RECIPIENT_VALIDATION_LABELS: Readonly<Record<RecipientValidation, string>> = {
  "accept-all": "Accept all: every address of the domain is accepted",
  "known-recipients": "Known recipients: any user or alias in the directory",
  "directory-users": "Directory users: only users synchronised from a directory",
};

/** The states of an import still at work in the server: a client polls while an import is in one. */
const RUNNING_STATES: readonly ImportState[] = ["uploaded", "saving"];

const metaSchema = z
  .object({
    /** The longest note, in characters (code points), at every door. */
    noteMaxLength: z.int(),
    /** The largest spreadsheet an upload may carry, in bytes (`serve --upload-mb`). */
    uploadMaxBytes: z.int(),
    importStates: z.array(z.enum(IMPORT_STATES)),
    runningImportStates: z.array(z.enum(IMPORT_STATES)),
    importStages: z.array(z.object({ stage: importProgressSchema.shape.stage, label: z.string() })),
    /** The administrator roles: `adminrole` and role assignment accept the full or the short name. */
    roles: z.array(z.object({ id: z.string(), name: z.string(), shortName: z.string() })),
    /** An internal domain's recipient validation modes, as the console names them. */
    recipientValidations: z.array(
      z.object({
        mode: z.enum(RECIPIENT_VALIDATIONS as [RecipientValidation, ...RecipientValidation[]]),
        label: z.string(),
      }),
    ),
  })
  .meta({ id: "Meta" });

/** GET /api/v1/meta: the server's limits, states and labels, so no client keeps its own copy of them. */
export const metaRoutes = new ApiRouter("/meta", "Meta").add(
  {
    method: "get",
    path: "",
    summary:
      "The server's limits (note length, upload size), import states, the labels of import stages and the administrator roles' names.",
    access: "signed-in",
    response: metaSchema,
  },
  ({ c }) =>
    Promise.resolve({
      noteMaxLength: MAX_NOTE_LENGTH,
      uploadMaxBytes: c.get("deps").imports?.maxFileBytes ?? 0,
      importStates: [...IMPORT_STATES],
      runningImportStates: [...RUNNING_STATES],
      importStages: importProgressSchema.shape.stage.options.map((stage) => ({
        stage,
        label: STAGE_LABELS[stage],
      })),
      roles: ROLES.map(({ id, name, shortName }) => ({ id, name, shortName })),
      recipientValidations: RECIPIENT_VALIDATIONS.map((mode) => ({
        mode,
        label: RECIPIENT_VALIDATION_LABELS[mode],
      })),
    }),
);
