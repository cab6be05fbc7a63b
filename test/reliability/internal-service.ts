import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An internal service on this host: the bot must never reach it, nor put any of it in a channel. */
export interface InternalService {
  port: number;
  /** Words inside everything it serves. */
  marker: string;
  /** Connections anyone opened to it. */
  connections(): number;
  close(): Promise<void>;
}

function box(type: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, payload]);
}

/**
 * Starts a service on 127.0.0.1 that answers anyone with an MP4 (an `ftyp` box, then a `free`
 * box holding `marker`): its bytes pass the video signature check, so only the address policy
 * stands between it and a channel.
 */
export async function startInternalService(marker: string): Promise<InternalService> {
  const video = Buffer.concat([
    box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2avc1mp41', 'latin1')),
    box('free', Buffer.from(marker)),
  ]);
  let connections = 0;
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'video/mp4' }).end(video));
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    marker,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
