import { describe, expect, it } from "vitest";
import { DEFAULT_PASSWORD_POLICY } from "../directory/password-policy.js";
import { readXls } from "../sheet/xls/read-xls.js";
import { writeXls, type XlsValue } from "../sheet/xls/write-xls.js";
import { analyzeSheets } from "./analyze-sheet.js";
import type { DirectoryFacts } from "./directory-facts.js";
import { planImport } from "./plan-import.js";

const ACCOUNT = "acc-1";

function facts(): DirectoryFacts {
  return {
    account: { id: ACCOUNT, code: "ACME", kind: "master" },
    domains: new Map([["example.com", { accountId: ACCOUNT, recipientValidation: "off" }]]),
    nestedAccounts: new Map(),
    policies: new Map(),
    defaultPolicy: DEFAULT_PASSWORD_POLICY,
    isCommonPassword: () => false,
    actorRoles: "all",
    addresses: new Map(),
    users: new Map(),
    attributeKeys: new Map([[ACCOUNT, new Set(["department"])]]),
    group: undefined,
  };
}

function plan(rows: XlsValue[][]) {
  const analysis = analyzeSheets(readXls(writeXls([{ name: "Users", rows }]), { fileName: "t.xls" }).sheets);
  if (!analysis.map) throw new Error("the header must map");
  const planned = planImport(analysis.rows, analysis.map, facts(), analysis.dataRows);
  const all = [...analysis.issues, ...planned.issues.toData().issues];
  return { planned, issues: all.map((i) => [i.code, i.cell]) };
}

describe("planImport in one pass", () => {
  it("reports a row's bad flag cell and its domain error together, and plans the sound rows", () => {
    const { planned, issues } = plan([
      ["email", "name", "pop", "alias1"],
      ["a@elsewhere.test", "A", "maybe", "bad address"],
      ["b@example.com", "B", "yes", ""],
      ["b@example.com", "B again", "no", ""],
    ]);
    expect(issues).toEqual(
      expect.arrayContaining([
        ["yes_no_invalid", "C2"],
        ["alias_invalid", "D2"],
        ["domain_not_internal", "A2"],
        ["email_duplicate", "A4"],
      ]),
    );
    // Only the sound row is planned; the rows with errors are checked, never written.
    expect(planned.users.map((u) => u.source.email.address)).toEqual(["b@example.com"]);
    expect(planned.summary.create).toBe(1);
  });

  it("warns about each header that becomes a new attribute, with a hint for a near miss", () => {
    const { planned, issues } = plan([
      ["email", "name", "emial", "department", "office"],
      ["a@example.com", "A", "x", "Sales", "Room 1"],
    ]);
    expect(issues.filter(([code]) => code === "attribute_will_be_created")).toEqual([
      ["attribute_will_be_created", "C1"],
      ["attribute_will_be_created", "E1"],
    ]);
    const hint = planned.issues.toData().issues.find((i) => i.cell === "C1");
    expect(hint?.message).toContain('"email"');
  });

  it("ignores a results file's Status and Error columns on re-import", () => {
    const { planned, issues } = plan([
      ["email", "name", "Status", "Error"],
      ["a@example.com", "A", "Error", "a@example.com: something"],
    ]);
    expect(issues).toEqual([]);
    expect(planned.attributesCreated).toEqual([]);
    expect(planned.summary.create).toBe(1);
  });
});
