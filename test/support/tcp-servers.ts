import { connect, createServer, type Socket } from 'node:net';

/** A TCP server on 127.0.0.1; `close` ends every connection it holds, then stops listening. */
export interface LocalServer {
  port: number;
  close(): Promise<void>;
}

async function listenOn(port: number, onSocket: (socket: Socket) => void): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A Discord that accepts every connection and never says a word (a black-holing firewall or
 * proxy), at `url` (a REST base); counts the HTTP requests it swallowed.
 */
export async function startSilentServer(): Promise<LocalServer & { url: string; requests(): number }> {
  let requests = 0;
  const server = await listenOn(0, (socket) =>
    socket.on('data', (data) => {
      if (/^(GET|PUT|POST|PATCH|DELETE) /.test(data.toString())) requests++;
    }),
  );
  return { ...server, url: `http://127.0.0.1:${server.port}/api`, requests: () => requests };
}

/** Listens on `port` and pipes every connection to `target` on 127.0.0.1 (a network that came back). */
export function forward(port: number, target: number): Promise<LocalServer> {
  return listenOn(port, (socket) => {
    const upstream = connect(target, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('close', () => upstream.destroy());
    upstream.on('close', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
}
