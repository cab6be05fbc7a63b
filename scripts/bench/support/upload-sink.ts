// A pass-through in front of the Discord stand-in that takes the video uploads itself. The
// stand-in parses and keeps every uploaded file (its log and its CDN): 50 × 40 MB would hold
// 2 GB there, and several times that while parsing. The sink streams a multipart edit of an
// interaction's reply to nowhere, notes when it started and when its last byte arrived, refuses
// it as Discord would when it is over the interaction's limit, and answers like Discord;
// everything else (gateway info, defers, JSON edits) goes on to the stand-in unchanged.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkUpload {
  token: string;
  startedAt: number;
  endedAt: number;
  bytes: number;
  status: number;
}

const UPLOAD_ROUTE = /^\/api\/v10\/webhooks\/(\d+)\/([^/]+)\/messages\/(?:@|%40)original(?:\?.*)?$/;

export interface UploadSink {
  /** Give this to the bot as DISCORD_API_URL. */
  restApi: string;
  uploads: SinkUpload[];
  close(): Promise<void>;
}

export async function startUploadSink(standInPort: number, limitBytes: number): Promise<UploadSink> {
  const uploads: SinkUpload[] = [];
  let serial = 0;
  const server: Server = createServer((req, res) => {
    const match = UPLOAD_ROUTE.exec(req.url ?? '');
    const multipart = (req.headers['content-type'] ?? '').startsWith('multipart/form-data');
    if (req.method === 'PATCH' && match && multipart) {
      const startedAt = Date.now();
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      req.on('end', () => {
        // Multipart overhead (boundaries, payload_json) is a few hundred bytes.
        const tooLarge = bytes > limitBytes + 64 * 1024;
        const status = tooLarge ? 413 : 200;
        uploads.push({ token: match[2] ?? '', startedAt, endedAt: Date.now(), bytes, status });
        serial += 1;
        const body = tooLarge
          ? { code: 40005, message: 'Request entity too large' }
          : {
              id: String(1_300_000_000_000_000_000n + BigInt(serial)),
              type: 20,
              channel_id: '1',
              content: '',
              embeds: [],
              components: [],
              attachments: [{ id: String(serial), filename: 'video.mp4', size: bytes }],
              timestamp: new Date().toISOString(),
              edited_timestamp: new Date().toISOString(),
              flags: 0,
              webhook_id: match[1],
            };
        const text = JSON.stringify(body);
        res.writeHead(status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      });
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: standInPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    restApi: `http://127.0.0.1:${port}/api`,
    uploads,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
