import { readFileSync } from "node:fs";

let cached: ReadonlySet<string> | undefined;

/** The shipped list `directory/common-passwords.txt` (copied into dist/ by the build), read once. */
export function loadCommonPasswords(): ReadonlySet<string> {
  if (cached) return cached;
  const text = readFileSync(new URL("../directory/common-passwords.txt", import.meta.url), "utf8");
  const words = text
    .split("\n")
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line.length > 0 && !line.startsWith("#"));
  cached = new Set(words);
  return cached;
}

/** Whether a password is on the list, compared in lower case so `Password1` counts as `password1`. */
export function isCommonPassword(password: string): boolean {
  return loadCommonPasswords().has(password.toLowerCase());
}
