import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerError } from 'smtp-server';

/**
 * A real SMTP server in the test process (the `smtp-server` package: plain SMTP on 127.0.0.1, no
 * STARTTLS, authentication optional unless asked for) that keeps what it receives, and a small
 * MIME reader for those messages (no mail parser is installed): headers with RFC 2047 words,
 * multipart bodies, base64 and quoted-printable, RFC 2231 file names. Enough to assert on what a
 * recipient's mail program would show.
 */

export interface ReceivedAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface ReceivedMail {
  /** SMTP envelope: MAIL FROM and RCPT TO. */
  envelope: { from: string; to: string[] };
  /** Who authenticated (when the server asked for credentials). */
  user: string | null;
  /** The message as it came over the wire. */
  raw: string;
  /** Top-level headers, names lower-case, encoded words decoded. */
  headers: Map<string, string>;
  subject: string;
  from: string;
  to: string;
  messageId: string;
  text: string | null;
  html: string | null;
  attachments: ReceivedAttachment[];
}

export interface TestSmtpServer {
  port: number;
  /** `smtp://127.0.0.1:<port>` (with credentials when the server asks for them). */
  url: string;
  received: ReceivedMail[];
  /** Decides on each RCPT TO: null takes the recipient, otherwise the reply code and text refuse it. */
  rejectRecipient: ((address: string) => { code: number; message: string } | null) | null;
  /** Resolves once `count` messages have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface SmtpServerOptions {
  /** A fixed port (e.g. to start again where a stopped server was); default a free one. */
  port?: number;
  /** Require these credentials (AUTH over plain text is allowed for the test). */
  auth?: { user: string; pass: string };
  /** Delay before accepting each message (to keep deliveries in flight). */
  delayMs?: number;
}

