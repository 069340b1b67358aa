// The CLI as a whole process from the TypeScript sources (no dist/ needed), reporting its peak memory.
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
process.stderr.write(`maxrss-kib=${process.resourceUsage().maxRSS}\n`);
