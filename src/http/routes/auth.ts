import { z } from "zod";
import { addressKey } from "../../directory/address.js";
import { AppError } from "../../errors/app-error.js";
import { changeOwnPassword, describeMe, signIn, signOut } from "../../services/auth-service.js";
import { ApiRouter } from "../api-router.js";
import { clientAddress } from "../client-address.js";
import { meSchema, okSchema } from "../schemas.js";
import { clearSessionCookie, writeSessionCookie } from "../session-cookie.js";
import { csrfTokenFor } from "../../services/auth-service.js";

const signInBody = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(1024) });
const passwordBody = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024),
});

export const authRoutes = new ApiRouter("/auth", "Sign-in")
  .add(
    {
      method: "post",
      path: "/sign-in",
      summary: "Sign in to the console: sets the HttpOnly session cookie and returns the CSRF token.",
      access: "public",
      body: signInBody,
      response: meSchema,
    },
    async ({ body, c, services }) => {
      const limiter = c.get("deps").signInLimiter;
      if (limiter) {
        // Per client and per address: a sweep of addresses and a hammering of one are both slowed.
        // Shared by every server on one PostgreSQL (hitShared), else counted in this process.
        const wait = Math.max(
          await limiter.hitShared(`ip:${clientAddress(c)}`),
          await limiter.hitShared(`user:${addressKey(body.email)}`),
        );
        if (wait > 0) {
          c.header("Retry-After", String(wait));
          throw new AppError("rate_limited", "Too many sign-in attempts.", { retryAfterSeconds: wait });
        }
      }
      const { secret, csrfToken, principal } = await signIn(services, body);
      writeSessionCookie(c, secret);
      return { ...(await describeMe(services.db, principal)), csrfToken };
    },
  )
  .add(
    {
      method: "post",
      path: "/sign-out",
      summary: "End the console session.",
      access: "during-password-change",
      response: okSchema,
    },
    async ({ c, auth, services }) => {
      if (auth?.via === "session") await signOut(services.db, auth.sessionId);
      clearSessionCookie(c);
      return { ok: true as const };
    },
  )
  .add(
    {
      method: "get",
      path: "/me",
      summary: "Who is signed in, their roles and permissions, and whether they must change their password.",
      access: "during-password-change",
      response: meSchema,
    },
    async ({ auth, services }) => {
      if (!auth) throw new AppError("not_signed_in", "Sign in first.", {});
      const me = await describeMe(services.db, auth.principal);
      return auth.via === "session" ? { ...me, csrfToken: csrfTokenFor(auth.secret) } : me;
    },
  )
  .add(
    {
      method: "post",
      path: "/password",
      summary: "Change your own password (required first when forced or expired); ends your other sessions.",
      access: "during-password-change",
      body: passwordBody,
      response: meSchema,
    },
    async ({ body, auth, services }) => {
      if (!auth) throw new AppError("not_signed_in", "Sign in first.", {});
      const principal = await changeOwnPassword(services, auth.principal, {
        ...body,
        sessionId: auth.via === "session" ? auth.sessionId : undefined,
      });
      const me = await describeMe(services.db, principal);
      return auth.via === "session" ? { ...me, csrfToken: csrfTokenFor(auth.secret) } : me;
    },
  );
