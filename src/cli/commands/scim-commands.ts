import { listScimActivity, type ScimActivityView } from "../../services/scim/scim-activity.js";
import { EXIT_OK, defineCommand, type CliCommand } from "../command.js";
import { UsageError } from "../command-spec.js";
import { printJson, withDirectory } from "../directory-session.js";
import { ACCOUNT_OPTION, DB_OPTION, JSON_OPTION } from "../shared-options.js";

function activityLine(item: ScimActivityView): string {
  const outcome =
    item.errorCode === null ? String(item.status) : `${item.status} ${item.scimType ?? item.errorCode}`;
  const operations = item.operations > 1 ? ` (${item.operations} operations)` : "";
  return `${item.at}\t${item.token}\t${item.method} ${item.path}${operations}\t${outcome}${item.message === null ? "" : `\t${item.message}`}\n`;
}

export const scimActivityCommand = defineCommand(
  {
    path: ["scim", "activity"],
    summary: "Recent SCIM provisioning requests (changes and refusals), newest first.",
    positionals: [],
    options: {
      limit: { type: "count", default: 50, description: "How many, 1 to 200." },
      before: {
        type: "string",
        value: "ID",
        description: "Older than this entry (the `next` of a --json page).",
      },
      "errors-only": { type: "boolean", description: "Only the refused requests." },
      ...JSON_OPTION,
      ...ACCOUNT_OPTION,
      ...DB_OPTION,
    },
  },
  async ({ options }, io) => {
    if (options.limit < 1 || options.limit > 200) throw new UsageError("--limit needs 1 to 200");
    const page = await withDirectory(options.db, (context) =>
      listScimActivity(context, {
        account: options.account,
        before: options.before,
        errorsOnly: options["errors-only"],
        limit: options.limit,
      }),
    );
    if (options.json) printJson(page, io.stdout);
    else io.stdout(page.items.length === 0 ? "no SCIM requests\n" : page.items.map(activityLine).join(""));
    return EXIT_OK;
  },
);

export const SCIM_COMMANDS: readonly CliCommand[] = [scimActivityCommand];
