import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SealedBox } from '../../../src/services/crypto/sealed-box.js';
import { CallbackRegistry } from '../../../src/services/jobs/callback-registry.js';
import { JobStore } from '../../../src/services/jobs/job-store.js';
import { SettingsStore } from '../../../src/services/settings/settings-store.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { makePendingJob, putJob } from '../../support/jobs.js';

const logger = pino({ level: 'silent' });

describe('CallbackRegistry', () => {
  async function registryWith(webhookKeyBox: SealedBox, box: SealedBox) {
    const keyv = openKeyv('sqlite://:memory:');
    const jobs = new JobStore(keyv, logger);
    const job = await putJob(jobs, {
      ...makePendingJob(),
      status: 'running',
      taskId: 'task_1',
      submittedAt: 1,
    });
    // The admin set a webhook key, sealed under `webhookKeyBox`; the bot opens it with `box`.
    await new SettingsStore(keyv, webhookKeyBox, logger).setWebhookHmacKey(
      job.guildId,
      'hmac-key-0123456789',
      'admin',
    );
    const registry = new CallbackRegistry(keyv, jobs, new SettingsStore(keyv, box, logger), logger);
    await registry.register('token-abc', { guildId: job.guildId, jobId: job.id }, 60_000);
    return { registry, job };
  }

  it('hands the handler the guild’s webhook key, so unsigned callbacks are refused', async () => {
    const box = new SealedBox(randomBytes(32));
    const { registry, job } = await registryWith(box, box);
    expect(await registry.resolve('token-abc')).toEqual({
      guildId: job.guildId,
      jobId: job.id,
      taskId: 'task_1',
      hmacKey: 'hmac-key-0123456789',
    });
  });

  it('fails closed when a webhook key is set but cannot be opened: no callback is taken unsigned', async () => {
    // ENCRYPTION_KEY changed since the admin set the key.
    const { registry } = await registryWith(new SealedBox(randomBytes(32)), new SealedBox(randomBytes(32)));
    await expect(registry.resolve('token-abc')).rejects.toThrow();
  });
});
