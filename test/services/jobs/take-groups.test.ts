import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { SealedBox } from '../../../src/services/crypto/sealed-box.js';
import type { AttachmentFile, MessageBody, ReplyEditor } from '../../../src/services/discord/reply-editor.js';
import { type JobOf, takeJobId } from '../../../src/services/jobs/job-record.js';
import { createJobRunner } from '../../../src/services/jobs/job-runner.js';
import { JobStore } from '../../../src/services/jobs/job-store.js';
import { TakeGroups } from '../../../src/services/jobs/take-groups.js';
import { KieClient } from '../../../src/services/kie/index.js';
import { MediaFetcher } from '../../../src/services/media/safe-fetch.js';
import { createModelRegistry } from '../../../src/services/models/registry.js';
import { JobMessages } from '../../../src/services/render/job-messages.js';
import { SettingsStore } from '../../../src/services/settings/settings-store.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { makePendingJob, putJob, snowflake } from '../../support/jobs.js';
import { type KieStandIn, startKieStandIn } from '../../support/kie/stand-in.js';

const KEY = 'kie-takes-key-5e7f';
const GROUP = 'a1b2c3d4e5f60718';
let kie: KieStandIn | undefined;

afterEach(async () => {
  await kie?.close();
});

interface Edit {
  body: MessageBody;
  files: string[];
  keep: readonly string[] | undefined;
  attachments: string[];
}

/**
 * A Discord reply as Discord keeps it: an edit naming `attachments` keeps those and adds its files,
 * one naming none keeps them all. Each edit takes a while, as an upload does.
 */
function fakeReply(editMs: number) {
  let attachments: Array<{ id: string; filename: string }> = [];
  const edits: Edit[] = [];
  const apply = async (body: MessageBody, files: AttachmentFile[], keep?: readonly string[]) => {
    await new Promise((resolve) => setTimeout(resolve, editMs));
    const added = files.map((file) => ({ id: snowflake(), filename: file.name }));
    if (keep) attachments = attachments.filter((attachment) => keep.includes(attachment.id));
    attachments = [...attachments, ...added];
    edits.push({
      body,
      files: files.map((file) => file.name),
      keep,
      attachments: attachments.map((a) => a.filename),
    });
    return added;
  };
  const replies = {
    tokenUsable: () => true,
    edit: async (_target: unknown, body: MessageBody, files: AttachmentFile[] = []) => {
      await apply(body, files);
      return 'interaction' as const;
    },
    editKeeping: async (
      _target: unknown,
      body: MessageBody,
      files: AttachmentFile[] = [],
      keep?: readonly string[],
    ) => ({
      route: 'interaction' as const,
      added: await apply(body, files, keep),
    }),
    post: async () => {
      throw new Error('no new message expected');
    },
  } as unknown as ReplyEditor;
  return { replies, edits, attachments: () => attachments.map((attachment) => attachment.filename).sort() };
}

describe('a reply shared by takes', () => {
  it('two takes delivered at the same moment: the second edit keeps the first’s video, and each is recorded with its attachment', async () => {
    kie = await startKieStandIn({
      keys: { [KEY]: 1_000 },
      script: { steps: [], outcome: { kind: 'success' } },
      fetchImages: false,
    });
    const logger = pino({ level: 'silent' });
    const keyv = openKeyv('sqlite://:memory:');
    const box = new SealedBox(randomBytes(32));
    const jobs = new JobStore(keyv, logger);
    const settings = new SettingsStore(keyv, box, logger);
    const client = new KieClient({ apiUrl: kie.url, uploadUrl: kie.url, timeoutMs: 5_000, logger });
    const models = createModelRegistry();
    const messages = new JobMessages(models);
    const reply = fakeReply(150);
    const takes = new TakeGroups({ jobs, replies: reply.replies, box, messages, models, logger });
    const runner = createJobRunner({
      jobs,
      kie: client,
      settings,
      box,
      replies: reply.replies,
      messages,
      logger,
      maxVideoBytes: 10 * 1024 * 1024,
      downloadTimeoutMs: 5_000,
      media: new MediaFetcher({ trustedOrigins: [kie.url] }),
      deadlineMinutes: 30,
      createTaskWindowMs: 60_000,
      takes,
    });

    const replyMessageId = snowflake();
    const delivering = await Promise.all(
      [1, 2].map(async (index) => {
        const id = takeJobId(GROUP, index);
        const { taskId } = await client.createTask(KEY, {
          model: 'sora-2-image-to-video',
          input: {
            prompt: 'make it dance',
            image_urls: ['https://example.invalid/cat.png'],
          },
        });
        const task = kie?.tasks.get(taskId);
        await new Promise((resolve) => setTimeout(resolve, 20));
        const job = {
          ...makePendingJob({ id, replyMessageId, take: { group: GROUP, index, count: 2 } }),
          status: 'delivering',
          taskId,
          submittedAt: Date.now(),
          interactionTokenSealed: box.seal('token', `interaction-token:${id}`),
          kieKeySealed: settings.sealKieKey('1100000000000000001', KEY),
          resultUrl: task?.resultUrls[0] ?? `${kie?.url}/results/${taskId}.mp4`,
          completedAt: null,
          deliveryStartedAt: Date.now(),
          deliveryAttempts: 0,
        } as JobOf<'delivering'>;
        return putJob(jobs, job);
      }),
    );

    await Promise.all(delivering.map((job) => runner.step(job)));
    await client.close();

    expect(reply.attachments()).toEqual(['take-1.mp4', 'take-2.mp4']);
    const [first, second] = reply.edits.filter((edit) => edit.files.length > 0);
    expect(first?.keep).toEqual([]);
    // The second delivery read the first's attachment from the store, after the first recorded it.
    const stored = await Promise.all(delivering.map((job) => jobs.get(job.guildId, job.id)));
    const firstId = stored.find(
      (job) => job?.status === 'delivered' && first?.files.includes(`take-${job.take?.index}.mp4`),
    );
    expect(firstId?.status).toBe('delivered');
    expect(second?.keep).toEqual([firstId?.status === 'delivered' ? firstId.attachmentId : 'none']);
    for (const job of stored)
      expect(job).toMatchObject({ status: 'delivered', attachmentId: expect.any(String) });
    // The last edit shows both takes ready.
    expect(String(reply.edits.at(-1)?.body.content)).toContain('2 ready, 0 in progress');
    await keyv.disconnect();
  });
});
