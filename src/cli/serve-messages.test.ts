import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error.js";
import { databaseLine, describeDatabase, optionalLines, secretKeyOrNothing } from "./serve-messages.js";

describe("what serve says when it starts", () => {
  it("names the database without its password", () => {
    expect(describeDatabase("./mailroster.db")).toBe("the SQLite file ./mailroster.db");
    expect(describeDatabase("postgres://ops:s3cret@db.example.com:5432/directory")).toBe(
      "PostgreSQL database directory on db.example.com:5432",
    );
    expect(describeDatabase("postgres://ops:s3cret@db.example.com/directory")).not.toContain("s3cret");
  });

  it("says whether it created the tables, migrated them or found them current", () => {
    expect(databaseLine("x.db", ["applied 0001-directory", "applied 0002-imports"])).toContain("created");
    expect(databaseLine("x.db", ["applied 0018-search-bulk-writes"])).toContain("(1 migration applied)");
    expect(databaseLine("x.db", [])).toBe("mailroster: using the SQLite file x.db\n");
  });

  it("lists only what is off, each with how to turn it on", () => {
    expect(optionalLines({ secretKey: true, smtp: true, mailAuth: true })).toBe("");
    const off = optionalLines({ secretKey: false, smtp: true, mailAuth: false });
    expect(off).toContain("MAILROSTER_SECRET_KEY");
    expect(off).toContain("--mail-auth-socket");
    expect(off).not.toContain("--smtp-listen");
  });

  it("takes a missing key as a choice and a malformed one as an error", () => {
    const failing = (code: "secret_key_missing" | "secret_key_invalid") => (): Buffer => {
      throw new AppError(code, code, {});
    };
    expect(secretKeyOrNothing(failing("secret_key_missing"))).toBeUndefined();
    expect(() => {
      secretKeyOrNothing(failing("secret_key_invalid"));
    }).toThrow(expect.objectContaining({ code: "secret_key_invalid" }));
  });
});
