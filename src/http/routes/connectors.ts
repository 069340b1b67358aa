import { z } from "zod";
import { addConnector, listConnectors } from "../../services/sync/connectors.js";
import { removeConnector } from "../../services/sync/remove-connector.js";
import { testConnector } from "../../services/sync/test-connector.js";
import { updateConnector } from "../../services/sync/update-connector.js";
import { ApiRouter } from "../api-router.js";
import { accountQuery } from "../schemas.js";
import {
  connectorAddSchema,
  connectorRemovedSchema,
  connectorSchema,
  connectorTestSchema,
  connectorUpdateSchema,
} from "../sync-schemas.js";
import { syncRunnerOf } from "./sync.js";
import { requestAccount } from "./request-account.js";

const accountOnly = z.object(accountQuery);
const nameParams = z.object({ name: z.string().min(1).max(100) });

export const connectorRoutes = new ApiRouter("/connectors", "Directory Synchronization")
  .add(
    {
      method: "get",
      path: "",
      summary: "The account's LDAP connectors with their last Sync All run (never a bind password).",
      access: "signed-in",
      query: accountOnly,
      response: z.array(connectorSchema),
    },
    ({ query, principal, services }) =>
      listConnectors(services, { account: requestAccount(query, principal) }),
  )
  .add(
    {
      method: "post",
      path: "",
      summary: "Add an LDAP connector; its bind password is stored encrypted and never shown again.",
      access: "signed-in",
      query: accountOnly,
      body: connectorAddSchema,
      response: connectorSchema,
      status: 201,
    },
    ({ query, body, principal, services, c }) =>
      addConnector(services, syncRunnerOf(c).secrets, {
        ...body,
        account: requestAccount(query, principal),
      }),
  )
  .add(
    {
      method: "patch",
      path: "/{name}",
      summary: "Change a connector's settings; the bind password is replaced only when one is given.",
      access: "signed-in",
      params: nameParams,
      query: accountOnly,
      body: connectorUpdateSchema,
      response: connectorSchema,
    },
    ({ params, query, body, principal, services, c }) => {
      const { name: rename, ...changes } = body;
      return updateConnector(services, syncRunnerOf(c).secrets, {
        ...changes,
        name: params.name,
        rename,
        account: requestAccount(query, principal),
      });
    },
  )
  .add(
    {
      method: "delete",
      path: "/{name}",
      summary:
        "Remove a connector: its users stay, as Directory Users no connector maps (Sync All no longer flags them).",
      access: "signed-in",
      params: nameParams,
      query: accountOnly,
      response: connectorRemovedSchema,
    },
    ({ params, query, principal, services }) =>
      removeConnector(services, { name: params.name, account: requestAccount(query, principal) }),
  )
  .add(
    {
      method: "post",
      path: "/{name}/test",
      summary:
        "Test a connector: bind and count the entries its filter finds (at most 1,000); ok, or the LDAP error's code. Writes nothing.",
      access: "signed-in",
      params: nameParams,
      query: accountOnly,
      response: connectorTestSchema,
    },
    ({ params, query, principal, services, c }) =>
      testConnector(
        services,
        { secrets: syncRunnerOf(c).secrets, readDirectory: undefined },
        { name: params.name, account: requestAccount(query, principal) },
      ),
  );
