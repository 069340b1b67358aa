import { describe, expect, it } from "vitest";
import { hashAll } from "./password-hash-pool.js";
import { createArgon2Hasher } from "./password-hasher.js";

describe("argon2id on every core", () => {
  const hasher = createArgon2Hasher();

  it("hashes many passwords on worker threads, in order, each verifying as its own", async () => {
    const passwords = Array.from({ length: 40 }, (_, i) => `Pa55word!${i}x`);
    const seen: number[] = [];
    const hashes = await hashAll(hasher, passwords, (done) => seen.push(done));
    expect(hashes).toHaveLength(40);
    expect(new Set(hashes).size).toBe(40);
    for (const h of hashes) expect(h).toMatch(/^\$argon2id\$v=19\$m=12288,t=3,p=1\$/);
    expect(seen.at(-1)).toBe(40);
    expect(await hasher.verify(hashes[7] ?? "", "Pa55word!7x")).toBe(true);
    expect(await hasher.verify(hashes[7] ?? "", "Pa55word!8x")).toBe(false);
  });

  it("answers an empty batch at once", async () => {
    expect(await hashAll(hasher, [])).toEqual([]);
  });
});
