import { connectSmtp } from "../test/support/smtp-client.js";

// The RCPT TO load of bench:smtp and bench:scale: a minimal SMTP speaker on raw sockets (no client library),
// so the figure measures the listener and the recipient index.

/**
 * One connection sending RCPT TO after RCPT TO in one transaction (RSET every 100) until `until`, for
 * user{n}@example.com with n cycling over 1.5 x `users` from `seed`: two in three exist (250), the rest are
 * unknown (451). Returns how many it checked.
 */
export async function rcptClient(port: number, until: number, seed: number, users: number): Promise<number> {
  const smtp = await connectSmtp(port);
  const send = async (line: string): Promise<number> => (await smtp.send(line)).code;
  await send("EHLO bench.test");
  await send("MAIL FROM:<sender@sender.test>");
  let checks = 0;
  let i = seed;
  const span = Math.floor(users * 1.5);
  while (performance.now() < until) {
    const n = i % span;
    const code = await send(`RCPT TO:<user${n}@example.com>`);
    if (code !== (n < users ? 250 : 451)) throw new Error(`unexpected reply ${code} for user${n}`);
    checks++;
    i += 7;
    if (checks % 100 === 0) {
      await send("RSET");
      await send("MAIL FROM:<sender@sender.test>");
    }
  }
  await send("QUIT");
  smtp.destroy();
  return checks;
}

/** RCPT TO checks per second over `connections` connections for `seconds`. */
export async function rcptRate(
  port: number,
  options: { seconds: number; connections: number; users: number },
): Promise<number> {
  const started = performance.now();
  const until = started + options.seconds * 1000;
  const counts = await Promise.all(
    Array.from({ length: options.connections }, (_, c) => rcptClient(port, until, c * 1_000, options.users)),
  );
  return counts.reduce((a, b) => a + b, 0) / ((performance.now() - started) / 1000);
}
