import { describe, expect, it } from "vitest";
import { addressCellText, checkDelegatePair, delegateChange, parseDelegateAction } from "./delegate-rules.js";
import { getRole, hasPermission } from "./roles.js";

describe("delegate rules", () => {
  it("reads an action: empty is add, add/remove in any case, anything else is refused", () => {
    expect(parseDelegateAction("")).toBe("add");
    expect(parseDelegateAction(" ADD ")).toBe("add");
    expect(parseDelegateAction("Remove")).toBe("remove");
    expect(parseDelegateAction("delete")).toBeUndefined();
  });

  it("reads back a cell our writer neutralised, and leaves other quotes alone", () => {
    expect(addressCellText("'=x@example.com")).toBe("=x@example.com");
    expect(addressCellText(" a@example.com ")).toBe("a@example.com");
    expect(addressCellText("'a@example.com")).toBe("'a@example.com");
  });

  it("needs both users in the import's account and refuses a user as their own delegate", () => {
    const a = { userId: "u1", accountId: "acc" };
    const b = { userId: "u2", accountId: "acc" };
    const other = { userId: "u3", accountId: "elsewhere" };
    expect(checkDelegatePair("acc", a, b)).toEqual({});
    expect(checkDelegatePair("acc", undefined, b)).toEqual({ primary: "delegate_user_not_found" });
    expect(checkDelegatePair("acc", a, other)).toEqual({ delegate: "delegate_user_not_found" });
    expect(checkDelegatePair("acc", a, { ...a })).toEqual({ delegate: "delegate_self" });
  });

  it("adding a stored pair or removing a missing one changes nothing", () => {
    expect(delegateChange("add", false)).toBe("add");
    expect(delegateChange("add", true)).toBe("unchanged");
    expect(delegateChange("remove", true)).toBe("remove");
    expect(delegateChange("remove", false)).toBe("unchanged");
  });

  it("manage_delegates is held by Full, Super and Master Administrator only", () => {
    const holders = [
      "super_administrator",
      "full_administrator",
      "master_administrator",
      "basic_administrator",
      "helpdesk_administrator",
      "gateway_administrator",
      "discovery_officer",
      "migration_administrator",
    ] as const;
    expect(
      holders.filter((id) => hasPermission([id], "manage_delegates")).map((id) => getRole(id).id),
    ).toEqual(["super_administrator", "full_administrator", "master_administrator"]);
  });
});
