import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { API_TYPES_FILE, generateApiTypes } from "../../scripts/generate-api-types.js";

describe("web/api-types.d.ts", () => {
  it("is what the OpenAPI document gives now (else run `npm run api-types` and commit the file)", async () => {
    const committed = readFileSync(API_TYPES_FILE, "utf8");
    expect(
      committed === (await generateApiTypes()),
      "web/api-types.d.ts is stale: run npm run api-types",
    ).toBe(true);
  });
});
