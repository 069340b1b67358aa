import { describe, expect, it } from "vitest";
import { initExampleArgv, useCliDatabase } from "../support/cli.js";
import { DIALECTS } from "../support/databases.js";

describe.each(DIALECTS)("directory CLI on %s", (dialect) => {
  const { cli } = useCliDatabase(dialect);

  it("searches users as the console does: any part, exact matches first, filters, pages", async () => {
    expect((await cli(...initExampleArgv())).code).toBe(0);
    for (const [email, name] of [
      ["user10@example.com", "Ten"],
      ["user2@example.com", "Two"],
      ["ann@example.com", "Ann"],
      ["joanna@example.com", "Joanna"],
    ] as const) {
      expect((await cli("users", "add", email, "--name", name)).code).toBe(0);
    }
    const found = await cli("users", "search", "ANN", "--json");
    expect(found.code).toBe(0);
    const page = JSON.parse(found.stdout) as {
      items: { email: string }[];
      total: number;
      nextCursor: string | null;
    };
    // The exact name first, then the other matches in address order.
    expect(page.items.map((u) => u.email)).toEqual(["ann@example.com", "joanna@example.com"]);
    expect(page.total).toBe(2);
    // Numbers in numeric order, a page at a time.
    const first = await cli("users", "search", "user", "--limit", "1");
    expect(first.stdout).toMatch(/^user2@example\.com\tTwo\t/);
    const cursor = /--cursor (\S+)/.exec(first.stdout)?.[1] ?? "";
    expect((await cli("users", "search", "user", "--limit", "1", "--cursor", cursor)).stdout).toMatch(
      /^user10@example\.com\t/,
    );
    expect((await cli("users", "search", "", "--value", "x")).code).toBe(2);
    expect(
      (await cli("users", "search", "", "--attribute", "site", "--value", "Paris", "--json")).stdout,
    ).toContain('"items": []');
  });

  it("runs the commands of the issue end to end", async () => {
    expect((await cli("migrate")).code).toBe(0);
    const init = await cli(...initExampleArgv(), "--domain", "example.org");
    expect(init).toMatchObject({ code: 0, stderr: "" });
    expect(
      (await cli("accounts", "add", "Europe", "--code", "eu1", "--parent", "CxAy", "--kind", "grouping"))
        .code,
    ).toBe(0);
    expect(
      (
        await cli(
          "domains",
          "add",
          "example.net",
          "--account",
          "CxAy",
          "--recipient-validation",
          "accept-all",
        )
      ).code,
    ).toBe(0);
    expect((await cli("groups", "add", "Staff/London", "--account", "CxAy")).code).toBe(0);
    expect(
      (await cli("users", "add", "Jane@Example.com", "--name", "Jane Doe", "--account", "CxAy")).code,
    ).toBe(0);
    expect((await cli("roles", "assign", "jane@example.com", "Basic Administrator")).code).toBe(0);
    expect(
      (await cli("policy", "set", "--min-length", "12", "--require-symbol", "--account", "CxAy")).code,
    ).toBe(0);

    const shown = await cli("users", "show", "JANE@example.com", "--json");
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual({
      email: "Jane@example.com",
      name: "Jane Doe",
      type: "manual",
      account: "CxAy",
      forceChangePassword: false,
      passwordNeverExpires: false,
      locked: false,
      pop: false,
      submit: false,
      hasPassword: false,
      aliases: [],
      attributes: {},
      groups: [],
      roles: ["Basic Administrator"],
      notes: [],
    });
    const list = JSON.parse((await cli("users", "list", "--json")).stdout) as { email: string }[];
    expect(list.map((u) => u.email)).toEqual(["admin@example.com", "Jane@example.com"]);
    expect(
      JSON.parse((await cli("groups", "show", "Staff/London", "--json", "--account", "CxAy")).stdout),
    ).toEqual({
      path: "Staff/London",
      members: [],
    });
    const audit = JSON.parse((await cli("audit", "list", "--json")).stdout) as { action: string }[];
    expect(audit.map((e) => e.action)).toContain("policy.set");
    expect(JSON.stringify(audit)).not.toContain("Sunny-Harbour-42");
  });

  it("exits 1 naming the code for refused requests and 2 for usage errors, changing nothing", async () => {
    await cli(...initExampleArgv());
    await cli("users", "add", "jane@example.com", "--name", "Jane");
    const before = (await cli("audit", "list", "--json")).stdout;
    const refused: [string[], string][] = [
      [["users", "add", "not-an-address", "--name", "X"], "address_invalid"],
      [["users", "add", "x@elsewhere.net", "--name", "X"], "domain_not_internal"],
      [["users", "add", "JANE@example.com", "--name", "X"], "address_taken"],
      [["users", "add", "x@example.com", "--name", "X", "--password", "password1"], "password_weak"],
      [["roles", "assign", "jane@example.com", "Root"], "role_unknown"],
      [["users", "show", "nobody@example.com", "--json"], "user_not_found"],
    ];
    for (const [argv, code] of refused) {
      const result = await cli(...argv);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^mailroster: ${code}: `));
    }
    expect((await cli("audit", "list", "--json")).stdout).toBe(before);
    expect((await cli("users", "add", "x@example.com")).code).toBe(2);
    expect((await cli("policy", "set", "--min-length", "ten")).code).toBe(2);
    expect((await cli("users", "list", "--bogus")).code).toBe(2);
  });
});
