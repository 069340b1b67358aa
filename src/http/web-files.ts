import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/**
 * The API docs' viewer: Swagger UI's prebuilt bundle and style sheet from the npm package (no CDN), served
 * under /vendor/swagger-ui/. Its bundle runs under the console's CSP as it is: no inline script (api-docs.js
 * starts it) and no inline style element (its CSS is this file; React sets styles through the CSSOM).
 */
const VIEWER_FILES: readonly (readonly [url: string, file: string])[] = [
  ["/vendor/swagger-ui/swagger-ui-bundle.js", "swagger-ui-bundle.js"],
  ["/vendor/swagger-ui/swagger-ui.css", "swagger-ui.css"],
];

function addViewerFiles(files: Map<string, WebFile>): void {
  const root = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  for (const [url, file] of VIEWER_FILES) {
    const type = TYPES[extname(file)];
    if (type !== undefined) files.set(url, { body: readFileSync(join(root, file)), type });
  }
}

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
  addViewerFiles(files);
  return files;
}