export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const state: Pick<TestSmtpServer, 'rejectRecipient'> = { rejectRecipient: null };
  const server = new SMTPServer({
    authOptional: !options.auth,
    allowInsecureAuth: true,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return callback(null, { user: auth.username });
      const error: SMTPServerError = new Error('Invalid username or password');
      error.responseCode = 535;
      return callback(error);
    },
    onRcptTo(address, _session, callback) {
      const refusal = state.rejectRecipient?.(address.address) ?? null;
      if (!refusal) return callback();
      const error: SMTPServerError = new Error(refusal.message);
      error.responseCode = refusal.code;
      return callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('latin1');
        const finish = () => {
          const mail = readMessage(raw, {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          });
          received.push({ ...mail, user: typeof session.user === 'string' ? session.user : null });
          for (const waiter of [...waiters]) {
            if (received.length >= waiter.count) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve();
            }
          }
          callback(null, `OK: queued as TEST${received.length}`);
        };
        if (options.delayMs) setTimeout(finish, options.delayMs);
        else finish();
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    const listener = server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((listener.address() as AddressInfo).port);
    });
  });
  // A connection dropped by the client is not the test's concern.
  server.on('error', () => undefined);
  const credentials = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@` : '';
  return {
    port,
    url: `smtp://${credentials}127.0.0.1:${port}`,
    received,
    get rejectRecipient() {
      return state.rejectRecipient;
    },
    set rejectRecipient(decide) {
      state.rejectRecipient = decide;
    },
    waitFor(count, timeoutMs = 10_000) {
      if (received.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${received.length} of ${count} messages arrived within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// --- a minimal MIME reader ------------------------------------------------------------------------

interface Part {
  headers: Map<string, string>;
  /** Header values as they stand (unfolded), for parameters with RFC 2231 encoding. */
  rawHeaders: Map<string, string>;
  body: string;
}

/** Reads a whole message (a latin1 string: one character per byte). */
export function readMessage(raw: string, envelope: { from: string; to: string[] }): Omit<ReceivedMail, 'user'> {
  const top = splitPart(raw);
  const leaves: Part[] = [];
  collectLeaves(top, leaves);
  let text: string | null = null;
  let html: string | null = null;
  const attachments: ReceivedAttachment[] = [];
  for (const leaf of leaves) {
    const type = parseHeaderValue(leaf.rawHeaders.get('content-type') ?? 'text/plain');
    const disposition = parseHeaderValue(leaf.rawHeaders.get('content-disposition') ?? '');
    const content = decodeBody(leaf.body, leaf.headers.get('content-transfer-encoding') ?? '7bit');
    const filename = disposition.params.filename ?? type.params.name ?? null;
    if (disposition.value === 'attachment' || filename !== null) {
      attachments.push({ filename: filename ?? '', contentType: leaf.headers.get('content-type') ?? '', content });
    } else if (type.value === 'text/plain' && text === null) {
      text = content.toString('utf8');
    } else if (type.value === 'text/html' && html === null) {
      html = content.toString('utf8');
    }
  }
  return {
    envelope,
    raw,
    headers: top.headers,
    subject: top.headers.get('subject') ?? '',
    from: top.headers.get('from') ?? '',
    to: top.headers.get('to') ?? '',
    messageId: top.headers.get('message-id') ?? '',
    text,
    html,
    attachments,
  };
}

function splitPart(raw: string): Part {
  const match = /\r?\n\r?\n/.exec(raw);
  const head = match ? raw.slice(0, match.index) : raw;
  const body = match ? raw.slice(match.index + match[0].length) : '';
  const headers = new Map<string, string>();
  const rawHeaders = new Map<string, string>();
  // Unfold: a line that starts with white space continues the header before it.
  for (const line of head.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (!rawHeaders.has(name)) {
      rawHeaders.set(name, value);
      headers.set(name, decodeWords(value));
    }
  }
  return { headers, rawHeaders, body };
}

function collectLeaves(part: Part, leaves: Part[]): void {
  const type = parseHeaderValue(part.rawHeaders.get('content-type') ?? 'text/plain');
  const boundary = type.params.boundary;
  if (!type.value.startsWith('multipart/') || !boundary) {
    leaves.push(part);
    return;
  }
  const lines = part.body.split(/\r?\n/);
  let current: string[] | null = null;
  for (const line of lines) {
    if (line === `--${boundary}--`) break;
    if (line === `--${boundary}`) {
      if (current) collectLeaves(splitPart(current.join('\r\n')), leaves);
      current = [];
    } else if (current) {
      current.push(line);
    }
  }
  if (current) collectLeaves(splitPart(current.join('\r\n')), leaves);
}

/** `type/subtype; a=b; c="d"` with RFC 2231 parameters (`name*=utf-8''…`, `name*0*=…; name*1*=…`) put together and decoded. */
function parseHeaderValue(value: string): { value: string; params: Record<string, string> } {
  const [first = '', ...rest] = splitOutsideQuotes(value);
  const pieces = new Map<string, { index: number; encoded: boolean; text: string }[]>();
  const params: Record<string, string> = {};
  for (const item of rest) {
    const equals = item.indexOf('=');
    if (equals < 0) continue;
    const key = item.slice(0, equals).trim().toLowerCase();
    let text = item.slice(equals + 1).trim();
    if (text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1).replace(/\\(.)/g, '$1');
    const continued = /^([^*]+)\*(\d+)(\*?)$/.exec(key);
    const extended = /^([^*]+)\*$/.exec(key);
    if (continued) pieces.set(continued[1]!, [...(pieces.get(continued[1]!) ?? []), { index: Number(continued[2]), encoded: continued[3] === '*', text }]);
    else if (extended) pieces.set(extended[1]!, [{ index: 0, encoded: true, text }]);
    else params[key] = decodeWords(text);
  }
  for (const [key, list] of pieces) {
    list.sort((a, b) => a.index - b.index);
    const bytes: number[] = [];
    for (const [position, piece] of list.entries()) {
      // The first encoded piece starts with charset'language'.
      const text = position === 0 && piece.encoded ? piece.text.replace(/^[^']*'[^']*'/, '') : piece.text;
      if (piece.encoded) {
        for (let i = 0; i < text.length; i++) {
          if (text[i] === '%' && /^[0-9a-f]{2}$/i.test(text.slice(i + 1, i + 3))) {
            bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
            i += 2;
          } else {
            bytes.push(text.charCodeAt(i));
          }
        }
      } else {
        for (const char of Buffer.from(text, 'latin1')) bytes.push(char);
      }
    }
    params[key] = Buffer.from(bytes).toString('utf8');
  }
  return { value: first.trim().toLowerCase(), params };
}

function splitOutsideQuotes(value: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char === '\\' && quoted) {
      current += char + (value[i + 1] ?? '');
      i++;
    } else if (char === '"') {
      quoted = !quoted;
      current += char;
    } else if (char === ';' && !quoted) {
      items.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  items.push(current);
  return items;
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`); white space between two of them belongs to neither. */
function decodeWords(value: string): string {
  const word = /=\?([^?]+)\?([bqBQ])\?([^?]*)\?=/g;
  let out = '';
  let pending: Buffer[] = [];
  let last = 0;
  const flush = () => {
    // A character may span two words: the bytes of adjacent words are read as UTF-8 together.
    if (pending.length > 0) out += Buffer.concat(pending).toString('utf8');
    pending = [];
  };
  for (const match of value.matchAll(word)) {
    const between = value.slice(last, match.index);
    if (pending.length === 0 || between.trim() !== '') {
      flush();
      out += between;
    }
    const [, , encoding = 'B', text = ''] = match;
    pending.push(encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1'));
    last = match.index + match[0].length;
  }
  flush();
  return out + value.slice(last);
}

function decodeBody(body: string, encoding: string): Buffer {
  switch (encoding.trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64');
    case 'quoted-printable':
      return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
    default:
      return Buffer.from(body, 'latin1');
  }
}
