import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../src/services/jobs/job-record.js';
import { createModelRegistry } from '../../../src/services/models/registry.js';
import {
  type AdminChange,
  auditBody,
  renderAdminChange,
  renderBudgetWarning,
  renderJobEnded,
  renderModeration,
} from '../../../src/services/render/audit-messages.js';
import { guildSettingsSchema } from '../../../src/services/settings/settings-store.js';
import { makePendingJob } from '../../support/jobs.js';

const models = createModelRegistry();
type Embed = {
  title: string;
  description?: string;
  fields: Array<{ name: string; value: string }>;
  timestamp?: string;
};

function delivered(overrides: Partial<JobRecord> = {}): JobRecord {
  const base = makePendingJob({ replyMessageId: '1100000000000000009' });
  return {
    ...base,
    status: 'delivered',
    taskId: 'task-1',
    submittedAt: base.createdAt + 1_000,
    resultUrl: 'https://files.example/video.mp4',
    deliveredAs: 'attachment',
    deliveredVia: 'interaction',
    deliveredAt: base.createdAt + 125_000,
    attachmentId: null,
    ...overrides,
  } as JobRecord;
}

const embedOf = (job: JobRecord, locale = 'en-US') => {
  const rendered = renderJobEnded(locale, job, models);
  if (!rendered) throw new Error('not rendered');
  return auditBody(rendered);
};
const fieldsOf = (embed: Embed) => Object.fromEntries(embed.fields.map((field) => [field.name, field.value]));

/** Discord's embed limits, counted the way Discord counts (UTF-16 units). */
function withinLimits(embed: Embed): boolean {
  const total =
    embed.title.length +
    (embed.description?.length ?? 0) +
    embed.fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  return (
    embed.title.length <= 256 &&
    (embed.description?.length ?? 0) <= 4096 &&
    embed.fields.length <= 25 &&
    embed.fields.every(
      (field) => field.name.length <= 256 && field.value.length <= 1024 && field.value.length > 0,
    ) &&
    total <= 6000
  );
}

