import { describe, expect, it } from "vitest";
import { parseAddress } from "./address.js";
import { newUserRow } from "./new-user-row.js";

const NOW = "2024-05-01T10:00:00.000Z";

describe("newUserRow", () => {
  it("keys the address, gives a time-ordered id and leaves every setting off by default", () => {
    const row = newUserRow({
      accountId: "a1",
      email: parseAddress("Ann.Lee@Example.com"),
      name: "Ann Lee",
      type: "manual",
      now: NOW,
    });
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row).toEqual({
      id: row.id,
      account_id: "a1",
      email: "Ann.Lee@example.com",
      email_key: "ann.lee@example.com",
      name: "Ann Lee",
      type: "manual",
      password_hash: null,
      password_set_at: null,
      force_change_password: 0,
      password_never_expires: 0,
      locked: 0,
      pop: 0,
      submit: 0,
      created_at: NOW,
      updated_at: NOW,
    });
  });

  it("takes the given id, the hash with its time, and each setting as the door names it", () => {
    const flags = new Map([
      ["changepassword", true],
      ["pop", false],
      ["submit", true],
    ]);
    const row = newUserRow({
      id: "u1",
      accountId: "a1",
      email: parseAddress("bob@example.com"),
      name: "Bob",
      type: "imported",
      passwordHash: "$argon2id$x",
      setting: (s) => flags.get(s.header),
      now: NOW,
    });
    expect(row).toMatchObject({
      id: "u1",
      type: "imported",
      password_hash: "$argon2id$x",
      password_set_at: NOW,
      force_change_password: 1,
      password_never_expires: 0,
      locked: 0,
      pop: 0,
      submit: 1,
    });
  });
});
