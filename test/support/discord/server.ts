import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiError, json, matchRoute, parseBody, type Reply, type Req, type Route, readRaw } from './http.js';
import { interactionRoutes } from './interaction-routes.js';
import { openApiValidator } from './openapi.js';
import { botRoutes } from './rest-routes.js';
import type { StandInState } from './state.js';
import type { InterceptReply, RestLogEntry, RouteMatch } from './types.js';

interface Intercept {
  match: RouteMatch;
  reply: InterceptReply;
  remaining: number;
}

interface Waiter {
  pred: (e: RestLogEntry) => boolean;
  resolve: (e: RestLogEntry) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

const API_PREFIX = '/api/v10';
/** Methods whose operations may require a body; others are checked only when they carry one. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Serves `/api/v10/...` (REST) and `/cdn/...` (attachments); records every request in `state.log`. */
export class RestServer {
  readonly #routes: Route[];
  readonly #intercepts: Intercept[] = [];
  #waiters: Waiter[] = [];

  constructor(private readonly state: StandInState) {
    this.#routes = [...interactionRoutes(state), ...botRoutes(state)];
  }

  intercept(match: RouteMatch, reply: InterceptReply): { remove(): void } {
    const entry: Intercept = { match, reply, remaining: reply.times ?? Number.POSITIVE_INFINITY };
    this.#intercepts.push(entry);
    return {
      remove: () => {
        const at = this.#intercepts.indexOf(entry);
        if (at >= 0) this.#intercepts.splice(at, 1);
      },
    };
  }

  waitFor(pred: (e: RestLogEntry) => boolean, timeoutMs: number): Promise<RestLogEntry> {
    const past = this.state.log.find((e) => safe(pred, e));
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        pred,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          const seen = this.state.log
            .map((e) => this.state.redact(`${e.method} ${e.route} → ${e.status}`))
            .slice(-15);
          reject(
            new Error(
              `Discord stand-in: no matching REST request within ${timeoutMs} ms. Recent:\n${seen.join('\n')}`,
            ),
          );
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  close(): void {
    for (const w of this.#waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('Discord stand-in closed'));
    }
    this.#waiters = [];
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = this.state.clock.now();
    const raw = await readRaw(req);
    const url = new URL(req.url ?? '/', this.state.baseUrl);
    let path = url.pathname;
    try {
      path = decodeURIComponent(path);
    } catch {}
    const method = req.method ?? 'GET';
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const entry: RestLogEntry = {
      method,
      route: path,
      query: Object.fromEntries(url.searchParams),
      headers,
      json: undefined,
      files: [],
      status: 0,
      at,
    };
    let reply: Reply;
    try {
      if (path.startsWith('/cdn/') || path.startsWith('/media/')) reply = this.#cdn(entry);
      else if (path.startsWith(`${API_PREFIX}/`)) {
        entry.route = path.slice(API_PREFIX.length);
        reply = await this.#api(entry, raw);
      } else {
        this.state.violate(`${method} ${path}: not under ${API_PREFIX} (is rest.api set without /v10?)`);
        reply = apiError(404, 0, '404: Not Found');
      }
    } catch (err) {
      this.state.violate(`stand-in failure on ${method} ${path}: ${(err as Error).stack ?? err}`);
      reply = apiError(500, 0, '500: Internal Server Error');
    }
    entry.status = reply.status;
    this.state.log.push(entry);
    for (const w of [...this.#waiters]) {
      if (!safe(w.pred, entry)) continue;
      clearTimeout(w.timer);
      this.#waiters = this.#waiters.filter((x) => x !== w);
      w.resolve(entry);
    }
    write(res, reply, method === 'HEAD');
  }

  async #api(entry: RestLogEntry, raw: Buffer): Promise<Reply> {
    const { method, route } = entry;
    try {
      const parsed = await parseBody(method, entry.headers, raw);
      entry.json = parsed.json;
      entry.files = parsed.files;
    } catch (err) {
      this.state.violate(`${method} ${route}: malformed body (${(err as Error).message})`);
      return apiError(400, 50109, 'The request body contains invalid JSON.');
    }
    // Recorded, not refused: the request goes on to the handler, so a test keeps running and its
    // assertNoViolations() names the field instead of the bot timing out on an unexpected 400.
    if (entry.json !== undefined || entry.files.length > 0 || BODY_METHODS.has(method)) {
      for (const problem of openApiValidator().check(entry)) this.state.violate(problem);
    }
    const hit = this.#intercepts.find(
      (i) => i.remaining > 0 && safe(i.match, { method, route, query: entry.query, json: entry.json }),
    );
    if (hit) {
      hit.remaining--;
      if (hit.remaining <= 0) this.#intercepts.splice(this.#intercepts.indexOf(hit), 1);
      return json(hit.reply.status, hit.reply.json, hit.reply.headers);
    }
    const found = matchRoute(this.#routes, method, route);
    if ('handler' in found) {
      const req: Req = { ...entry, entry };
      return await found.handler(req, found.params);
    }
    if (found.methodMismatch) {
      this.state.violate(`${method} ${route}: method not allowed on this route`);
      return apiError(405, 0, '405: Method Not Allowed');
    }
    this.state.violate(`${method} ${route}: unknown route`);
    return apiError(404, 0, '404: Not Found');
  }

  #cdn(entry: RestLogEntry): Reply {
    const path = entry.route.replace(/^\/media\//, '/cdn/');
    const file = this.state.cdn.get(path);
    const gone: Reply = {
      status: 404,
      body: Buffer.from('This content is no longer available.'),
      contentType: 'text/plain',
    };
    if (entry.method !== 'GET' && entry.method !== 'HEAD') {
      this.state.violate(`${entry.method} ${entry.route}: CDN only serves GET/HEAD`);
      return { status: 405, body: Buffer.alloc(0), contentType: 'text/plain' };
    }
    if (!file) {
      this.state.violate(`${entry.method} ${entry.route}: unknown CDN path`);
      return { status: 404, body: Buffer.from('404: Not Found'), contentType: 'text/plain' };
    }
    const q = entry.query;
    if (q.ex !== file.ex || q.is !== file.is || q.hm !== file.hm) {
      this.state.violate(`${entry.method} ${entry.route}: CDN URL used without its ex/is/hm signature`);
      return gone;
    }
    if (this.state.clock.now() > file.expiresAt) return gone;
    return {
      status: 200,
      body: file.bytes,
      contentType: file.contentType,
      headers: { 'cache-control': 'public, max-age=31536000', 'accept-ranges': 'bytes' },
    };
  }
}

function safe<T>(fn: (x: T) => boolean, x: T): boolean {
  try {
    return fn(x);
  } catch {
    return false;
  }
}

function write(res: ServerResponse, reply: Reply, head: boolean): void {
  const headers: Record<string, string> = { ...reply.headers };
  let body: Buffer | undefined;
  if (reply.body) {
    body = reply.body;
    headers['content-type'] = reply.contentType ?? 'application/octet-stream';
  } else if (reply.json !== undefined && reply.status !== 204) {
    body = Buffer.from(JSON.stringify(reply.json));
    headers['content-type'] = 'application/json';
  }
  if (body) headers['content-length'] = String(body.length);
  res.writeHead(reply.status, headers);
  res.end(head ? undefined : body);
}
