import { Hono } from "hono";
import { isAppError } from "../errors/app-error.js";
import type { RecipientIndex } from "../services/recipient-index.js";
import { httpStatusOf } from "./error-status.js";
import { recipientsRoutes } from "./routes/recipients.js";

/** What the routes need; the shell (`serve`) builds it once. */
export interface AppDependencies {
  readonly recipients: RecipientIndex;
  /** Where unexpected failures are written (never sent to the client). */
  readonly logError?: (error: unknown) => void;
}

/** The API: route modules composed with app.route(); errors become `{error: {code, message, details}}`. */
export function createApp(deps: AppDependencies): Hono {
  const app = new Hono();
  app.onError((error, c) => {
    if (isAppError(error)) {
      return c.json(
        { error: { code: error.code, message: error.message, details: error.details } },
        httpStatusOf(error.code),
      );
    }
    (deps.logError ?? console.error)(error);
    return c.json(
      { error: { code: "internal_error", message: "The server failed to answer.", details: {} } },
      httpStatusOf("internal_error"),
    );
  });
  app.notFound((c) =>
    c.json({ error: { code: "route_not_found", message: "No such route.", details: {} } }, 404),
  );
  app.route("/api/v1/recipients", recipientsRoutes(deps.recipients));
  return app;
}
