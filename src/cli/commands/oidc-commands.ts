import { createSecretBox, loadSecretKey } from "../../adapters/secret-box.js";
import { addOidcClient, eachOidcClientPage, removeOidcClient } from "../../services/oidc/oidc-clients.js";
import { rotateOidcSigningKey } from "../../services/oidc/oidc-keys.js";
import { EXIT_OK, defineCommand, type CliCommand } from "../command.js";
import { printJson, withDirectory } from "../directory-session.js";
import { defineStreamedListCommand } from "../read-commands.js";
import { ACCOUNT_OPTION, DB_OPTION, JSON_OPTION } from "../shared-options.js";

export const oidcClientsAddCommand = defineCommand(
  {
    path: ["oidc-clients", "add"],
    summary:
      "Register an application that signs users in with OpenID Connect; prints its client id and secret (the secret once).",
    positionals: [{ name: "NAME", description: "The application's name, as administrators see it." }],
    options: {
      "redirect-uri": {
        type: "string",
        value: "URI",
        multiple: true,
        required: true,
        description:
          "Where the application receives the sign-in (exactly; https, or http on localhost); repeat for more.",
      },
      public: {
        type: "boolean",
        description: "A browser or native app that cannot keep a secret: no secret, PKCE required.",
      },
      ...JSON_OPTION,
      ...ACCOUNT_OPTION,
      ...DB_OPTION,
    },
  },
  async ({ positionals, options }, io) => {
    const secrets = createSecretBox(loadSecretKey());
    const { clientId, clientSecret, client } = await withDirectory(options.db, (context) =>
      addOidcClient(context, secrets, {
        name: positionals.NAME,
        redirectUris: options["redirect-uri"],
        account: options.account,
        public: options.public,
      }),
    );
    if (options.json) printJson({ clientId, clientSecret }, io.stdout);
    else {
      io.stdout(`Registered ${client.name} in ${client.account}.\n  Client id      ${clientId}\n`);
      io.stdout(
        clientSecret === null
          ? "  Public client: no secret, PKCE required.\n"
          : `  Client secret  ${clientSecret}\n  (shown once)\n`,
      );
    }
    return EXIT_OK;
  },
);

export const oidcClientsListCommand = defineStreamedListCommand(
  { path: ["oidc-clients", "list"], summary: "List the OpenID Connect clients (never their secrets)." },
  eachOidcClientPage,
  (c) => `${c.clientId}\t${c.account}\t${c.name}\t${c.redirectUris.join(" ")}\n`,
);

export const oidcClientsRemoveCommand = defineCommand(
  {
    path: ["oidc-clients", "remove"],
    summary: "Remove an OpenID Connect client: its sign-ins and tokens stop working at once.",
    positionals: [{ name: "CLIENT_ID", description: "The client id `oidc-clients list` shows." }],
    options: { ...DB_OPTION },
  },
  async ({ positionals, options }, io) => {
    const removed = await withDirectory(options.db, (context) =>
      removeOidcClient(context, positionals.CLIENT_ID),
    );
    io.stdout(`Removed ${removed.name} (${removed.clientId}).\n`);
    return EXIT_OK;
  },
);

export const oidcKeysRotateCommand = defineCommand(
  {
    path: ["oidc-keys", "rotate"],
    summary:
      "Make a new OpenID Connect signing key current; the old one stays published until the tokens it signed expire.",
    positionals: [],
    options: { ...JSON_OPTION, ...DB_OPTION },
  },
  async ({ options }, io) => {
    const secrets = createSecretBox(loadSecretKey());
    const rotated = await withDirectory(options.db, (context) => rotateOidcSigningKey(context, secrets));
    if (options.json) printJson(rotated, io.stdout);
    else io.stdout(`New signing key ${rotated.kid}; ${rotated.published} key(s) published.\n`);
    return EXIT_OK;
  },
);

export const OIDC_COMMANDS: readonly CliCommand[] = [
  oidcClientsAddCommand,
  oidcClientsListCommand,
  oidcClientsRemoveCommand,
  oidcKeysRotateCommand,
];
