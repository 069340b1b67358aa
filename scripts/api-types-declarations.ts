// The declarations writer of generate-api-types.ts: each schema and route of the OpenAPI document as
// TypeScript, every shape written once (named components, Page<Item>, extends/Pick/Omit, named repeats).
import type { JsonSchema, Parameter, Route } from "./openapi-document.js";

const SHAPE_NAMES: Readonly<Record<string, string>> = {
  MePermissionsItem: "Permission",
  ImportListItemState: "ImportState",
  ImportListItemOptions: "ImportOptions",
  ImportProgressStage: "ImportStage",
  DomainRecipientValidation: "RecipientValidation",
  PostImportsPreviewFields: "ImportFields",
  PatchUsersAddressBody: "UserChanges",
};
/** An inline enum or object this large gets a name when the document writes it more than once. */
const SHARED_SIZE = 3;
/** This many identical properties make an object extend the smaller one that has them. */
const SHARED_PROPERTIES = 5;

const PRIMITIVES: Readonly<Record<string, string>> = {
  string: "string",
  integer: "number",
  number: "number",
  boolean: "boolean",
  null: "null",
};
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const key = (name: string): string => (IDENTIFIER.test(name) ? name : JSON.stringify(name));
const pascal = (text: string): string =>
  text
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase())
    .join("");
const titled = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);
const quotedUnion = (names: readonly string[]): string => names.map((n) => JSON.stringify(n)).join(" | ");
const parenthesised = (type: string): string => (type.includes(" | ") ? `(${type})` : type);
const comment = (text: string): string => `/** ${text.replaceAll("*/", "*\\/")} */`;

function union(members: readonly string[]): string {
  const unique = [...new Set(members)];
  if (unique.includes("unknown")) return "unknown";
  return unique.join(" | ");
}

const isObject = (schema: JsonSchema): boolean => Object.keys(schema.properties ?? {}).length > 0;

/** A property of an object; `type` is written out in full, so equal types read alike. */
interface Entry {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly optional: boolean;
  readonly type: string;
}
const line = (e: Entry, type = e.type): string => `${key(e.name)}${e.optional ? "?" : ""}: ${type};`;

/** An object schema the declarations write: a component, a route's body or an inline shape with a name. */
interface Site {
  readonly plain: string;
  readonly schema: JsonSchema;
  readonly context: string;
  readonly entries: readonly Entry[];
}

/** What an object takes from a smaller one: all of it, all of it made optional, or some of its properties. */
interface Base {
  readonly site: Site;
  readonly keys: readonly string[] | "all" | "partial";
}
const baseKeys = (b: Base): readonly string[] =>
  typeof b.keys === "string" ? b.site.entries.map((e) => e.name) : b.keys;

export class Declarations {
  /** Shape (written out) → its name: components, Page<…> and the inline shapes that get one. */
  private readonly names = new Map<string, string>();
  private readonly sites = new Map<string, Site>();
  private readonly bases = new Map<string, readonly Base[]>();
  private readonly shared: { readonly name: string; readonly schema: JsonSchema }[] = [];
  private page: { readonly name: string; readonly rest: readonly Entry[] } | undefined;
  private sharing = false;

  constructor(
    private readonly components: Readonly<Record<string, JsonSchema>>,
    private readonly routes: readonly Route[],
  ) {
    this.findPages();
    for (const [name, schema] of Object.entries(components)) {
      if (!this.names.has(this.typeOf(schema))) this.site(schema, name);
    }
    const seen = new Map<string, { count: number; context: string; schema: JsonSchema }>();
    const count = (schema: JsonSchema, context: string): void => {
      const size = isObject(schema)
        ? Object.keys(schema.properties ?? {}).length
        : (schema.enum?.length ?? 0);
      if (size < SHARED_SIZE) return;
      const plain = this.typeOf(schema);
      const known = seen.get(plain);
      seen.set(plain, { count: (known?.count ?? 0) + 1, context: known?.context ?? context, schema });
    };
    for (const [name, schema] of Object.entries(components)) this.walk(schema, name, count, false);
    for (const route of routes) {
      const parts = { Body: route.body, Fields: route.fields, Reply: route.reply };
      for (const [part, schema] of Object.entries(parts)) {
        if (schema) this.walk(schema, pascal(route.name) + part, count, true);
      }
      if (route.body && isObject(route.body)) this.site(route.body, pascal(route.name) + "Body");
    }
    for (const { count: times, context, schema } of seen.values()) {
      if (times > 1) this.nameShape(schema, context);
    }
    this.planBases();
    this.sharing = true;
  }

