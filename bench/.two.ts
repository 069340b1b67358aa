import { createSqliteDatabase } from "../src/store/open-database.js";
import { searchUsers } from "../src/services/users/search-users.js";
import { makeContext } from "../test/support/service-context.js";
const open = createSqliteDatabase("/tmp/mailroster-scale-6KyBZe/scale.db");
const context = makeContext(open);
for (const text of ["zq", "u9", "le", "xy", "9"]) {
  const xs: number[] = [];
  let n = 0;
  for (let i = 0; i < 4; i++) {
    const t = performance.now();
    const page = await searchUsers(context, { account: "CxAy", text, limit: 50 });
    n = page.items.length;
    xs.push(performance.now() - t);
  }
  console.log(text, n, xs.map((x) => x.toFixed(0)).join(" "));
}
await open.close();
