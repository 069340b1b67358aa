import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerEnvelope } from "smtp-server";
import type { RecipientVerdict } from "../directory/recipient-verdict.js";

/** What the listener asks for each RCPT TO; undefined: the text is not an address. */
export type RecipientJudge = (address: string) => Promise<RecipientVerdict | undefined>;

export interface SmtpListener {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The flood limits of the listener. Counts per client are per remote IP address, over one-minute windows. */
export interface SmtpLimits {
  /** RCPT TO commands per transaction, accepted or refused; each one beyond is answered 452 4.5.3. */
  readonly maxRecipients: number;
  /** Connections open at once from one client; one more is refused with 421 4.7.0. */
  readonly maxConnectionsPerClient: number;
  /** New connections from one client per minute; beyond, 421 4.7.0 until the minute is over. */
  readonly maxConnectionsPerMinute: number;
  /** Connections open at once from everyone (smtp-server's maxClients); beyond, 421. */
  readonly maxClients: number;
  /** RCPT TO commands from one client per minute, across its connections (450 4.7.1); undefined: no limit. */
  readonly maxRecipientsPerMinute?: number | undefined;
  /** Clients remembered at once; the least recently seen idle one is forgotten to make room. */
  readonly maxTrackedClients: number;
}

/**
 * Our defaults, next to Postfix's (which are for a full MTA taking the message too):
 * - 100 recipients per transaction (Postfix smtpd_recipient_limit=1000): RFC 5321 4.5.3.1.8 makes 100 the
 *   least a server may take, and 4.5.3.1.10 has every client send the rest in another transaction after
 *   452, so 100 costs a sender nothing while bounding the directory look-ups one transaction can make.
 *   We count refused recipients too: a directory harvest is made of refused ones.
 * - 20 connections at once per client (Postfix smtpd_client_connection_count_limit=50, half its 100
 *   smtpd processes): 20 is the most a standard MTA opens to one destination (Postfix
 *   default_destination_concurrency_limit=20), and a recipient check needs no more.
 * - 120 new connections per client per minute (Postfix smtpd_client_connection_rate_limit is off by
 *   default; its documentation's examples sit in the tens to low hundreds): two a second, far above a sender
 *   that reuses its connections, low enough that one client cannot churn sockets.
 * - 500 connections at once in all (Postfix default_process_limit=100 smtpd processes; a Node socket costs
 *   far less than a process): 25 clients at their full share, and under half the usual 1024 open-file
 *   limit, leaving descriptors for the HTTP server and the database.
 * - No per-client recipient rate by default (Postfix smtpd_client_recipient_rate_limit=0 too): a
 *   gateway's own MTA asking for all its traffic from one address would hit any fixed figure.
 * - 10,000 clients remembered (~2 MB).
 */
export const DEFAULT_SMTP_LIMITS: SmtpLimits = {
  maxRecipients: 100,
  maxConnectionsPerClient: 20,
  maxConnectionsPerMinute: 120,
  maxClients: 500,
  maxRecipientsPerMinute: undefined,
  maxTrackedClients: 10_000,
};

/** The length of the rate windows (Postfix anvil_rate_time_unit=60s). */
const RATE_WINDOW_MS = 60_000;

interface ClientEntry {
  /** Connections admitted and not yet closed. */
  active: number;
  windowStart: number;
  connectionsInWindow: number;
  recipientsInWindow: number;
}

export type ConnectionVerdict = "ok" | "too-many-connections" | "too-fast" | "too-many-clients";

/**
 * What the listener knows about each client (remote IP): connections open now and the counts of the current
 * one-minute window (a fixed window per client, like Postfix's anvil). Bounded: an idle client is forgotten
 * once its window is over (`sweep`), and at `maxTrackedClients` the least recently seen idle client makes
 * room; when every remembered client has a connection open, a new client is refused until one closes.
 */
export class SmtpClientTable {
  // Map order is least recently seen first: a client seen again is moved to the end.
  private readonly entries = new Map<string, ClientEntry>();

