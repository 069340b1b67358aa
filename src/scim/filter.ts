import { AppError } from "../errors/app-error.js";
import { parseAttributePath, type AttributePath } from "./attribute-path.js";

export type CompareOperator = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";
export type FilterValue = string | number | boolean | null;

/** A filter of RFC 7644 3.4.2.2, parsed. */
export type Filter =
  | {
      readonly kind: "compare";
      readonly path: AttributePath;
      readonly op: CompareOperator;
      readonly value: FilterValue;
    }
  | { readonly kind: "present"; readonly path: AttributePath }
  | { readonly kind: "and" | "or"; readonly left: Filter; readonly right: Filter }
  | { readonly kind: "not"; readonly filter: Filter }
  | { readonly kind: "valuePath"; readonly path: AttributePath; readonly filter: Filter };

/** Bounds on what a client may send: a filter is parsed by recursion, so its depth and size are capped. */
export const MAX_FILTER_LENGTH = 2000;
export const MAX_FILTER_DEPTH = 10;
export const MAX_FILTER_TERMS = 50;

const OPERATORS = new Set<string>(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);

type Token =
  | { readonly kind: "word"; readonly text: string; readonly at: number }
  | { readonly kind: "string"; readonly text: string; readonly at: number }
  | { readonly kind: "(" | ")" | "[" | "]"; readonly at: number };

function invalid(message: string, filter: string): AppError {
  return new AppError("scim_filter_invalid", message, { filter: filter.slice(0, 200) });
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (c === "(" || c === ")" || c === "[" || c === "]") {
      tokens.push({ kind: c, at: i });
      i++;
    } else if (c === '"') {
      // A JSON string (RFC 7644: compValue strings are JSON strings), escapes included.
      let j = i + 1;
      while (j < text.length && text.charAt(j) !== '"') j += text.charAt(j) === "\\" ? 2 : 1;
      if (j >= text.length) throw invalid(`The string at ${i} is not closed.`, text);
      try {
        tokens.push({ kind: "string", text: JSON.parse(text.slice(i, j + 1)) as string, at: i });
      } catch {
        throw invalid(`The string at ${i} has a bad escape.`, text);
      }
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s()[\]"]/.test(text.charAt(j))) j++;
      tokens.push({ kind: "word", text: text.slice(i, j), at: i });
      i = j;
    }
  }
  return tokens;
}

class Parser {
  private position = 0;
  private terms = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly text: string,
  ) {}

  parse(): Filter {
    const filter = this.parseOr(0, false);
    const extra = this.tokens[this.position];
    if (extra) throw invalid(`Unexpected text at ${extra.at}.`, this.text);
    return filter;
  }

  private peekWord(): string | undefined {
    const token = this.tokens[this.position];
    return token?.kind === "word" ? token.text.toLowerCase() : undefined;
  }

  private parseOr(depth: number, inValuePath: boolean): Filter {
    if (depth > MAX_FILTER_DEPTH) throw invalid(`Filters nest at most ${MAX_FILTER_DEPTH} deep.`, this.text);
    let left = this.parseAnd(depth, inValuePath);
    while (this.peekWord() === "or") {
      this.position++;
      left = { kind: "or", left, right: this.parseAnd(depth, inValuePath) };
    }
    return left;
  }

  private parseAnd(depth: number, inValuePath: boolean): Filter {
    let left = this.parseUnary(depth, inValuePath);
    while (this.peekWord() === "and") {
      this.position++;
      left = { kind: "and", left, right: this.parseUnary(depth, inValuePath) };
    }
    return left;
  }

  private expect(kind: ")" | "]"): void {
    const token = this.tokens[this.position];
    if (token?.kind !== kind)
      throw invalid(`Expected "${kind}" at ${token?.at ?? this.text.length}.`, this.text);
    this.position++;
  }

  private parseUnary(depth: number, inValuePath: boolean): Filter {
    const token = this.tokens[this.position];
    if (!token) throw invalid("The filter ends where an expression should start.", this.text);
    if (
      token.kind === "word" &&
      token.text.toLowerCase() === "not" &&
      this.tokens[this.position + 1]?.kind === "("
    ) {
      this.position += 2;
      const inner = this.parseOr(depth + 1, inValuePath);
      this.expect(")");
      return { kind: "not", filter: inner };
    }
    if (token.kind === "(") {
      this.position++;
      const inner = this.parseOr(depth + 1, inValuePath);
      this.expect(")");
      return inner;
    }
    if (token.kind !== "word") throw invalid(`Expected an attribute at ${token.at}.`, this.text);
    if (++this.terms > MAX_FILTER_TERMS)
      throw invalid(`A filter holds at most ${MAX_FILTER_TERMS} terms.`, this.text);
    const path = parseAttributePath(token.text, "scim_filter_invalid");
    this.position++;
    if (this.tokens[this.position]?.kind === "[") {
      if (inValuePath) throw invalid("A value filter cannot hold another.", this.text);
      this.position++;
      const inner = this.parseOr(depth + 1, true);
      this.expect("]");
      return { kind: "valuePath", path, filter: inner };
    }
    const operator = this.peekWord();
    if (operator === "pr") {
      this.position++;
      return { kind: "present", path };
    }
    if (operator === undefined || !OPERATORS.has(operator)) {
      throw invalid(`Expected an operator after ${token.text.slice(0, 100)}.`, this.text);
    }
    this.position++;
    return { kind: "compare", path, op: operator as CompareOperator, value: this.parseValue() };
  }

  private parseValue(): FilterValue {
    const token = this.tokens[this.position];
    this.position++;
    if (token?.kind === "string") return token.text;
    if (token?.kind === "word") {
      const word = token.text.toLowerCase();
      if (word === "true") return true;
      if (word === "false") return false;
      if (word === "null") return null;
      if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(token.text)) return Number(token.text);
    }
    throw invalid(
      `Expected a value (a "string", a number, true, false or null) at ${token?.at ?? this.text.length}.`,
      this.text,
    );
  }
}

/** Parses a SCIM filter; refuses `scim_filter_invalid` (scimType invalidFilter). */
export function parseFilter(text: string): Filter {
  if (text.length > MAX_FILTER_LENGTH)
    throw invalid(`A filter is at most ${MAX_FILTER_LENGTH} characters.`, text);
  const tokens = tokenize(text);
  if (tokens.length === 0) throw invalid("The filter is empty.", text);
  return new Parser(tokens, text).parse();
}

/** Parses the inside of a PATCH path's brackets: the same grammar, refused as `scim_path_invalid`. */
export function parseValueFilter(text: string): Filter {
  try {
    return parseFilter(text);
  } catch (error) {
    if (error instanceof AppError) throw new AppError("scim_path_invalid", error.message, error.details);
    throw error;
  }
}
