import { sessionQueries, type SessionRow } from "./session-rows.js";

// The portal's sessions (portal_sessions): keyed by the SHA-256 of the cookie's secret, like the console's,
// in a table apart; the queries are the console's (session-rows.ts).

export type PortalSessionRow = SessionRow;

const sessions = sessionQueries("portal_sessions");

export const insertPortalSession = sessions.insert;
export const findPortalSessionBySecretHash = sessions.findBySecretHash;
export const touchPortalSession = sessions.touch;
/** Ends one session, or every session of a user but `except` (the one changing its own password). */
export const deletePortalSessions = sessions.remove;
