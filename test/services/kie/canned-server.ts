import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../src/app/logger.js';
import { KieClient, type KieClientOptions } from '../../../src/services/kie/index.js';

/** What the canned server answers to one request. */
export interface CannedAnswer {
  status?: number;
  contentType?: string;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  /** Wait before sending the status line. */
  delayMs?: number;
  /** Send the status line and headers at once, the body after this long. */
  bodyDelayMs?: number;
  /** Close the socket without answering (a reset). */
  destroy?: boolean;
}

export interface CannedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export type CannedHandler = (req: CannedRequest, index: number) => CannedAnswer;

/** A real HTTP server on 127.0.0.1:0 that answers with canned Kie-like answers. */
export async function startCannedServer(handler: CannedHandler) {
  const requests: CannedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: CannedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      requests.push(recorded);
      const answer = handler(recorded, requests.length - 1);
      if (answer.destroy) {
        req.socket.destroy();
        return;
      }
      const send = () => {
        const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
        res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'application/json' });
        if (answer.bodyDelayMs) {
          res.flushHeaders();
          setTimeout(() => res.end(body), answer.bodyDelayMs).unref();
        } else {
          res.end(body);
        }
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on which nothing listens: connections are refused. */
export async function refusedUrl(): Promise<string> {
  const server = await startCannedServer(() => ({}));
  await server.close();
  return server.url;
}

/** A pino logger whose lines are kept, to check what the client logs. */
export function captureLogger(level = 'debug'): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      raw.push(String(chunk));
      done();
    },
  });
  return {
    logger: createLogger(level, sink),
    lines: () =>
      raw
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export const TEST_KEY = 'kie-test-key-0123456789abcdef';

/** A client with fast retries and loose limits, so unit tests stay quick. */
export function testClient(url: string, overrides: Partial<KieClientOptions> = {}): KieClient {
  return new KieClient({
    apiUrl: url,
    uploadUrl: url,
    timeoutMs: 2000,
    logger: createLogger('silent'),
    retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 5 },
    limits: { createPerWindow: 1000, createWindowMs: 1000, recordInfoPerSecond: 1000 },
    ...overrides,
  });
}

export function envelope(code: number, msg: string, data: unknown = null) {
  return { code, msg, data };
}
