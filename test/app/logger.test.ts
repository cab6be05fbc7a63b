import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, createProcessLogger, type LogFormat } from '../../src/app/logger.js';

/** A stdout stand-in that may claim to be a terminal; keeps what was written. */
function fakeStdout(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY, hasColors: () => false });
  return { stream, text: () => chunks.join('') };
}

async function logThrough(format: LogFormat, isTTY: boolean): Promise<string> {
  const stdout = fakeStdout(isTTY);
  const logger = createProcessLogger('info', format, stdout.stream);
  logger.warn({ token: 'discord-secret-9', guildId: '42' }, 'cannot reach Discord');
  logger.flush();
  await new Promise((resolve) => setImmediate(resolve));
  return stdout.text();
}

describe('createLogger', () => {
  it('censors secrets wherever they sit in a log object', () => {
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => lines.push(line) });
    logger.info(
      {
        apiKey: 'kie-secret-1',
        token: 'discord-secret-2',
        job: { interactionToken: 'interaction-secret-3', kieKey: 'kie-secret-4' },
        request: { headers: { authorization: 'Bearer kie-secret-5' } },
        hmacKey: 'webhook-secret-6',
        callback: { hmacKey: 'webhook-secret-7' },
      },
      'a request',
    );
    expect(lines).toHaveLength(1);
    for (const secret of [
      'kie-secret-1',
      'discord-secret-2',
      'interaction-secret-3',
      'kie-secret-4',
      'kie-secret-5',
      'webhook-secret-6',
      'webhook-secret-7',
    ]) {
      expect(lines[0]).not.toContain(secret);
    }
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      apiKey: '[redacted]',
      job: { interactionToken: '[redacted]' },
    });
  });

  it('blanks the interaction token of a Discord URL carried by a logged error', () => {
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => lines.push(line) });
    const token = 'aW50ZXJhY3Rpb246MTMwMDAwMDAwMDAwMDAwMDAwMTpzZWNyZXQ';
    const error = Object.assign(
      new Error(`Unknown Webhook at /webhooks/1300000000000000001/${token}/messages/@original`),
      {
        url: `https://discord.com/api/v10/interactions/1300000000000000002/${token}/callback`,
      },
    );
    logger.warn({ err: error }, 'could not edit the reply');
    expect(lines[0]).not.toContain(token);
    expect(JSON.parse(lines[0] ?? '{}').err).toMatchObject({
      url: 'https://discord.com/api/v10/interactions/1300000000000000002/[redacted]/callback',
      message: 'Unknown Webhook at /webhooks/1300000000000000001/[redacted]/messages/@original',
    });
  });
});

describe('createProcessLogger', () => {
  it('writes readable lines on a terminal and JSON lines elsewhere (LOG_FORMAT=auto)', async () => {
    const terminal = await logThrough('auto', true);
    expect(terminal).toMatch(
      /^\[[\d:.]+\] WARN: cannot reach Discord \{"token":"\[redacted\]","guildId":"42"\}\n$/,
    );
    const piped = await logThrough('auto', false);
    expect(JSON.parse(piped)).toMatchObject({ level: 40, msg: 'cannot reach Discord', token: '[redacted]' });
  });

  it('follows LOG_FORMAT when it is set, and redacts secrets either way', async () => {
    expect(await logThrough('pretty', false)).toMatch(/^\[[\d:.]+\] WARN: cannot reach Discord/);
    expect(JSON.parse(await logThrough('json', true))).toMatchObject({ msg: 'cannot reach Discord' });
    for (const format of ['pretty', 'json'] as const) {
      expect(await logThrough(format, true)).not.toContain('discord-secret-9');
    }
  });
});
