import { describe, expect, it } from "vitest";
import { isAppError } from "../errors/app-error.js";
import { parseMultipart, type MultipartLimits } from "./multipart.js";

const LIMITS: MultipartLimits = { maxFileBytes: 1024, maxFields: 3, maxFieldBytes: 16 };

/** Encodes a form as a real client does (undici's FormData serialiser), so the parser meets real bodies. */
async function encode(form: FormData): Promise<{ body: Uint8Array; type: string }> {
  const request = new Request("http://localhost/", { method: "POST", body: form });
  return {
    body: new Uint8Array(await request.arrayBuffer()),
    type: request.headers.get("content-type") ?? "",
  };
}

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe("parseMultipart", () => {
  it("reads text fields and one file with its name and type, as a browser sends them", async () => {
    const form = new FormData();
    form.set("group", "Staff/Lön don");
    form.set("override", "add");
    const bytes = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 13, 10, 45, 45]);
    form.set("file", new Blob([bytes], { type: "application/vnd.ms-excel" }), 'users "q".xls');
    const { body, type } = await encode(form);
    const parsed = parseMultipart(body, type, LIMITS);
    expect(parsed.fields).toEqual({ group: "Staff/Lön don", override: "add" });
    expect(parsed.file).toMatchObject({ field: "file", type: "application/vnd.ms-excel" });
    expect(parsed.file?.fileName).toMatch(/^users .*q.*\.xls$/);
    expect([...(parsed.file?.bytes ?? [])]).toEqual([...bytes]);
  });

  it("keeps only the last segment of a client path and accepts a quoted boundary", () => {
    const body = Buffer.from(
      'preamble\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="C:\\\\x\\\\a.xls"\r\n\r\nxy\r\n--b--\r\n',
    );
    const parsed = parseMultipart(body, 'multipart/form-data; boundary="b"', LIMITS);
    expect(parsed.file).toMatchObject({ fileName: "a.xls", type: "" });
    expect(Buffer.from(parsed.file?.bytes ?? []).toString()).toBe("xy");
  });

  it("refuses what breaks a limit or the syntax, each with its code", async () => {
    const twoFiles = new FormData();
    twoFiles.append("file", new Blob(["a"]), "a.xls");
    twoFiles.append("other", new Blob(["b"]), "b.xls");
    const many = new FormData();
    for (const name of ["a", "b", "c", "d"]) many.set(name, "1");
    const repeated = new FormData();
    repeated.append("a", "1");
    repeated.append("a", "2");
    const long = new FormData();
    long.set("note", "x".repeat(17));
    const big = new FormData();
    big.set("file", new Blob([new Uint8Array(1025)]), "big.xls");
    const cases: [FormData, string][] = [
      [twoFiles, "upload_too_many_parts"],
      [many, "upload_too_many_parts"],
      [repeated, "upload_too_many_parts"],
      [long, "upload_field_too_long"],
      [big, "file_too_large"],
    ];
    for (const [form, code] of cases) {
      const { body, type } = await encode(form);
      expect(codeOf(() => parseMultipart(body, type, LIMITS))).toBe(code);
    }
    const text = Buffer.from('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1');
    expect(codeOf(() => parseMultipart(text, "multipart/form-data; boundary=b", LIMITS))).toBe(
      "upload_malformed",
    );
    expect(codeOf(() => parseMultipart(text, "multipart/form-data", LIMITS))).toBe("upload_malformed");
    expect(codeOf(() => parseMultipart(text, "application/json", LIMITS))).toBe("upload_not_multipart");
    const noName = Buffer.from("--b\r\nContent-Disposition: form-data\r\n\r\n1\r\n--b--");
    expect(codeOf(() => parseMultipart(noName, "multipart/form-data; boundary=b", LIMITS))).toBe(
      "upload_malformed",
    );
  });

  it("keeps a field named __proto__ as a plain field", () => {
    const body = Buffer.from('--b\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\nx\r\n--b--');
    const { fields } = parseMultipart(body, "multipart/form-data; boundary=b", LIMITS);
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(Object.keys(fields)).toEqual(["__proto__"]);
  });
});
