import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import type { RecipientVerdict } from "../directory/recipient-verdict.js";

/** What the listener asks for each RCPT TO; undefined: the text is not an address. */
export type RecipientJudge = (address: string) => Promise<RecipientVerdict | undefined>;

export interface SmtpListener {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The recipient check of the gateway's inbound path: RCPT TO is answered 250, 451 4.1.1 or 550 5.1.1.
 * A refused recipient never enters the envelope, so smtp-server answers DATA with 503 when none was accepted
 * and a body is never taken for an address we refused. Delivering the bodies of accepted recipients is the
 * gateway's own path and out of this project's scope: DATA is read and discarded.
 */
export async function startSmtpListener(options: {
  host: string;
  port: number;
  judge: RecipientJudge;
  banner?: string;
}): Promise<SmtpListener> {
  const server = new SMTPServer({
    banner: options.banner ?? "mailroster recipient check",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    // Reverse DNS per connection would cost more than the check itself.
    disableReverseLookup: true,
    logger: false,
    size: 25 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      options.judge(address.address).then(
        (verdict) => {
          if (verdict === undefined) {
            callback(new SmtpReply(550, `5.1.3 <${address.address}>: bad recipient address syntax`));
          } else if (verdict.smtpCode === 250) {
            callback();
          } else if (verdict.smtpCode === 451) {
            callback(
              new SmtpReply(451, `4.1.1 <${address.address}>: recipient not yet known, try again later`),
            );
          } else {
            callback(new SmtpReply(550, `5.1.1 <${address.address}>: recipient unknown`));
          }
        },
        () => {
          // The directory could not be read: a temporary failure, so the sender retries.
          callback(new SmtpReply(451, "4.3.0 recipient check temporarily unavailable"));
        },
      );
    },
    onData(stream, _session, callback) {
      stream.on("end", () => {
        callback();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.server.off("error", reject);
      resolve();
    });
  });
  const address = server.server.address() as AddressInfo;
  return {
    host: options.host,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
