import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, type Dispatcher, request } from 'undici';
import { internalAddressKind } from './address-policy.js';

/**
 * A URL the media policy will not fetch: wrong scheme, an internal address (literal, resolved
 * or reached by a redirect), or too many redirects. Asking again gets the same answer.
 */
export class MediaUrlRefused extends Error {
  override readonly name = 'MediaUrlRefused';
  readonly code = 'ERR_MEDIA_URL_REFUSED';
}

/** Every address a host name resolves to; the seam a test uses to play DNS. */
export type ResolveHost = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

export interface MediaFetcherOptions {
  /**
   * Origins (`scheme://host:port`) the operator configured; fetched as they are, any scheme
   * and any address (the stand-ins on 127.0.0.1 are reached this way). Each entry may be a
   * full URL: only its origin counts.
   */
  trustedOrigins: Iterable<string>;
  /** Redirects followed, each one checked like the first URL. Default 5. */
  maxRedirects?: number;
  /** Default: the system resolver (`dns.lookup`, every address). */
  resolve?: ResolveHost;
  /** Default `animate-bot`: some CDNs turn away requests without one. */
  userAgent?: string;
}

/** The final answer after redirects, body not read yet (the caller reads or destroys it). */
export interface MediaResponse {
  statusCode: number;
  headers: Dispatcher.ResponseData['headers'];
  body: Dispatcher.ResponseData['body'];
  /** Where the answer came from, after redirects. */
  url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches media (Kie's result videos, Discord's attachments) under one policy, so a URL that
 * someone else chose cannot reach this host's network: https only, every redirect hop checked
 * again, and any address that is not public unicast refused when the socket is opened. The
 * check sits in the connector's DNS lookup, so a name that resolves to a public address when
 * asked and to 127.0.0.1 a moment later (DNS rebinding) gains nothing: the address checked is
 * the address connected to. Only the operator's configured origins skip the address rules.
 */
export class MediaFetcher {
  readonly #trusted: ReadonlySet<string>;
  readonly #agent: Agent;
  readonly #maxRedirects: number;
  readonly #userAgent: string;

  constructor(options: MediaFetcherOptions) {
    this.#trusted = new Set(
      [...options.trustedOrigins].map((url) => new URL(url).origin).filter((origin) => origin !== 'null'),
    );
    this.#maxRedirects = options.maxRedirects ?? 5;
    this.#userAgent = options.userAgent ?? 'animate-bot';
    const trusted = buildConnector({});
    const guarded = buildConnector({ lookup: checkedLookup(options.resolve ?? systemResolve) });
    this.#agent = new Agent({
      connect: (connectOptions, callback) => {
        const origin = `${connectOptions.protocol}//${connectOptions.host ?? connectOptions.hostname}`;
        if (this.#trusted.has(new URL(origin).origin)) return trusted(connectOptions, callback);
        // Checked again here, whatever get() did: this is the last door before the socket.
        const refusal =
          connectOptions.protocol === 'https:'
            ? literalRefusal(connectOptions.hostname)
            : `${connectOptions.protocol}// is not allowed (https only)`;
        if (refusal) return callback(new MediaUrlRefused(refusal), null);
        return guarded(connectOptions, callback);
      },
    });
  }

  /**
   * GETs `url`, following redirects by hand. Throws a MediaUrlRefused for a URL or hop the
   * policy refuses, before any byte is sent to it; other failures are undici's errors.
   */
  async get(url: string, signal: AbortSignal): Promise<MediaResponse> {
    let current = this.#check(url, 'the URL');
    for (let hops = 0; ; hops += 1) {
      const response = await request(current, {
        method: 'GET',
        dispatcher: this.#agent,
        signal,
        headers: { 'user-agent': this.#userAgent },
      });
      const location = firstHeader(response.headers.location);
      if (!REDIRECTS.has(response.statusCode) || location === undefined) {
        return { ...pick(response), url: current.href };
      }
      discardBody(response.body);
      if (hops >= this.#maxRedirects) throw new MediaUrlRefused(`more than ${this.#maxRedirects} redirects`);
      current = this.#check(location, `redirect ${hops + 1}`, current);
    }
  }

  /** Closes the pooled connections. */
  close(): Promise<void> {
    return this.#agent.close();
  }

  /** The URL to fetch next, or a MediaUrlRefused naming `what` was refused (the URL or a hop). */
  #check(raw: string, what: string, base?: URL): URL {
    let url: URL;
    try {
      // WHATWG parsing also turns 2130706433, 0x7f.1 and 0177.0.0.1 into 127.0.0.1.
      url = new URL(raw, base);
    } catch {
      throw new MediaUrlRefused(`${what}: not a valid URL`);
    }
    if (this.#trusted.has(url.origin)) return url;
    const refusal =
      url.protocol === 'https:'
        ? literalRefusal(url.hostname.replace(/^\[(.*)\]$/, '$1'))
        : `${url.protocol}// is not allowed (https only)`;
    if (refusal) throw new MediaUrlRefused(`${what}: ${refusal}`);
    return url;
  }
}

/** Drops an unread body and its connection; undici reports that as an error nobody needs. */
export function discardBody(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined).destroy();
}

/** The refusal of a host that is a literal address (a name is checked when it resolves). */
function literalRefusal(hostname: string): string | null {
  const kind = isIP(hostname) === 0 ? null : internalAddressKind(hostname);
  return kind && `${hostname} is ${kind}`;
}

function pick(response: Dispatcher.ResponseData) {
  return { statusCode: response.statusCode, headers: response.headers, body: response.body };
}

/** The first value of a header undici may give as a list. */
export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const systemResolve: ResolveHost = (hostname) => dnsLookup(hostname, { all: true });

/**
 * A `net.connect` lookup that resolves every address of the name and refuses the connection
 * when any of them is not public: with happy eyeballs, any address in the list may be the
 * one tried, so one internal address among public ones is enough to refuse.
 */
function checkedLookup(resolve: ResolveHost): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        for (const { address } of addresses) {
          const kind = internalAddressKind(address);
          if (kind) return callback(new MediaUrlRefused(`${hostname} resolves to ${address}, ${kind}`), '');
        }
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const usable =
          family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
        const first = usable[0];
        if (!first) {
          callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
        } else if (options.all) {
          callback(
            null,
            usable.map(({ address, family }) => ({ address, family })),
          );
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}