  /** Components that differ only in the item type of `items` are one generic Page<Item>. */
  private findPages(): void {
    const rest = (schema: JsonSchema): Entry[] => this.entries(schema).filter((e) => e.name !== "items");
    const restLines = (schema: JsonSchema): string =>
      rest(schema)
        .map((e) => line(e))
        .join(" ");
    const pages = Object.entries(this.components).filter(
      ([, s]) => s.properties?.["items"]?.type === "array",
    );
    const alike = pages.filter(([, s]) => pages.some(([, t]) => s !== t && restLines(s) === restLines(t)));
    const first = alike[0];
    if (first === undefined) return;
    // Their common last word (UserPage, AuditPage: Page).
    const word = first[0].replace(/^.*?(?=[A-Z][a-z]*$)/, "");
    this.page = { name: alike.every(([name]) => name.endsWith(word)) ? word : "Page", rest: rest(first[1]) };
    for (const [, schema] of alike) {
      const item = schema.properties?.["items"]?.items;
      this.names.set(this.typeOf(schema), `${this.page.name}<${item ? this.typeOf(item) : "unknown"}>`);
    }
  }

  private entries(schema: JsonSchema): Entry[] {
    const required = new Set(schema.required ?? []);
    return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
      name,
      schema: property,
      optional: !required.has(name),
      type: this.plainOf(property),
    }));
  }

  private site(schema: JsonSchema, context: string): void {
    const plain = this.typeOf(schema);
    if (!this.sites.has(plain))
      this.sites.set(plain, { plain, schema, context, entries: this.entries(schema) });
    if (this.components[context] === schema) this.names.set(plain, context);
  }

  private nameShape(schema: JsonSchema, context: string): void {
    const plain = this.plainOf(schema);
    if (this.names.has(plain)) return;
    const name = SHAPE_NAMES[context] ?? context;
    this.names.set(plain, name);
    this.shared.push({ name, schema });
    if (isObject(schema)) this.site(schema, context);
  }

  /** Every inline enum and object below a schema, with the name its place gives it. */
  private walk(
    schema: JsonSchema,
    context: string,
    visit: (s: JsonSchema, c: string) => void,
    self: boolean,
  ) {
    if (schema.$ref !== undefined) return;
    if (self) visit(schema, context);
    for (const member of schema.anyOf ?? schema.oneOf ?? []) this.walk(member, context, visit, true);
    if (schema.items) this.walk(schema.items, context + "Item", visit, true);
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      this.walk(property, context + titled(name), visit, true);
    }
  }

  /** Smallest objects first: each larger one takes what it repeats of them (an inline one so gets a name). */
  private planBases(): void {
    const order = [...this.sites.values()].sort((a, b) => a.entries.length - b.entries.length);
    order.forEach((site, index) => {
      const smaller = order.slice(0, index);
      const loosened = (other: Site): boolean =>
        other.entries.length === site.entries.length &&
        site.entries.every(
          (e, i) => e.optional && e.name === other.entries[i]?.name && e.type === other.entries[i].type,
        );
      const partial = smaller.find((other) => loosened(other) && other.entries.some((e) => !e.optional));
      const bases: Base[] = partial ? [{ site: partial, keys: "partial" }] : [];
      let remaining = partial ? [] : site.entries.map((e) => line(e));
      for (;;) {
        // A whole smaller object before a part of another, then the biggest share.
        const best = smaller
          .map((other) => ({ other, common: other.entries.filter((e) => remaining.includes(line(e))) }))
          .filter((c) => c.common.length >= SHARED_PROPERTIES)
          .map((c) => ({ ...c, all: c.common.length === c.other.entries.length }))
          .sort((a, b) => Number(b.all) - Number(a.all) || b.common.length - a.common.length)[0];
        if (best === undefined) break;
        bases.push({ site: best.other, keys: best.all ? "all" : best.common.map((e) => e.name) });
        remaining = remaining.filter((l) => !best.common.some((e) => line(e) === l));
      }
      if (bases.length === 0) return;
      this.bases.set(site.plain, bases);
      for (const { site: base } of bases) this.nameShape(base.schema, base.context);
    });
  }

  private baseType(base: Base): string {
    const name = this.names.get(base.site.plain) ?? base.site.plain;
    if (base.keys === "all") return name;
    if (base.keys === "partial") return `Partial<${name}>`;
    const left = base.site.entries.map((e) => e.name).filter((n) => !base.keys.includes(n));
    return left.length < base.keys.length
      ? `Omit<${name}, ${quotedUnion(left)}>`
      : `Pick<${name}, ${quotedUnion(base.keys)}>`;
  }

  /** An object's bases and its own properties (those no base gives it). */
  private objectParts(schema: JsonSchema): { bases: string[]; body: string | undefined } {
    const bases = this.bases.get(this.plainOf(schema)) ?? [];
    const taken = new Set(bases.flatMap(baseKeys));
    const own = this.entries(schema).filter((e) => !taken.has(e.name));
    const body =
      own.length > 0 ? `{ ${own.map((e) => line(e, this.typeOf(e.schema))).join(" ")} }` : undefined;
    return { bases: bases.map((b) => this.baseType(b)), body };
  }

  private objectType(schema: JsonSchema): string {
    const extra = schema.additionalProperties;
    if (!isObject(schema)) {
      return typeof extra === "object" ? `Record<string, ${this.typeOf(extra)}>` : "Record<string, unknown>";
    }
    if (!this.sharing)
      return `{ ${this.entries(schema)
        .map((e) => line(e))
        .join(" ")} }`;
    const { bases, body } = this.objectParts(schema);
    return [...bases, ...(body === undefined ? [] : [body])].join(" & ");
  }

  private plainOf(schema: JsonSchema): string {
    const sharing = this.sharing;
    this.sharing = false;
    const plain = this.typeOf(schema);
    this.sharing = sharing;
    return plain;
  }

  /** A JSON Schema (as zod's toJSONSchema writes it) as a TypeScript type. */
  typeOf(schema: JsonSchema, named = true): string {
    if (schema.$ref !== undefined) return schema.$ref.replace("#/components/schemas/", "");
    if (this.sharing && named) {
      // A component is named where the document refers to it, not wherever its shape happens to recur.
      const name = this.names.get(this.plainOf(schema));
      if (name !== undefined && !(name in this.components)) return name;
    }
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives) return union(alternatives.map((s) => this.typeOf(s)));
    if ("const" in schema) return JSON.stringify(schema.const);
    if (schema.enum) return union(schema.enum.map((value) => JSON.stringify(value)));
    const types =
      schema.type === undefined ? [] : typeof schema.type === "string" ? [schema.type] : schema.type;
    if (types.length === 0) return "unknown";
    return union(
      types.map((type) => {
        if (type === "array")
          return `${parenthesised(schema.items ? this.typeOf(schema.items) : "unknown")}[]`;
        return type === "object" ? this.objectType(schema) : (PRIMITIVES[type] ?? "unknown");
      }),
    );
  }

  /** A named shape: an interface (extending its bases) when it is an object, else a type alias. */
  private declaration(name: string, schema: JsonSchema): string {
    if (!isObject(schema)) return `export type ${name} = ${this.typeOf(schema, false)};`;
    const { bases, body } = this.objectParts(schema);
    if (body === undefined) return `export type ${name} = ${bases.join(" & ")};`;
    return `export interface ${name} ${bases.length > 0 ? `extends ${bases.join(", ")} ` : ""}${body}`;
  }

  private parametersType(parameters: readonly Parameter[], where: "path" | "query"): string | undefined {
    const own = parameters.filter((p) => p.in === where);
    if (own.length === 0) return undefined;
    return `{ ${own.map((p) => `${key(p.name)}${p.required ? "" : "?"}: ${this.typeOf(p.schema)};`).join(" ")} }`;
  }

  /** What a call sends: path parameters, query and body, each present only when the route has it. */
  private inputType(route: Route, body: JsonSchema | undefined): string {
    const parts: string[] = [];
    const params = this.parametersType(route.parameters, "path");
    const query = this.parametersType(route.parameters, "query");
    if (params !== undefined) parts.push(`params: ${params};`);
    if (query !== undefined) {
      const optional = route.parameters.every((p) => p.in !== "query" || !p.required);
      parts.push(`query${optional ? "?" : ""}: ${query};`);
    }
    if (body !== undefined) parts.push(`body: ${this.typeOf(body)};`);
    return parts.length === 0 ? "Record<string, never>" : `{ ${parts.join(" ")} }`;
  }

  lines(): string[] {
    const out: string[] = [];
    for (const [name, schema] of Object.entries(this.components)) {
      const page = this.names.get(this.plainOf(schema));
      out.push(
        page?.startsWith(`${this.page?.name}<`)
          ? `export type ${name} = ${page};`
          : this.declaration(name, schema),
      );
    }
    if (this.page) {
      const rest = this.page.rest.map((e) => line(e, this.typeOf(e.schema)));
      out.push(
        `/** A page of a list. */`,
        `export interface ${this.page.name}<Item> { items: Item[]; ${rest.join(" ")} }`,
      );
    }
    for (const { name, schema } of this.shared) out.push(this.declaration(name, schema));
    const json: string[] = [];
    const uploads: string[] = [];
    const downloads: string[] = [];
    for (const route of this.routes) {
      const head = `${comment(route.summary)}\n${JSON.stringify(route.name)}`;
      if (route.reply === undefined) downloads.push(`${head}: ${this.inputType(route, undefined)};`);
      else if (route.fields === undefined) {
        json.push(
          `${head}: { input: ${this.inputType(route, route.body)}; reply: ${this.typeOf(route.reply)} };`,
        );
      } else
        uploads.push(
          `${head}: { fields: ${this.typeOf(route.fields)}; reply: ${this.typeOf(route.reply)} };`,
        );
    }
    out.push(
      "/** Every JSON route, as `METHOD /path` under /api/v1: what a call sends and what it answers. */",
      `export interface JsonRoutes {\n${json.join("\n")}\n}`,
      "/** Uploads (multipart/form-data): their text fields (the file goes as the part `file`) and their reply. */",
      `export interface UploadRoutes {\n${uploads.join("\n")}\n}`,
      "/** Routes answering with a file (a link's href), with their path parameters. */",
      `export interface DownloadRoutes {\n${downloads.join("\n")}\n}`,
    );
    return out;
  }
}

/** The declarations, formatted as the repository's Prettier settings format them. */
