import { describe, expect, it } from 'vitest';
import type { JobOf, JobRecord } from '../../../src/services/jobs/job-record.js';
import { createModelRegistry } from '../../../src/services/models/registry.js';
import { JobMessages } from '../../../src/services/render/job-messages.js';
import { takesMessage } from '../../../src/services/render/take-messages.js';
import { makePendingJob } from '../../support/jobs.js';

const registry = createModelRegistry();
const messages = new JobMessages(registry);

type Component = {
  type: number;
  label?: string;
  custom_id?: string;
  disabled?: boolean;
  options?: unknown[];
};
const rows = (body: Record<string, unknown>) =>
  (body.components as Array<{ type: number; components: Component[] }>).map((row) => row.components);

function delivered(overrides: Partial<JobRecord> = {}): JobOf<'delivered'> {
  return {
    ...makePendingJob({ model: 'grok-imagine/image-to-video' }),
    status: 'delivered',
    taskId: 'task_grok_1',
    submittedAt: Date.now(),
    resultUrl: 'https://example.com/video.mp4',
    deliveredAs: 'attachment',
    deliveredVia: 'interaction',
    deliveredAt: Date.now(),
    attachmentId: null,
    ...overrides,
  } as JobOf<'delivered'>;
}

describe('the replies of finished videos', () => {
  it('offers Extend under a Grok video, and says so, disabled, once the chain is at its limit', () => {
    const fresh = rows(messages.deliveredAttachment(delivered(), 'https://example.com/video.mp4'));
    expect(fresh[0]?.find((button) => button.label === 'Extend')).toMatchObject({
      custom_id: expect.stringMatching(/^extend:/),
    });
    const atLimit = delivered({ extend: { taskId: 'task_x', prompt: '', addedSeconds: 6, chain: 4 } });
    const last = rows(messages.deliveredAttachment(atLimit, 'https://example.com/video.mp4'))[0];
    expect(last?.find((button) => button.custom_id?.startsWith('extend:'))).toMatchObject({
      label: 'Extended 4 times (the limit)',
      disabled: true,
    });
    const sora = rows(
      messages.deliveredAttachment(delivered({ model: 'sora-2-image-to-video' }), 'https://x.test/v.mp4'),
    );
    expect(sora.flat().some((button) => button.custom_id?.startsWith('extend:'))).toBe(false);
  });

  it('keeps four takes and the model menu within Discord’s five rows of at most five buttons', () => {
    const group = 'a1b2c3d4e5f60718';
    const slots = [1, 2, 3, 4].map((index) => ({
      index,
      job: delivered({ id: `${group}${index}`, take: { group, index, count: 4 } }),
    }));
    const seedance = registry.get('bytedance/seedance-2-mini');
    if (!seedance) throw new Error('no Seedance 2 Mini');
    const body = takesMessage(messages, registry, slots, [{ model: seedance, estimate: 82 }]);
    const all = rows(body);
    expect(all).toHaveLength(5);
    expect(all.every((row) => row.length >= 1 && row.length <= 5)).toBe(true);
    expect(all[3]?.map((button) => button.label)).toEqual(['Remix 4', 'Again 4', 'Extend 4', 'Open video 4']);
    expect(all[4]?.[0]?.type).toBe(3);
    const ids = all.flat().map((component) => component.custom_id ?? '');
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id.length <= 100)).toBe(true);
    expect((body.embeds as unknown[]).length).toBe(5);
  });
});
