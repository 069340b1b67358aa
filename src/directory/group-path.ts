import { AppError } from "../errors/app-error.js";

export interface GroupPath {
  /** Folder names from the root, e.g. `["Staff", "London"]`. */
  readonly segments: readonly string[];
  /** `Staff/London`. */
  readonly path: string;
  /** Case-insensitive key: `staff/london`. */
  readonly key: string;
}

const MAX_SEGMENT_LENGTH = 100;

export function parseGroupPath(text: string): GroupPath {
  const segments = text
    .trim()
    .replace(/^\/+|\/+$/g, "")
    .split("/")
    .map((segment) => segment.trim());
  if (segments.some((segment) => segment.length === 0 || segment.length > MAX_SEGMENT_LENGTH)) {
    throw new AppError("group_path_invalid", `"${text}" is not a valid group path.`, { path: text });
  }
  return fromSegments(segments);
}

function fromSegments(segments: readonly string[]): GroupPath {
  const path = segments.join("/");
  return { segments, path, key: path.toLowerCase() };
}

/** The path and every parent, root first: `A/B/C` -> `A`, `A/B`, `A/B/C`. Creating a path creates these. */
export function listPathChain(path: GroupPath): GroupPath[] {
  return path.segments.map((_, i) => fromSegments(path.segments.slice(0, i + 1)));
}
