import { call } from "../api.js";
import { el, field } from "../dom.js";
import { announce, errorText } from "../ui.js";
/** @typedef {import("../app.js").SignInPage} SignInPage */
/** @typedef {import("../app.js").Page} Page */

/** @param {SignInPage} page */
export function renderSignIn(page) {
  const email = field("Email", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = field("Password", {
    type: "password",
    name: "password",
    autocomplete: "current-password",
    required: true,
  });
  const message = el("p", { class: "error", role: "alert" });
  const form = el(
    "form",
    { class: "card narrow" },
    email.wrapper,
    password.wrapper,
    message,
    el("button", { type: "submit" }, "Sign in"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.textContent = "";
    try {
      page.onSignedIn(
        await call("POST /auth/sign-in", {
          body: { email: email.input.value, password: password.input.value },
        }),
      );
    } catch (error) {
      message.textContent = errorText(error);
      password.input.value = "";
      password.input.focus();
    }
  });
  page.show("Sign in", form);
  email.input.focus();
}

/** @param {Page} page */
export function renderChangePassword(page) {
  const why =
    page.me.passwordChange === "expired"
      ? "Your password has expired. Choose a new one to continue."
      : "You must set a new password before you continue.";
  const current = field("Current password", {
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const next = field("New password", { type: "password", autocomplete: "new-password", required: true });
  const again = field("Repeat new password", {
    type: "password",
    autocomplete: "new-password",
    required: true,
  });
  const message = el("p", { class: "error", role: "alert" });
  const form = el(
    "form",
    { class: "card narrow" },
    el("p", {}, why),
    current.wrapper,
    next.wrapper,
    again.wrapper,
    message,
    el("button", { type: "submit" }, "Change password"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (next.input.value !== again.input.value) {
      message.textContent = "The two new passwords differ.";
      return;
    }
    try {
      const me = await call("POST /auth/password", {
        body: { currentPassword: current.input.value, newPassword: next.input.value },
      });
      announce("Password changed.");
      page.onSignedIn(me);
    } catch (error) {
      message.textContent = errorText(error);
    }
  });
  page.show("Change your password", form);
}
