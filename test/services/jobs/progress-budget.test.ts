import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SealedBox } from '../../../src/services/crypto/sealed-box.js';
import type { MessageBody, ReplyEditor } from '../../../src/services/discord/reply-editor.js';
import type { JobOf } from '../../../src/services/jobs/job-record.js';
import { createJobRunner } from '../../../src/services/jobs/job-runner.js';
import { PROGRESS_EDIT_GAP_MS } from '../../../src/services/jobs/job-step.js';
import { JobStore } from '../../../src/services/jobs/job-store.js';
import { KieClient } from '../../../src/services/kie/index.js';
import { MediaFetcher } from '../../../src/services/media/safe-fetch.js';
import { createModelRegistry } from '../../../src/services/models/registry.js';
import { JobMessages } from '../../../src/services/render/job-messages.js';
import { SettingsStore } from '../../../src/services/settings/settings-store.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { makePendingJob, putJob } from '../../support/jobs.js';
import { type KieStandIn, startKieStandIn } from '../../support/kie/stand-in.js';

const KEY = 'kie-budget-key-1234';
const MINUTE = 60_000;
let kie: KieStandIn | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await kie?.close();
});

/**
 * A 12-minute job against the real Kie client and Kie stand-in, in one process, with the clock
 * under the test's control (only Date is faked: sockets and timers stay real, and the stand-in's
 * timeline follows the same clock). The reply editor records what would reach Discord.
 */
describe('progress edits of a 12-minute job', () => {
  it('show each state once, never two edits within the gap, and end with the video', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-11-27T12:00:00Z'));
    kie = await startKieStandIn({
      keys: { [KEY]: 1_000 },
      script: {
        steps: [
          { state: 'waiting', ms: 20_000 },
          { state: 'queuing', ms: 100_000 },
          { state: 'generating', ms: 600_000 },
        ],
        outcome: { kind: 'success' },
      },
      fetchImages: false,
    });
    const logger = pino({ level: 'silent' });
    const keyv = openKeyv('sqlite://:memory:');
    const box = new SealedBox(randomBytes(32));
    const jobs = new JobStore(keyv, logger);
    const settings = new SettingsStore(keyv, box, logger);
    const client = new KieClient({ apiUrl: kie.url, uploadUrl: kie.url, timeoutMs: 5_000, logger });
    const edits: Array<{ at: number; body: MessageBody; files: number }> = [];
    const replies = {
      tokenUsable: () => true,
      edit: async (_target: unknown, body: MessageBody, files: unknown[] = []) => {
        edits.push({ at: Date.now(), body, files: files.length });
        return 'interaction' as const;
      },
      post: async () => {
        throw new Error('no new message expected');
      },
    } as unknown as ReplyEditor;
    const { step } = createJobRunner({
      jobs,
      kie: client,
      settings,
      box,
      replies,
      messages: new JobMessages(createModelRegistry()),
      logger,
      maxVideoBytes: 10 * 1024 * 1024,
      downloadTimeoutMs: 5_000,
      media: new MediaFetcher({ trustedOrigins: [kie.url] }),
      deadlineMinutes: 30,
      createTaskWindowMs: 60_000,
    });

    const pending = makePendingJob({ guildId: '1100000000000000001' });
    const model = createModelRegistry().get(pending.model);
    const input =
      model?.buildInput({ imageUrl: 'https://example.invalid/cat.png', options: pending.options }) ?? {};
    const { taskId } = await client.createTask(KEY, { model: pending.model, input });
    const submittedAt = Date.now();
    const job: JobOf<'submitted'> = {
      ...pending,
      status: 'submitted',
      taskId,
      submittedAt,
      interactionTokenSealed: box.seal('token', `interaction-token:${pending.id}`),
      kieKeySealed: settings.sealKieKey(pending.guildId, KEY),
      shownState: 'queued',
      lastEditAt: submittedAt,
    };
    await putJob(jobs, job);

    const writes = vi.spyOn(jobs, 'transition');
    let outcome = await step(job);
    let polls = 1;
    while (outcome.next === 'poll') {
      vi.setSystemTime(Date.now() + outcome.inMs);
      const current = await jobs.get(job.guildId, job.id);
      if (!current) throw new Error('job vanished');
      outcome = await step(current);
      polls += 1;
    }
    await client.close();

    const elapsed = Date.now() - submittedAt;
    expect(elapsed).toBeGreaterThanOrEqual(12 * MINUTE);
    expect((await jobs.get(job.guildId, job.id))?.status).toBe('delivered');

    const states = edits.map((edit) => {
      const fields = (edit.body.embeds as Array<{ fields: Array<{ value: string }> }>)[0]?.fields ?? [];
      return edit.files > 0 ? 'video' : (fields[0]?.value ?? 'other');
    });
    expect(states).toEqual(['Generating', 'Downloading the video', 'video']);
    // Progress edits keep their distance; the final answer is never held back.
    for (let i = 1; i < edits.length - 1; i += 1) {
      expect((edits[i]?.at ?? 0) - (edits[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(PROGRESS_EDIT_GAP_MS - 1);
    }
    // The command's own 'queued' edit plus these: five at most in a job's whole life.
    expect(edits.length + 1).toBeLessThanOrEqual(5);
    // Kie's documented pace: 2–3 s for 30 s, 5–10 s to 2 min, then 15–30 s (we take 24–30 s).
    expect(polls).toBeGreaterThanOrEqual(10 + 9 + 20);
    expect(polls).toBeLessThanOrEqual(15 + 18 + 25 + 2);
    // The record is written when something changed (Kie's state, the reply, the delivery), not per poll:
    // waiting → queuing → generating (shown) → delivering → downloading shown → delivered.
    expect(writes.mock.calls.length).toBeLessThanOrEqual(8);
    console.log(
      `12-minute job: ${polls} recordInfo polls, ${writes.mock.calls.length} record writes, ${edits.length + 1} reply edits in ${elapsed / 1000} s`,
    );
  });
});
