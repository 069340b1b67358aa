import { z } from "zod";
import { MAX_CLIENT_NAME, MAX_REDIRECT_URIS } from "../directory/oidc-client-rules.js";
import { oidcClientViewSchema } from "../services/oidc/oidc-clients.js";

// The shapes of OpenID Connect clients in the API: never a secret, but the one reply that creates it.

export const oidcClientSchema = oidcClientViewSchema.meta({ id: "OidcClient" });

export const oidcClientPageSchema = z
  .object({ items: z.array(oidcClientSchema), next: z.string().nullable() })
  .meta({ id: "OidcClientPage" });

export const oidcClientAddSchema = z
  .object({
    name: z.string().min(1).max(MAX_CLIENT_NAME),
    redirectUris: z.array(z.string().min(1).max(2000)).min(1).max(MAX_REDIRECT_URIS),
    /** A browser or native app that cannot keep a secret: none is issued, and PKCE is required. */
    public: z.boolean().optional(),
  })
  .meta({ id: "OidcClientAdd" });

export const oidcClientCreatedSchema = z
  .object({ clientId: z.string(), clientSecret: z.string().nullable(), client: oidcClientSchema })
  .meta({ id: "OidcClientCreated" });
