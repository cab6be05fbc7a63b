import { DiscordAPIError, HTTPError } from '@discordjs/rest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  classifyDiscordFailure,
  describeDiscordFailure,
  displayUrl,
  formatDuration,
} from '../../../src/services/discord/connection-failure.js';

const request = { body: undefined, files: undefined };

describe('classifyDiscordFailure', () => {
  it('sorts what Discord, undici and discord.js throw into the expected cases', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const viaFetch = new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND x.invalid'), { code: 'ENOTFOUND' }),
    });
    const perAddress = new AggregateError(
      [Object.assign(new Error('a'), { code: 'ENETUNREACH' })],
      'connect',
    );
    const aborted = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    expect(classifyDiscordFailure(refused)).toEqual({ kind: 'network', code: 'ECONNREFUSED' });
    expect(classifyDiscordFailure(viaFetch)).toEqual({ kind: 'network', code: 'ENOTFOUND' });
    expect(classifyDiscordFailure(perAddress)).toEqual({ kind: 'network', code: 'ENETUNREACH' });
    expect(classifyDiscordFailure(aborted)).toEqual({ kind: 'timeout' });
    expect(
      classifyDiscordFailure(
        new DiscordAPIError({ message: '401: Unauthorized', code: 0 }, 0, 401, 'GET', '/x', request),
      ),
    ).toEqual({ kind: 'token' });
    expect(
      classifyDiscordFailure(
        Object.assign(new Error('An invalid token was provided.'), { code: 'TokenInvalid' }),
      ),
    ).toEqual({ kind: 'token' });
    expect(
      classifyDiscordFailure(
        new DiscordAPIError({ message: 'Not Found', code: 0 }, 0, 404, 'GET', '/x', request),
      ),
    ).toEqual({ kind: 'answer', status: 404 });
    expect(classifyDiscordFailure(new HTTPError(502, 'Bad Gateway', 'GET', '/x', request))).toEqual({
      kind: 'server',
      status: 502,
    });
    expect(classifyDiscordFailure(z.object({ url: z.string() }).safeParse({}).error)).toEqual({
      kind: 'answer',
    });
  });

  it('leaves anything else to be reported as a bug', () => {
    expect(classifyDiscordFailure(new TypeError('x is not a function'))).toBeUndefined();
    expect(classifyDiscordFailure(Object.assign(new Error('disk'), { code: 'ENOSPC' }))).toBeUndefined();
    expect(classifyDiscordFailure('a string')).toBeUndefined();
  });
});

describe('describeDiscordFailure', () => {
  it('says the timeout in seconds, never a DOMException code', () => {
    expect(describeDiscordFailure({ kind: 'timeout' }, 'https://discord.com/api', 30_000)).toBe(
      'no answer from Discord in 30 s (https://discord.com/api)',
    );
  });

  it('never shows credentials a proxy URL carries', () => {
    const line = describeDiscordFailure(
      { kind: 'network', code: 'ECONNREFUSED' },
      'https://me:s3cret@proxy.example/api?key=s3cret2',
      1_000,
    );
    expect(line).toBe('cannot reach Discord at https://proxy.example/api (ECONNREFUSED)');
  });
});

describe('formatDuration and displayUrl', () => {
  it('reads as a person would say it', () => {
    expect([250, 1_000, 1_500, 30_000, 60_000].map(formatDuration)).toEqual([
      '250 ms',
      '1 s',
      '1.5 s',
      '30 s',
      '60 s',
    ]);
    expect(displayUrl('redis://:pw@127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(displayUrl('not a url')).toBe('(an invalid URL)');
  });
});
