// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ScimActivity } from "../api-types.js";
import { renderScim } from "./scim.js";
import { freshMain, signedIn, stubApi, testPage } from "./test-page.js";

const ME = signedIn(["view_audit"]);

const item = (id: string, status: number): ScimActivity => ({
  id,
  at: "2026-01-05T09:00:00.000Z",
  account: "CxAy",
  token: "entra",
  method: "POST",
  path: "/scim/v2/Users",
  status,
  operations: 1,
  errorCode: status >= 400 ? "domain_not_internal" : null,
  scimType: status >= 400 ? "invalidValue" : null,
  message: status >= 400 ? "elsewhere.test is not an internal domain" : null,
});

describe("the SCIM provisioning page", () => {
  let main: HTMLElement;
  let calls: string[] = [];
  beforeEach(() => {
    main = freshMain();
    calls = stubApi((url) => {
      const older = url.includes("before=");
      return {
        baseUrl: "https://mail.example.com/scim/v2",
        items: older ? [item("1", 201)] : [item("3", 400), item("2", 201)],
        next: older ? null : "2",
      };
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  const page = testPage(() => main, ME);

  it("shows the base URL from the server and the activity, newest first, then older pages", async () => {
    await renderScim(page);
    expect(main.querySelector("code")?.textContent).toBe("https://mail.example.com/scim/v2");
    const rows = () => [...main.querySelectorAll("tbody tr")].map((r) => r.textContent);
    expect(rows()).toHaveLength(2);
    expect(rows()[0]).toContain("400 invalidValue");
    const older = [...main.querySelectorAll("button")].find((b) => b.textContent === "Older requests");
    expect(older?.hidden).toBe(false);
    older?.click();
    await vi.waitFor(() => {
      expect(rows()).toHaveLength(3);
    });
    expect(calls[1]).toContain("before=2");
    expect(older?.hidden).toBe(true);
  });

  it("tells an administrator without view_audit that the page is not theirs", async () => {
    await renderScim({ ...page, me: { ...ME, permissions: [] } });
    expect(main.textContent).toContain("do not include viewing the audit log");
    expect(calls).toEqual([]);
  });
});
