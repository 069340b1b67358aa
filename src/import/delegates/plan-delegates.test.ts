import { describe, expect, it } from "vitest";
import { delegatePairKey } from "../../directory/delegate-rules.js";
import { readXls } from "../../sheet/xls/read-xls.js";
import { writeXls, type XlsSheetInput, type XlsValue } from "../../sheet/xls/write-xls.js";
import type { ImportIssue } from "../import-issue.js";
import { planDelegates, type DelegateFacts, type DelegateUser } from "./plan-delegates.js";
import { analyzeDelegateSheets } from "./read-delegate-sheet.js";

function analyze(sheets: XlsSheetInput[]): ReturnType<typeof analyzeDelegateSheets> {
  return analyzeDelegateSheets(readXls(writeXls(sheets), { fileName: "d.xls" }).sheets);
}
const sheet = (rows: XlsValue[][]): XlsSheetInput[] => [{ name: "Delegates", rows }];
const codes = (issues: readonly ImportIssue[]): [string, string | null][] =>
  issues.map((i) => [i.code, i.cell]);

describe("delegate sheet", () => {
  it("finds primary anywhere in A1:M99 with delegate right of it, and reads the rows", () => {
    const result = analyze([
      {
        name: "S",
        cells: {
          C4: "primary",
          D4: "delegate",
          E4: "action",
          C5: "a@example.com",
          D5: "b@example.com",
          E5: "REMOVE",
        },
      },
    ]);
    expect(result).toMatchObject({
      kind: "delegates",
      sheet: "S",
      checkpoint: "C4",
      dataRows: 1,
      issues: [],
    });
    expect(result.rows.map((r) => [r.primary.address, r.delegate.address, r.action])).toEqual([
      ["a@example.com", "b@example.com", "remove"],
    ]);
  });

  it("is case sensitive: Primary is a near miss, and an email sheet has no checkpoint", () => {
    expect(codes(analyze(sheet([["Primary", "delegate"]])).issues)).toEqual([
      ["checkpoint_not_found", null],
      ["checkpoint_near_miss", "A1"],
    ]);
    expect(codes(analyze(sheet([["email", "name"]])).issues)).toEqual([["checkpoint_not_found", null]]);
  });

  it("needs delegate directly right of primary; other headers are ignored with a warning", () => {
    expect(codes(analyze(sheet([["primary", "name", "delegate"]])).issues)).toEqual([
      ["delegate_header_missing", "B1"],
      ["delegate_header_missing", "C1"],
    ]);
    const ignored = analyze(
      sheet([
        ["primary", "delegate", "comment"],
        ["a@example.com", "b@example.com", "x"],
      ]),
    );
    expect(codes(ignored.issues)).toEqual([["header_ignored", "C1"]]);
    expect(ignored.issues[0]?.severity).toBe("warning");
    expect(codes(analyze(sheet([["primary", "delegate", "Action"]])).issues)).toEqual([
      ["header_near_miss", "C1"],
    ]);
  });

  it("names the cell of every bad value", () => {
    const result = analyze(
      sheet([
        ["primary", "delegate", "action"],
        ["a@example.com", "", "add"],
        ["not an address", "b@example.com", ""],
        ["a@example.com", "b@example.com", "grant"],
        ["a@example.com", "A@Example.com", ""],
      ]),
    );
    expect(codes(result.issues)).toEqual([
      ["delegate_address_missing", "B2"],
      ["email_invalid", "A3"],
      ["delegate_action_invalid", "C4"],
      ["delegate_self", "B5"],
    ]);
    expect(result.rows).toEqual([]);
    expect(result.dataRows).toBe(4);
  });
});

describe("delegate plan", () => {
  const user = (userId: string, email: string, accountId = "acc"): DelegateUser => ({
    userId,
    accountId,
    email,
  });
  const ann = user("u1", "ann@example.com");
  const bob = user("u2", "bob@example.com");
  const cat = user("u3", "cat@example.com");
  const facts: DelegateFacts = {
    accountId: "acc",
    users: new Map([
      ["ann@example.com", ann],
      ["bob@example.com", bob],
      ["bobby@example.org", bob],
      ["cat@example.com", cat],
      ["eve@other.test", user("u9", "eve@other.test", "other")],
    ]),
    existing: new Map([[delegatePairKey("u1", "u3"), "pair-ann-cat"]]),
  };
  const plan = (rows: XlsValue[][]) => {
    const analysis = analyze(sheet([["primary", "delegate", "action"], ...rows]));
    return planDelegates(analysis.rows, facts, analysis.dataRows);
  };

  it("adds, removes and leaves unchanged; aliases resolve to their users", () => {
    const result = plan([
      ["ann@example.com", "bobby@example.org", ""],
      ["ann@example.com", "cat@example.com", "add"],
      ["bob@example.com", "cat@example.com", "remove"],
      ["ANN@example.com", "cat@example.com", "remove"],
    ]);
    expect(codes(result.issues.issues)).toEqual([["delegate_duplicate", "B5"]]);
    const clean = plan([
      ["ann@example.com", "bobby@example.org", ""],
      ["ann@example.com", "cat@example.com", "add"],
      ["bob@example.com", "cat@example.com", "remove"],
      ["cat@example.com", "ann@example.com", "remove"],
    ]);
    expect(clean.issues.hasErrors()).toBe(false);
    expect(clean.summary).toEqual({ rows: 4, add: 1, remove: 0, unchanged: 3 });
    expect(clean.adds).toEqual([
      { userId: "u1", delegateUserId: "u2", primary: "ann@example.com", delegate: "bob@example.com" },
    ]);
    const removing = plan([["ann@example.com", "cat@example.com", "remove"]]);
    expect(removing.summary).toEqual({ rows: 1, add: 0, remove: 1, unchanged: 0 });
    expect(removing.removes.map((r) => r.id)).toEqual(["pair-ann-cat"]);
  });

  it("refuses unknown users, other accounts' users and a user with an alias of their own", () => {
    const result = plan([
      ["nobody@example.com", "ann@example.com", ""],
      ["ann@example.com", "eve@other.test", ""],
      ["bob@example.com", "bobby@example.org", ""],
    ]);
    expect(codes(result.issues.issues)).toEqual([
      ["delegate_user_not_found", "A2"],
      ["delegate_user_not_found", "B3"],
      ["delegate_self", "B4"],
    ]);
  });
});
