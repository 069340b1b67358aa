import type { secureHeaders } from "hono/secure-headers";

/**
 * The security headers of every response (the OpenID Connect provider's pages set the same ones). A handler
 * may set its own CSP (overwrite: false): the sign-in pages of an OpenID Connect interaction widen
 * form-action to the client's redirect origin, which the browser checks across the redirects after the post.
 */
export const SECURITY_HEADERS = {
  // No inline script or style anywhere: the console is plain files from web/.
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
  },
  referrerPolicy: "no-referrer",
  xFrameOptions: "DENY",
  crossOriginOpenerPolicy: "same-origin",
  crossOriginResourcePolicy: "same-origin",
  permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  overwrite: false,
} satisfies Parameters<typeof secureHeaders>[0];
