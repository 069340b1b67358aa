import { AppError } from "../errors/app-error.js";

/**
 * A bounded multipart/form-data parser (RFC 7578 over RFC 2046 5.1) for a body already read under the
 * upload size limit. Request.formData() has no limit on the number of parts, so a body of a million tiny
 * parts would cost far more memory than its size; here every part is counted as it is met and the parse
 * stops at the first one over a limit. The file's bytes are a view into the body, not a copy.
 */

export interface MultipartLimits {
  /** The one file part's size. */
  readonly maxFileBytes: number;
  /** At most one file part; at most this many text fields. */
  readonly maxFields: number;
  /** Each text field's size in bytes (UTF-8). */
  readonly maxFieldBytes: number;
}

export interface UploadedFile {
  /** The part's name (the form field). */
  readonly field: string;
  /** The file name the client gave, without any folder. */
  readonly fileName: string;
  /** The part's declared Content-Type, lower case, without parameters; "" when none was given. */
  readonly type: string;
  readonly bytes: Uint8Array;
}

export interface MultipartForm {
  readonly fields: Readonly<Record<string, string>>;
  readonly file: UploadedFile | undefined;
}

const MAX_HEADER_BYTES = 8 * 1024;
const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

function malformed(reason: string): AppError {
  return new AppError("upload_malformed", `The upload is not valid multipart/form-data: ${reason}.`, {
    reason,
  });
}

/** The boundary parameter of a multipart/form-data Content-Type, or undefined for another type. */
export function multipartBoundary(contentType: string): string | undefined {
  const [mediaType = "", ...params] = contentType.split(";");
  if (mediaType.trim().toLowerCase() !== "multipart/form-data") return undefined;
  for (const param of params) {
    const match = /^\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s";]{1,70}))\s*$/i.exec(param);
    if (match) return match[1] ?? match[2];
  }
  throw malformed("the Content-Type has no boundary");
}

/** Parameters of a Content-Disposition value: name="x"; filename="y" (quoted strings may escape with \). */
function dispositionParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /;\s*([A-Za-z0-9_*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;
  for (const match of value.matchAll(pattern)) {
    const key = (match[1] ?? "").toLowerCase();
    const raw = match[2] === undefined ? (match[3] ?? "") : match[2].replace(/\\(.)/g, "$1");
    params.set(key, raw);
  }
  return params;
}

/** RFC 5987 ext-value (UTF-8''name%20here), which a few clients send as filename*. */
function decodeExtValue(value: string): string | undefined {
  const match = /^utf-8'[^']*'(.*)$/i.exec(value);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1] ?? "");
  } catch {
    return undefined;
  }
}

function baseName(name: string): string {
  // Old browsers send the client's full path (C:\Users\...\file.xls): keep only the last segment.
  const parts = name.split(/[\\/]/);
  return (parts[parts.length - 1] ?? "").trim();
}

interface PartHeaders {
  readonly name: string;
  readonly fileName: string | undefined;
  readonly type: string;
}

function parseHeaders(block: string): PartHeaders {
  let disposition: string | undefined;
  let type = "";
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw malformed("a part header line has no name");
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "content-disposition") disposition = value;
    else if (name === "content-type") type = (value.split(";")[0] ?? "").trim().toLowerCase();
  }
  if (disposition === undefined || !/^form-data\s*(;|$)/i.test(disposition)) {
    throw malformed("a part has no Content-Disposition: form-data");
  }
  const params = dispositionParams(disposition);
  const name = params.get("name");
  if (name === undefined || name === "") throw malformed("a part has no name");
  const extended = params.get("filename*");
  const fileName = (extended === undefined ? undefined : decodeExtValue(extended)) ?? params.get("filename");
  return { name, fileName: fileName === undefined ? undefined : baseName(fileName), type };
}

export function parseMultipart(
  body: Uint8Array,
  contentType: string,
  limits: MultipartLimits,
): MultipartForm {
  const boundary = multipartBoundary(contentType);
  if (boundary === undefined) {
    throw new AppError("upload_not_multipart", "Send the upload as multipart/form-data.", {
      contentType: contentType.split(";")[0] ?? "",
    });
  }
  const data = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // A Map, not an object: a field named __proto__ must stay a field.
  const fields = new Map<string, string>();
  let file: UploadedFile | undefined;

  // The first boundary may open the body directly; anything before it is preamble and ignored.
  let at: number;
  if (data.subarray(0, dashBoundary.length).equals(dashBoundary)) at = dashBoundary.length;
  else {
    const first = data.indexOf(delimiter);
    if (first < 0) throw malformed("the boundary never appears");
    at = first + delimiter.length;
  }
  for (;;) {
    if (data[at] === 0x2d && data[at + 1] === 0x2d) break; // "--": the close delimiter
    // Transport padding (RFC 2046 5.1.1) may stand between the boundary and its CRLF.
    while (data[at] === 0x20 || data[at] === 0x09) at++;
    if (!data.subarray(at, at + 2).equals(CRLF)) throw malformed("a boundary is not followed by CRLF");
    at += 2;
    const headerEnd = data.indexOf(HEADER_END, at);
    if (headerEnd < 0 || headerEnd - at > MAX_HEADER_BYTES) throw malformed("a part's headers never end");
    const headers = parseHeaders(data.toString("utf8", at, headerEnd));
    const start = headerEnd + HEADER_END.length;
    const end = data.indexOf(delimiter, start);
    if (end < 0) throw malformed("the body ends inside a part");
    const content = data.subarray(start, end);
    if (headers.fileName !== undefined) {
      if (file !== undefined) {
        throw new AppError("upload_too_many_parts", "Send one file per upload.", { field: headers.name });
      }
      if (content.length > limits.maxFileBytes) {
        throw new AppError(
          "file_too_large",
          `${headers.fileName} is ${content.length} bytes, over the limit of ${limits.maxFileBytes}.`,
          { file: headers.fileName, bytes: content.length, limit: limits.maxFileBytes },
        );
      }
      file = { field: headers.name, fileName: headers.fileName, type: headers.type, bytes: content };
    } else {
      if (fields.size >= limits.maxFields || fields.has(headers.name)) {
        throw new AppError("upload_too_many_parts", `The upload has more fields than this endpoint takes.`, {
          field: headers.name,
        });
      }
      if (content.length > limits.maxFieldBytes) {
        throw new AppError(
          "upload_field_too_long",
          `The field ${headers.name} is over ${limits.maxFieldBytes} bytes.`,
          { field: headers.name, limit: limits.maxFieldBytes },
        );
      }
      fields.set(headers.name, content.toString("utf8"));
    }
    at = end + delimiter.length;
  }
  return { fields: Object.fromEntries(fields), file };
}
