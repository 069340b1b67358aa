import type { ErrorCode } from "./codes.js";

export type ErrorDetails = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

/** A failure the user caused and can fix: it carries a stable code, a message that says how, and details. */
export class AppError extends Error {
  override readonly name = "AppError";

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
