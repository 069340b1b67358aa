/**
 * CSV and formula injection: a spreadsheet program reads a cell that starts with = + - @ (or a tab or
 * carriage return before one) as a formula, so a value an uploader typed could run when an administrator
 * opens a report we wrote. A single quote in front makes it text (OWASP, "CSV Injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