describe('audit messages', () => {
  it('show a delivered job: member (no ping), model, length, time taken, Kie’s charge and a link to the reply', () => {
    const job = delivered({ creditsConsumed: 82.5 });
    const body = embedOf(job);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const embed = body.embeds[0] as Embed;
    expect(embed.title).toBe('Video delivered');
    expect(embed.description).toBe('Prompt: make it dance');
    expect(fieldsOf(embed)).toMatchObject({
      Member: `<@${job.userId}>`,
      Model: models.get(job.model)?.label,
      Length: '10 s',
      Took: '2 min 5 s',
      Credits: '82.5 (charged by Kie)',
      Reply: `[Open the reply](https://discord.com/channels/${job.guildId}/${job.channelId}/1100000000000000009)`,
    });
    expect(embed.timestamp).toBe(new Date(job.status === 'delivered' ? job.deliveredAt : 0).toISOString());
  });

  it('mark an estimate as one, and show no credits for a job Kie never took', () => {
    const estimated = fieldsOf(embedOf(delivered()).embeds[0] as Embed).Credits;
    expect(estimated).toMatch(/^≈ \d+(\.\d)? \(estimate\)$/);
    const refused = makePendingJob();
    const failed: JobRecord = {
      ...refused,
      status: 'failed',
      taskId: null,
      failure: { key: 'job.failed.lostTask', params: {} },
      endedAt: refused.createdAt + 3_000,
    };
    const embed = embedOf(failed).embeds[0] as Embed;
    expect(embed.title).toBe('Job lost');
    expect(fieldsOf(embed).Credits).toBe('none: Kie never took the task');
    expect(fieldsOf(embed).Why).toContain('restarted');
    expect(fieldsOf(embed).Reply).toBe(
      `[Open the reply](https://discord.com/channels/${failed.guildId}/${failed.channelId})`,
    );
  });

  it('speak the server’s language', () => {
    const embed = embedOf(delivered({ creditsConsumed: 30 }), 'zh-CN').embeds[0] as Embed;
    expect(embed.title).toBe('视频已送达');
    expect(fieldsOf(embed).积分).toBe('30（Kie 实际扣除）');
  });

  it('tell the budget’s 80 % warning in Chinese, with the figures and when the budget starts again', () => {
    const resetsAt = Date.UTC(2026, 11, 1);
    const at = Date.UTC(2026, 10, 20, 8, 30);
    const body = auditBody(
      renderBudgetWarning('zh-CN', {
        guildId: '1100000000000000001',
        spent: 85.46,
        estimated: 30,
        budget: 100,
        share: 0.8546,
        resetsAt,
        at,
      }),
    );
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds[0]).toMatchObject({
      title: '本月预算已用 80%',
      description: `已花费 85.5/100 积分（85%），其中 30 为估算。预算将于<t:${resetsAt / 1000}:f>重新开始；超出预算的任务会被拒绝。`,
      timestamp: new Date(at).toISOString(),
    });
  });

  it('leave the estimated part out of the budget warning when Kie said every charge', () => {
    const resetsAt = Date.UTC(2026, 11, 1);
    const embed = renderBudgetWarning('en-US', {
      guildId: '1100000000000000001',
      spent: 90,
      estimated: 0,
      budget: 100,
      share: 0.9,
      resetsAt,
      at: Date.UTC(2026, 10, 20),
    });
    expect(embed.description).toBe(
      `90 of 100 credits spent (90 %). The budget starts again <t:${resetsAt / 1000}:f>; jobs that would cross it are refused.`,
    );
  });

  it('neutralise mentions and markdown in a prompt, and cut a long one', () => {
    const job = delivered({
      options: {
        ...makePendingJob().options,
        prompt: '@everyone look <@1234567890123456> **bold** [link](https://evil.example) ||x||',
      },
    });
    const description = (embedOf(job).embeds[0] as Embed).description ?? '';
    expect(description).not.toContain('@everyone');
    expect(description).toContain('@\u200beveryone');
    expect(description).not.toMatch(/<@\d/);
    expect(description).toContain('\\*\\*bold\\*\\*');
    expect(description).toContain('\\[link\\]');
    expect(description).not.toContain('||x||');

    const long = delivered({ options: { ...makePendingJob().options, prompt: `${'ab '.repeat(2000)}END` } });
    const cut = (embedOf(long).embeds[0] as Embed).description ?? '';
    expect(cut).not.toContain('END');
    expect(cut.endsWith('…')).toBe(true);
    expect([...cut.replace('Prompt: ', '')].length).toBe(300);
  });

  it('stay within Discord’s embed limits whatever the text', () => {
    const huge = 'ä𝒳'.repeat(5000);
    const body = auditBody({
      title: huge,
      description: huge,
      color: 1,
      fields: Array.from({ length: 40 }, () => ({ name: huge, value: huge })),
    });
    expect(withinLimits(body.embeds[0] as Embed)).toBe(true);
    const failed = delivered();
    const job: JobRecord = {
      ...makePendingJob(),
      status: 'failed',
      taskId: 'task',
      failure: { key: 'job.failed.generation', params: { reason: huge } },
      endedAt: failed.createdAt,
    };
    expect(withinLimits(embedOf(job).embeds[0] as Embed)).toBe(true);
  });

  it('never carry a key in an admin change, and spoiler blocklist words so they cannot escape the spoiler', () => {
    const changes: AdminChange[] = [
      { kind: 'key-set' },
      { kind: 'key-removed' },
      { kind: 'webhook-key-set' },
      { kind: 'webhook-key-removed' },
      { kind: 'limits', limits: guildSettingsSchema.parse({}).limits },
      { kind: 'defaults', defaults: guildSettingsSchema.parse({}).defaults },
      { kind: 'model', model: 'Sora 2' },
      { kind: 'log-channel', from: null, to: '1100000000000000010' },
    ];
    for (const change of changes) {
      const body = auditBody(renderAdminChange('en-US', '1100000000000000011', change));
      const embed = body.embeds[0] as Embed;
      expect(embed.title).toBe('Setup changed');
      expect(fieldsOf(embed).By).toBe('<@1100000000000000011>');
      expect(body.allowed_mentions).toEqual({ parse: [] });
    }
    const key = auditBody(renderAdminChange('en-US', '1', { kind: 'key-set' })).embeds[0] as Embed;
    expect(key.description).toBe('Kie AI key set. The key is never shown here.');

    const words = renderAdminChange('en-US', '1', {
      kind: 'blocklist',
      action: 'add',
      entries: ['nsfw', 'a||b'],
      total: 2,
    });
    expect(words.description).toBe(
      'Added to the blocklist: ||nsfw||, ||a\u2758\u2758b||. It now holds 2 entries.',
    );
  });

  it('tell a blocklist refusal with the member, the channel and the entry and prompt behind spoilers', () => {
    const embed = auditBody(
      renderModeration('en-US', {
        kind: 'prompt-refused',
        guildId: '1100000000000000001',
        userId: '1100000000000000003',
        channelId: '1100000000000000002',
        entry: 'nsfw',
        reading: 'words',
        prompt: 'an @everyone NSFW scene',
      }),
    ).embeds[0] as Embed;
    expect(embed.title).toBe('Prompt refused by the blocklist');
    expect(fieldsOf(embed)).toEqual({
      Member: '<@1100000000000000003>',
      Channel: '<#1100000000000000002>',
      'Matched entry': '||nsfw||',
      Prompt: '||an @\u200beveryone NSFW scene||',
    });
  });
});
