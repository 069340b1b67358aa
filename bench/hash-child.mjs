// One process hashing passwords one after another with the product's argon2id settings (dist/), printing its
// rate. bench/import.ts starts one per core at once: the rate the machine gives independent processes is the
// ceiling any in-process pool can reach.
import { createArgon2Hasher } from "../dist/adapters/password-hasher.js";

const count = Number(process.argv[2] ?? "48");
const hasher = createArgon2Hasher();
const started = performance.now();
for (let i = 0; i < count; i++) await hasher.hash(`Pa55word!${i}x`);
console.log(JSON.stringify({ perSecond: count / ((performance.now() - started) / 1000) }));