  constructor(
    private readonly limits: Pick<
      SmtpLimits,
      "maxConnectionsPerClient" | "maxConnectionsPerMinute" | "maxRecipientsPerMinute" | "maxTrackedClients"
    >,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** A new connection from `ip`; when "ok" it counts as open until `release(ip)`. */
  admitConnection(ip: string): ConnectionVerdict {
    const entry = this.touch(ip);
    if (entry === undefined) return "too-many-clients";
    // Refused attempts count too: a client that keeps hammering stays refused until its minute is over.
    entry.connectionsInWindow++;
    if (entry.active >= this.limits.maxConnectionsPerClient) return "too-many-connections";
    if (entry.connectionsInWindow > this.limits.maxConnectionsPerMinute) return "too-fast";
    entry.active++;
    return "ok";
  }

  /** A connection that `admitConnection` let in has closed. */
  release(ip: string): void {
    const entry = this.entries.get(ip);
    if (entry !== undefined && entry.active > 0) entry.active--;
  }

  /** One RCPT TO from a client with a connection open; false when it is over its rate. */
  admitRecipient(ip: string): boolean {
    const limit = this.limits.maxRecipientsPerMinute;
    if (limit === undefined) return true;
    const entry = this.touch(ip);
    if (entry === undefined) return false;
    entry.recipientsInWindow++;
    return entry.recipientsInWindow <= limit;
  }

  /** Forgets every client with no connection open whose window is over. */
  sweep(): void {
    const now = this.now();
    for (const [ip, entry] of this.entries) {
      if (entry.active === 0 && now - entry.windowStart >= RATE_WINDOW_MS) this.entries.delete(ip);
    }
  }

  /** The client's entry, moved to the most recently seen end and its window rolled; undefined: no room. */
  private touch(ip: string): ClientEntry | undefined {
    const now = this.now();
    let entry = this.entries.get(ip);
    if (entry === undefined) {
      if (this.entries.size >= this.limits.maxTrackedClients && !this.forgetOneIdle()) return undefined;
      entry = { active: 0, windowStart: now, connectionsInWindow: 0, recipientsInWindow: 0 };
    } else {
      this.entries.delete(ip);
      if (now - entry.windowStart >= RATE_WINDOW_MS) {
        entry.windowStart = now;
        entry.connectionsInWindow = 0;
        entry.recipientsInWindow = 0;
      }
    }
    this.entries.set(ip, entry);
    return entry;
  }

  private forgetOneIdle(): boolean {
    for (const [ip, entry] of this.entries) {
      if (entry.active === 0) {
        this.entries.delete(ip);
        return true;
      }
    }
    return false;
  }
}

class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

const CONNECTION_REFUSALS: Record<Exclude<ConnectionVerdict, "ok">, string> = {
  "too-many-connections": "4.7.0 Too many connections from your address, try again later",
  "too-fast": "4.7.0 Too many connections from your address this minute, try again later",
  "too-many-clients": "4.7.0 Too many clients, try again later",
};

/**
 * The recipient check of the gateway's inbound path: RCPT TO is answered 250, 451 4.1.1 or 550 5.1.1.
 * A refused recipient never enters the envelope, so smtp-server answers DATA with 503 when none was accepted
 * and a body is never taken for an address we refused. Delivering the bodies of accepted recipients is the
 * gateway's own path and out of this project's scope: DATA is read and discarded.
 *
 * Flood limits (`limits`, see DEFAULT_SMTP_LIMITS): RCPT TO per transaction (452 4.5.3, RFC 5321
 * 4.5.3.1.10), connections at once and per minute per client and in all (421 4.7.0 instead of the greeting,
 * then closed), and optionally RCPT TO per client per minute (450 4.7.1, as Postfix answers it).
 */
export async function startSmtpListener(options: {
  host: string;
  port: number;
  judge: RecipientJudge;
  banner?: string;
  limits?: Partial<SmtpLimits>;
  /** The clock of the rate windows, in milliseconds; tests stop it. */
  now?: () => number;
}): Promise<SmtpListener> {
  const limits: SmtpLimits = { ...DEFAULT_SMTP_LIMITS, ...options.limits };
  const clients = new SmtpClientTable(limits, options.now);
  // The connections admitted, by session id, with the address they were counted under.
  const admitted = new Map<string, string>();
  // RCPT TO commands per transaction: smtp-server gives each transaction a new envelope (MAIL FROM after
  // RSET, HELO/EHLO or a finished DATA), so the count resets with it and goes with it to the collector.
  const recipientCounts = new WeakMap<SMTPServerEnvelope, number>();
  const server = new SMTPServer({
    banner: options.banner ?? "mailroster recipient check",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    // Reverse DNS per connection would cost more than the check itself.
    disableReverseLookup: true,
    logger: false,
    size: 25 * 1024 * 1024,
    maxClients: limits.maxClients,
    onConnect(session, callback) {
      const verdict = clients.admitConnection(session.remoteAddress);
      if (verdict === "ok") {
        admitted.set(session.id, session.remoteAddress);
        callback();
      } else {
        callback(new SmtpReply(421, CONNECTION_REFUSALS[verdict]));
      }
    },
    onClose(session) {
      const address = admitted.get(session.id);
      if (address === undefined) return;
      admitted.delete(session.id);
      clients.release(address);
    },
    onRcptTo(address, session, callback) {
      const count = (recipientCounts.get(session.envelope) ?? 0) + 1;
      recipientCounts.set(session.envelope, count);
      if (count > limits.maxRecipients) {
        callback(new SmtpReply(452, "4.5.3 Too many recipients"));
        return;
      }
      if (!clients.admitRecipient(session.remoteAddress)) {
        callback(new SmtpReply(450, "4.7.1 Too many recipients from your address, try again later"));
        return;
      }
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
  // Idle clients are forgotten once their minute is over, so the table holds only recent ones.
  const sweeper = setInterval(() => {
    clients.sweep();
  }, RATE_WINDOW_MS);
  sweeper.unref();
  const address = server.server.address() as AddressInfo;
  return {
    host: options.host,
    port: address.port,
    close: () => {
      clearInterval(sweeper);
      return new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
