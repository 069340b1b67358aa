import { describe, expect, it } from "vitest";
import { hashAll, verifyAll } from "./password-hash-pool.js";
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

  it("verifies many pairs, a malformed stored hash verifying nothing", async () => {
    const [a = "", b = ""] = await hashAll(hasher, ["Sunny-Harbour-42", "Tidal-Lantern-7"]);
    const pairs = Array.from({ length: 24 }, (_, i) =>
      i % 3 === 0
        ? { hash: a, password: "Sunny-Harbour-42" }
        : i % 3 === 1
          ? { hash: b, password: "Sunny-Harbour-42" }
          : { hash: "not-a-hash", password: "x" },
    );
    expect(await verifyAll(hasher, pairs)).toEqual(pairs.map((_, i) => i % 3 === 0));
  });

  it("answers an empty batch at once", async () => {
    expect(await hashAll(hasher, [])).toEqual([]);
  });
});
