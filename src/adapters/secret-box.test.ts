import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSecretBox, loadSecretKey } from "./secret-box.js";

describe("secret box", () => {
  it("seals and opens, never storing the plain text, bound to its context", () => {
    const box = createSecretBox(randomBytes(32));
    const sealed = box.seal("bind-password", "connector-1");
    expect(sealed).not.toContain("bind-password");
    expect(box.open(sealed, "connector-1")).toBe("bind-password");
    expect(() => box.open(sealed, "connector-2")).toThrow(
      expect.objectContaining({ code: "secret_undecryptable" }),
    );
    expect(() => createSecretBox(randomBytes(32)).open(sealed, "connector-1")).toThrow(
      expect.objectContaining({ code: "secret_undecryptable" }),
    );
  });

  it("reads the key from MAILROSTER_SECRET_KEY as hex or base64, and names what is wrong", () => {
    const key = randomBytes(32);
    expect(loadSecretKey({ MAILROSTER_SECRET_KEY: key.toString("hex") })).toEqual(key);
    expect(loadSecretKey({ MAILROSTER_SECRET_KEY: key.toString("base64") })).toEqual(key);
    expect(() => loadSecretKey({})).toThrow(expect.objectContaining({ code: "secret_key_missing" }));
    expect(() => loadSecretKey({ MAILROSTER_SECRET_KEY: "short" })).toThrow(
      expect.objectContaining({ code: "secret_key_invalid" }),
    );
  });
});
