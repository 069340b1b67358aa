import { call } from "../api.js";
import { el, field } from "../dom.js";
import { announce } from "../ui.js";
import { fieldForm, formMessages, onSubmit } from "../components/messages.js";
import { passwordField } from "../components/password-rules.js";
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
  const messages = formMessages({ email, password });
  const form = fieldForm({ class: "card narrow" }, [email, password], messages, "Sign in");
  onSubmit(
    form,
    messages,
    async () => {
      const body = { email: email.input.value, password: password.input.value };
      page.onSignedIn(await call("POST /auth/sign-in", { body }));
    },
    () => {
      password.input.value = "";
      password.input.focus();
    },
  );
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
  const next = passwordField("New password");
  const again = field("Repeat new password", {
    type: "password",
    autocomplete: "new-password",
    required: true,
  });
  const messages = formMessages(
    { current, next, again },
    {
      password_incorrect: "current",
      password_weak: "next",
      password_too_short: "next",
      password_too_long: "next",
      password_reused: "next",
    },
  );
  const form = fieldForm(
    { class: "card narrow" },
    [el("p", {}, why), current, next, again],
    messages,
    "Change password",
  );
  onSubmit(
    form,
    messages,
    async () => {
      next.rules.markBroken(undefined);
      if (next.input.value !== again.input.value) {
        messages.showAt("again", "The two new passwords differ: type the same one twice.");
        return;
      }
      const me = await call("POST /auth/password", {
        body: { currentPassword: current.input.value, newPassword: next.input.value },
      });
      announce("Password changed.");
      page.onSignedIn(me);
    },
    (error) => next.rules.markBroken(error),
  );
  page.show("Change your password", form);
}
