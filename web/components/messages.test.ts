// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { ApiError } from "../api.js";
import { field } from "../dom.js";
import { describeError, fieldForm, formMessages, messageBox } from "./messages.js";
import { passwordRules } from "./password-rules.js";

const weak = new ApiError(422, "password_weak", "The password does not meet the policy.", {
  rules: ["password_too_short"],
});

describe("messages", () => {
  it("keeps the sentence and the code apart, the code small after it", () => {
    expect(describeError(weak)).toEqual({
      text: "The password does not meet the policy.",
      code: "password_weak",
    });
    expect(describeError(new Error("offline"))).toEqual({ text: "offline", code: undefined });
    const box = messageBox();
    expect(box.node.hidden).toBe(true);
    box.show(weak);
    expect(box.node.hidden).toBe(false);
    expect(box.node.querySelector(".message-text")?.textContent).toBe(
      "The password does not meet the policy.",
    );
    expect(box.node.querySelector("small.code")?.textContent).toBe("password_weak");
    expect(box.node.textContent).not.toContain("[");
    box.clear();
    expect(box.node.hidden).toBe(true);
    expect(box.node.textContent).toBe("");
  });

  it("puts an error beside its field, by code or by details.field, and clears it on input", () => {
    const password = field("Password", { type: "password" });
    const minLength = field("Minimum length", { type: "number" });
    document.body.append(password.wrapper, minLength.wrapper);
    const messages = formMessages({ password, minLength }, { password_weak: "password" });
    messages.show(weak);
    const slot = password.wrapper.querySelector(".field-message");
    expect(slot?.textContent).toContain("does not meet the policy");
    expect(password.input.getAttribute("aria-invalid")).toBe("true");
    expect(password.input.getAttribute("aria-describedby")).toBe(slot?.id);
    expect(messages.node.hidden).toBe(true);

    messages.show(new ApiError(400, "policy_invalid", "minLength must be 1 to 256.", { field: "minLength" }));
    expect(minLength.wrapper.querySelector(".field-message")?.textContent).toContain("minLength must be");

    password.input.dispatchEvent(new Event("input"));
    expect(password.input.hasAttribute("aria-invalid")).toBe(false);
    expect(password.input.hasAttribute("aria-describedby")).toBe(false);
    expect((slot as HTMLElement).hidden).toBe(true);

    messages.show(new ApiError(409, "user_exists", "That address is taken.", {}));
    expect(messages.node.hidden).toBe(false);
    messages.clear();
    expect(messages.node.hidden).toBe(true);
    expect(minLength.input.hasAttribute("aria-invalid")).toBe(false);

    // A check the console makes itself: a sentence beside the field, no code.
    messages.showAt("password", "The two new passwords differ.");
    expect(password.wrapper.querySelector(".field-message")?.textContent).toBe(
      "The two new passwords differ.",
    );
  });

  it("lists the password rules beside the field and marks the broken ones", async () => {
    const password = field("New password", { type: "password" });
    const rules = passwordRules(password.input, {
      load: () =>
        Promise.resolve({
          account: "acme",
          rules: [
            { code: "password_too_short", text: "At least 8 characters" },
            { code: "password_too_common", text: "Not a commonly used password" },
          ],
        }),
    });
    await rules.ready;
    expect([...rules.node.querySelectorAll("li")].map((li) => li.textContent)).toEqual([
      "At least 8 characters",
      "Not a commonly used password",
    ]);
    expect(password.input.getAttribute("aria-describedby")).toBe(rules.node.id);
    rules.markBroken(weak);
    expect([...rules.node.querySelectorAll("li.broken")].map((li) => li.textContent)).toEqual([
      "At least 8 characters",
    ]);
    rules.markBroken(undefined);
    expect(rules.node.querySelectorAll("li.broken")).toHaveLength(0);
  });

  it("hides the list when the rules cannot be read; the server still checks", async () => {
    const password = field("New password", { type: "password" });
    const rules = passwordRules(password.input, { load: () => Promise.reject(new Error("offline")) });
    await rules.ready;
    expect(rules.node.hidden).toBe(true);
  });

  it("lays a form out as fields, then the messages of no field, then the submit button", () => {
    const email = field("Email", { name: "email" });
    const heading = document.createElement("h2");
    const messages = formMessages({ email });
    const form = fieldForm({ class: "card", "aria-label": "Add" }, [heading, email], messages, "Add");
    expect(form.getAttribute("aria-label")).toBe("Add");
    const button = form.querySelector("button");
    expect([...form.children]).toEqual([heading, email.wrapper, messages.node, button]);
    expect([button?.type, button?.textContent]).toEqual(["submit", "Add"]);
  });
});
