import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { type CallbackHandler, DEFAULT_CALLBACK_BODY_BYTES } from './callback-handler.js';
import { CALLBACK_PATH } from './callback-token.js';
import { declaresTooLarge } from './read-body.js';
import { sendJson, sendText } from './respond.js';

export interface HealthChecks {
  /** The Discord client is logged in and ready. */
  discordReady(): boolean;
  /** The store answers a cheap read. A check that throws or takes too long counts as false. */
  storeReachable(): Promise<boolean>;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  /**
   * METRICS_PORT: serve /metrics on a listener of its own (same host), never on `port`. Unset,
   * /metrics is on `port` unless the callback route is mounted there (PUBLIC_URL: that listener
   * is reachable from the internet, and the figures are the operator's business).
   */
  metricsPort?: number | undefined;
  logger: Logger;
  /** What /metrics serves (Prometheus text). */
  metrics: { render(): Promise<{ contentType: string; body: string }> };
  health: HealthChecks;
  /** Mounts `POST /kie/callback/:token`; leave out when PUBLIC_URL is unset, so no public route exists. */
  callbacks?: CallbackHandler;
  /** Largest request body any route accepts. Default 64 KB. */
  maxBodyBytes?: number;
  /** How long /readyz waits for the store. Default 2000 ms. */
  storeCheckTimeoutMs?: number;
}

export interface RunningHttpServer {
  /** `http://host:port` as bound (the real port when 0 was asked for). */
  url: string;
  port: number;
  /** The metrics listener's `http://host:port`, when `metricsPort` was given. */
  metricsUrl?: string;
  /** Stops accepting, lets answers in flight finish (up to 2 s), then closes every connection. */
  close(): Promise<void>;
}

const READ_ONLY = 'GET, HEAD';

type Route = (res: ServerResponse) => Promise<void>;

/**
 * The operator's HTTP server: /healthz, /readyz, /metrics and, when configured, Kie callbacks;
 * /metrics moves to a listener of its own with `metricsPort`, and leaves a public listener.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const log = options.logger.child({ component: 'http' });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_CALLBACK_BODY_BYTES;
  const metricsRoute: Route = async (res) => {
    const { contentType, body } = await options.metrics.render();
    sendText(res, 200, body, { 'content-type': contentType });
  };
  const separateMetrics = options.metricsPort !== undefined;
  const metricsHere = !separateMetrics && options.callbacks === undefined;
  const main = createRouter(log, maxBodyBytes, options.callbacks, {
    '/healthz': async (res) => sendJson(res, 200, { status: 'ok' }),
    '/readyz': async (res) => {
      const [discord, store] = [
        safely(() => options.health.discordReady()),
        await withinTime(options.health.storeReachable, options.storeCheckTimeoutMs ?? 2000),
      ];
      const notReady = [...(discord ? [] : ['discord']), ...(store ? [] : ['store'])];
      if (notReady.length === 0) return sendJson(res, 200, { status: 'ready' });
      log.debug({ notReady }, 'not ready');
      sendJson(res, 503, { status: 'not ready', notReady });
    },
    ...(metricsHere ? { '/metrics': metricsRoute } : {}),
  });
  const mainUrl = await listen(main, options.port, options.host, log);
  const servers = [main];
  let metricsUrl: string | undefined;
  if (options.metricsPort !== undefined) {
    const metricsServer = createRouter(log, maxBodyBytes, undefined, { '/metrics': metricsRoute });
    try {
      metricsUrl = await listen(metricsServer, options.metricsPort, options.host, log);
    } catch (error) {
      await closeServer(main);
      throw error;
    }
    servers.push(metricsServer);
  }
  log.info({ url: mainUrl, metricsUrl, callbacks: options.callbacks !== undefined }, 'http server listening');
  if (!metricsHere && !separateMetrics) {
    log.info('/metrics is not served on the public callback listener; set METRICS_PORT to scrape it');
  }

  return {
    url: mainUrl,
    port: Number(new URL(mainUrl).port),
    ...(metricsUrl ? { metricsUrl } : {}),
    close: async () => {
      await Promise.all(servers.map(closeServer));
    },
  };
}

/** A server answering `routes` (GET and HEAD) and, when given, the Kie callback route. */
function createRouter(
  log: Logger,
  maxBodyBytes: number,
  callbacks: CallbackHandler | undefined,
  routes: Record<string, Route | undefined>,
): Server {
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req);
    if (callbacks && path.startsWith(CALLBACK_PATH)) {
      return callbacks.handle(req, res, path.slice(CALLBACK_PATH.length));
    }
    if (declaresTooLarge(req, maxBodyBytes)) {
      return sendText(res, 413, 'Payload Too Large', { connection: 'close' });
    }
    const handler = routes[path];
    if (!handler) return sendText(res, 404, 'Not Found');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendText(res, 405, 'Method Not Allowed', { allow: READ_ONLY });
    }
    return handler(res);
  }
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      log.error({ err: error, method: req.method, path: pathOf(req) }, 'http handler failed');
      sendText(res, 500, 'Internal Server Error');
    });
  });
  // Slow or endless requests must not hold sockets: the callback route answers within milliseconds.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return server;
}

/** Binds `server`, resolving to its `http://host:port` (the real port when 0 was asked for). */
async function listen(server: Server, port: number, host: string, log: Logger): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log.error({ err: error }, 'http server error'));
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shown}:${address.port}`;
}

/** Stops accepting, lets answers in flight finish (up to 2 s), then closes every connection. */
function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    const force = setTimeout(() => server.closeAllConnections(), 2000);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function pathOf(req: IncomingMessage): string {
  const target = req.url ?? '/';
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

async function withinTime(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([check().catch(() => false), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
