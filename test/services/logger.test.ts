import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/services/logger.js';

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
