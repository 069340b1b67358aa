import { ERROR_CODES } from "../../errors/codes.js";
import type { PortalProfile } from "../../services/portal/portal-profile.js";

// Server-rendered pages: plain HTML forms that work without JavaScript (any device, any browser, screen
// readers), styled by /portal/portal.css; no inline script or style (the console's CSP).

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** What to tell the user for a code: the registry's message, which says how to fix it. */
export function describeCode(code: string): string {
  return Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code as keyof typeof ERROR_CODES] : code;
}

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - mailroster</title>
<link rel="stylesheet" href="/portal/portal.css">
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** An alert the screen reader announces, naming each problem by its code (tests read the codes). */
function problems(codes: readonly string[]): string {
  if (codes.length === 0) return "";
  const items = codes
    .map((code) => `<li data-code="${escapeHtml(code)}">${escapeHtml(describeCode(code))}</li>`)
    .join("");
  return `<div class="problem" role="alert"><ul>${items}</ul></div>`;
}

function field(id: string, label: string, type: string, autocomplete: string, value = ""): string {
  const filled = value === "" ? "" : ` value="${escapeHtml(value)}"`;
  return `<p><label for="${id}">${label}</label>
<input id="${id}" name="${id}" type="${type}" autocomplete="${autocomplete}" required${filled}></p>`;
}

/** The sign-in form; `action` carries where to go on (an OpenID Connect interaction) when there is one. */
export function signInPage(options: {
  csrfToken: string;
  codes?: readonly string[];
  email?: string;
  action?: string;
}): string {
  return layout(
    "Sign in",
    `${problems(options.codes ?? [])}
<form method="post" action="${escapeHtml(options.action ?? "/portal/sign-in")}">
<input type="hidden" name="csrf" value="${escapeHtml(options.csrfToken)}">
${field("email", "Email address", "email", "username", options.email)}
${field("password", "Password", "password", "current-password")}
<p><button type="submit">Sign in</button></p>
</form>`,
  );
}

const CHANGE_REASON = {
  forced: "Your administrator asks you to choose a new password before you go on.",
  expired: "Your password has expired: choose a new one before you go on.",
} as const;

/** The password change: forced or expired (nothing else until done), or by choice from the profile. */
export function passwordPage(options: {
  csrfToken: string;
  reason: "forced" | "expired" | null;
  codes?: readonly string[];
  action?: string;
}): string {
  const why = options.reason === null ? "" : `<p>${escapeHtml(CHANGE_REASON[options.reason])}</p>`;
  return layout(
    "Change your password",
    `${why}${problems(options.codes ?? [])}
<form method="post" action="${escapeHtml(options.action ?? "/portal/password")}">
<input type="hidden" name="csrf" value="${escapeHtml(options.csrfToken)}">
${field("currentPassword", "Current password", "password", "current-password")}
${field("newPassword", "New password", "password", "new-password")}
<p><button type="submit">Change password</button></p>
</form>
${signOutForm(options.csrfToken)}`,
  );
}

function signOutForm(csrfToken: string): string {
  return `<form method="post" action="/portal/sign-out" class="sign-out">
<input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">
<button type="submit">Sign out</button>
</form>`;
}

function list(title: string, items: readonly string[], empty: string, more = 0): string {
  const body =
    items.length === 0
      ? `<p>${escapeHtml(empty)}</p>`
      : `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>`;
  const rest = more > 0 ? `<p>And ${more} more.</p>` : "";
  return `<section><h2>${escapeHtml(title)}</h2>${body}${rest}</section>`;
}

/** The signed-in user's own page: details, aliases, groups, the mailboxes they may open as a delegate. */
export function profilePage(profile: PortalProfile, csrfToken: string, notice?: string): string {
  const mayOpenMore =
    profile.mayOpen.total - profile.mayOpen.items.length - (profile.page - 1) * profile.pageSize;
  const pager =
    profile.mayOpen.total > profile.page * profile.pageSize
      ? `<p><a href="/portal?page=${profile.page + 1}">Next page of mailboxes</a></p>`
      : "";
  return layout(
    profile.name,
    `${notice === undefined ? "" : `<p class="notice" role="status">${escapeHtml(notice)}</p>`}
<section><h2>Your details</h2>
<dl>
<dt>Email address</dt><dd>${escapeHtml(profile.email)}</dd>
<dt>Name</dt><dd>${escapeHtml(profile.name)}</dd>
<dt>Account</dt><dd>${escapeHtml(profile.account)}</dd>
</dl></section>
${list("Aliases", profile.aliases, "You have no aliases.")}
${list("Groups", profile.groups, "You are in no group.")}
${list("Mailboxes you may open", profile.mayOpen.items, "You may open no other mailbox.", Math.max(0, mayOpenMore))}
${pager}
<p><a href="/portal/password">Change your password</a></p>
${signOutForm(csrfToken)}`,
  );
}

export const PORTAL_CSS = `*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1f24;background:#f4f6f8}
main{max-width:36rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{margin-top:0;font-size:1.6rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
label{display:block;font-weight:600;margin-bottom:.25rem}
input{width:100%;padding:.6rem;font:inherit;border:1px solid #8a939c;border-radius:4px}
input:focus,button:focus,a:focus{outline:3px solid #1f6feb;outline-offset:2px}
button{padding:.6rem 1.2rem;font:inherit;font-weight:600;color:#fff;background:#1f6feb;border:0;border-radius:4px;cursor:pointer}
.sign-out button{color:#1f6feb;background:none;border:1px solid #1f6feb}
.problem{border-left:4px solid #c62828;background:#fdecea;padding:.5rem 1rem;margin-bottom:1rem}
.notice{border-left:4px solid #2e7d32;background:#edf7ee;padding:.5rem 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
ul{padding-left:1.2rem}li{overflow-wrap:anywhere}
@media (max-width:30rem){main{margin:0;border-radius:0;min-height:100vh}dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}
`;
