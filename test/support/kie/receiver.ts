import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  at: number;
}

export interface Receiver {
  /** `http://127.0.0.1:PORT` */
  url: string;
  received: ReceivedRequest[];
  /** Statuses for the next POSTs, in order; afterwards 200. */
  answerNext(...statuses: number[]): void;
  /** Serve these bytes on GET `path`. */
  serve(path: string, bytes: Buffer, contentType: string): void;
  close(): Promise<void>;
}

/** A small local HTTP server for tests: records callbacks (POST) and serves files (GET). */
export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const statuses: number[] = [];
  const files = new Map<string, { bytes: Buffer; contentType: string }>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      received.push({
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks),
        at: Date.now(),
      });
      if (req.method === 'GET') {
        const file = files.get(path);
        res.writeHead(file ? 200 : 404, { 'content-type': file?.contentType ?? 'text/plain' });
        res.end(file?.bytes ?? 'Not Found');
        return;
      }
      res.writeHead(statuses.shift() ?? 200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    answerNext: (...next) => void statuses.push(...next),
    serve: (path, bytes, contentType) => void files.set(path, { bytes, contentType }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
