import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  discardBody,
  MediaFetcher,
  type MediaFetcherOptions,
  MediaUrlRefused,
  type ResolveHost,
} from '../../../src/services/media/safe-fetch.js';

interface Host {
  base: string;
  port: number;
  /** TCP connections accepted so far: 0 proves nothing reached this server. */
  connections(): number;
  requests: string[];
}

const servers: Server[] = [];
const fetchers: MediaFetcher[] = [];

afterEach(async () => {
  for (const fetcher of fetchers.splice(0)) await fetcher.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function host(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Host> {
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  const requests: string[] = [];
  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, port, connections: () => connections, requests };
}

/** An internal service the bot must never reach: it answers anyone with its secret. */
function secretService(): Promise<Host> {
  return host((_, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('the secret'));
}

function fetcher(options: MediaFetcherOptions): MediaFetcher {
  const created = new MediaFetcher(options);
  fetchers.push(created);
  return created;
}

async function refusal(promise: Promise<unknown>): Promise<MediaUrlRefused> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MediaUrlRefused);
  return error as MediaUrlRefused;
}

async function text(response: Awaited<ReturnType<MediaFetcher['get']>>): Promise<string> {
  return response.body.text();
}

const signal = () => AbortSignal.timeout(3_000);

describe('MediaFetcher', () => {
  it('fetches from a configured origin as it is, plain http on 127.0.0.1 included', async () => {
    const stand = await host((_, res) => res.writeHead(200).end('video bytes'));
    const media = fetcher({ trustedOrigins: [`${stand.base}/api`] });
    const response = await media.get(`${stand.base}/results/1.mp4`, signal());
    expect(response.statusCode).toBe(200);
    expect(await text(response)).toBe('video bytes');
  });

  it('follows a redirect within the configured origins', async () => {
    const stand = await host((req, res) => {
      if (req.url === '/old') return void res.writeHead(302, { location: '/new' }).end();
      res.writeHead(200).end(`served ${req.url}`);
    });
    const media = fetcher({ trustedOrigins: [stand.base] });
    const response = await media.get(`${stand.base}/old`, signal());
    expect(await text(response)).toBe('served /new');
    expect(response.url).toBe(`${stand.base}/new`);
  });

  it('refuses a result URL on an untrusted internal address without connecting to it', async () => {
    const secret = await secretService();
    const media = fetcher({ trustedOrigins: ['https://api.kie.ai'] });
    const error = await refusal(media.get(`https://127.0.0.1:${secret.port}/video.mp4`, signal()));
    expect(error.message).toBe('the URL: 127.0.0.1 is a loopback address');
    expect(secret.connections()).toBe(0);
  });

  it.each([
    ['decimal', 'https://2130706433:PORT/'],
    ['hexadecimal', 'https://0x7f000001:PORT/'],
    ['octal', 'https://0177.0.0.1:PORT/'],
    ['shortened', 'https://127.1:PORT/'],
    ['mixed hex and octal', 'https://0x7f.0.0.01:PORT/'],
    ['IPv6 loopback', 'https://[::1]:PORT/'],
    ['IPv4-mapped IPv6', 'https://[::ffff:127.0.0.1]:PORT/'],
    ['IPv4-mapped IPv6 in hex', 'https://[::ffff:7f00:1]:PORT/'],
    ['unspecified', 'https://0.0.0.0:PORT/'],
  ])('refuses the loopback written in %s form (%s)', async (_, template) => {
    const secret = await secretService();
    const media = fetcher({ trustedOrigins: [] });
    await refusal(media.get(template.replace('PORT', String(secret.port)), signal()));
    expect(secret.connections()).toBe(0);
  });

  it.each([
    'https://169.254.169.254/latest/meta-data/',
    'https://[::ffff:169.254.169.254]/latest/meta-data/',
    'https://10.0.0.1/',
    'https://172.16.5.4/',
    'https://192.168.1.1/',
    'https://100.64.0.1/',
    'https://[fe80::1]/',
    'https://[fd00::1]/',
    'https://224.0.0.1/',
    'https://255.255.255.255/',
  ])('refuses %s before any connection is tried', async (url) => {
    let resolved = 0;
    const media = fetcher({
      trustedOrigins: [],
      resolve: async () => {
        resolved += 1;
        return [];
      },
    });
    const error = await refusal(media.get(url, signal()));
    expect(error.message).toMatch(/^the URL: .+ is (a|an|not) /);
    expect(resolved).toBe(0);
  });

  it('refuses http:// on a host that is not configured, whatever its address', async () => {
    const secret = await secretService();
    const resolve: ResolveHost = async () => [{ address: '93.184.216.34', family: 4 }];
    const media = fetcher({ trustedOrigins: ['https://api.kie.ai'], resolve });
    const error = await refusal(media.get('http://cdn.example.com/video.mp4', signal()));
    expect(error.message).toBe('the URL: http:// is not allowed (https only)');
    // Another port on the trusted host is another origin.
    const other = fetcher({ trustedOrigins: [`http://127.0.0.1:${secret.port + 1}`] });
    await refusal(other.get(`${secret.base}/`, signal()));
    expect(secret.connections()).toBe(0);
  });

  it.each([
    ['an http', 'http'],
    ['an https', 'https'],
  ])(
    'refuses %s redirect from a configured origin to another port of 127.0.0.1 at that hop',
    async (_, scheme) => {
      const secret = await secretService();
      const stand = await host((_, res) =>
        res.writeHead(302, { location: `${scheme}://127.0.0.1:${secret.port}/admin` }).end(),
      );
      const media = fetcher({ trustedOrigins: [stand.base] });
      const error = await refusal(media.get(`${stand.base}/results/1.mp4`, signal()));
      expect(error.message).toMatch(/^redirect 1: /);
      expect(stand.requests).toEqual(['/results/1.mp4']);
      expect(secret.connections()).toBe(0);
    },
  );

  it('checks every hop: a public https hop that redirects inward is refused at the second hop', async () => {
    const secret = await secretService();
    const stand = await host((req, res) => {
      if (req.url === '/a') return void res.writeHead(307, { location: '/b' }).end();
      res.writeHead(301, { location: `https://[::ffff:127.0.0.1]:${secret.port}/` }).end();
    });
    const media = fetcher({ trustedOrigins: [stand.base] });
    const error = await refusal(media.get(`${stand.base}/a`, signal()));
    expect(error.message).toBe('redirect 2: ::ffff:7f00:1 is a loopback address');
    expect(secret.connections()).toBe(0);
  });

  it('gives up after the allowed number of redirects', async () => {
    const stand = await host((req, res) => {
      const n = Number(req.url?.slice(1));
      res.writeHead(302, { location: `/${n + 1}` }).end();
    });
    const media = fetcher({ trustedOrigins: [stand.base], maxRedirects: 3 });
    const error = await refusal(media.get(`${stand.base}/0`, signal()));
    expect(error.message).toBe('more than 3 redirects');
    expect(stand.requests).toEqual(['/0', '/1', '/2', '/3']);
  });

  it('refuses a name that resolves to 127.0.0.1 when it connects, not before', async () => {
    const secret = await secretService();
    const asked: string[] = [];
    const media = fetcher({
      trustedOrigins: [],
      resolve: async (hostname) => {
        asked.push(hostname);
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    const error = await refusal(media.get(`https://media.example:${secret.port}/video.mp4`, signal()));
    expect(error.message).toBe('media.example resolves to 127.0.0.1, a loopback address');
    expect(asked).toEqual(['media.example']);
    expect(secret.connections()).toBe(0);
  });

  it('refuses localhost through the system resolver', async () => {
    const secret = await secretService();
    const media = fetcher({ trustedOrigins: [] });
    const error = await refusal(media.get(`https://localhost:${secret.port}/`, signal()));
    expect(error.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address$/);
    expect(secret.connections()).toBe(0);
  });

  it.each([
    [[{ address: '::ffff:127.0.0.1', family: 6 }], '::ffff:127.0.0.1, a loopback address'],
    [[{ address: '169.254.169.254', family: 4 }], '169.254.169.254, a link-local address'],
    [[{ address: 'fd00::5', family: 6 }], 'fd00::5, a unique-local address'],
    // One internal address among public ones is enough: happy eyeballs may try any of them.
    [
      [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ],
      '10.0.0.7, a private address',
    ],
  ])('refuses a name resolving to %j', async (addresses, why) => {
    const media = fetcher({ trustedOrigins: [], resolve: async () => addresses });
    const error = await refusal(media.get('https://media.example/video.mp4', signal()));
    expect(error.message).toBe(`media.example resolves to ${why}`);
  });

  it('discards an unread body without an unhandled error, and the next request still works', async () => {
    const stand = await host((_, res) => res.writeHead(200).end('x'.repeat(100_000)));
    const media = fetcher({ trustedOrigins: [stand.base] });
    const response = await media.get(stand.base, signal());
    discardBody(response.body);
    const again = await media.get(stand.base, signal());
    expect((await text(again)).length).toBe(100_000);
  });
});
