import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** web/ at the package root: two folders up from both src/http/ (tests) and dist/http/ (the server). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL("../../web/", import.meta.url));

export interface WebFile {
  readonly body: Uint8Array;
  readonly type: string;
}

/**
 * Reads the console's files once, at start. Only files found here are ever served, by exact URL path, so
 * no request path reaches the file system.
 */
export function loadWebFiles(root: string): ReadonlyMap<string, WebFile> {
  const files = new Map<string, WebFile>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const type = TYPES[extname(name)];
        if (type !== undefined) {
          files.set("/" + relative(root, path).split(sep).join("/"), { body: readFileSync(path), type });
        }
      }
    }
  };
  walk(root);
  return files;
}
