import { describe, expect, it } from 'vitest';
import type { UnavailableMark } from '../../../src/services/models/availability.js';
import type { ModelEntry } from '../../../src/services/models/model.js';
import { createModelRegistry } from '../../../src/services/models/registry.js';
import { renderModelAvailability } from '../../../src/services/render/setup-messages.js';

const entries = createModelRegistry().list();
const UNTIL = 1_800_000_600_000;
const rowsWith = (marks: Record<string, UnavailableMark>) =>
  entries.map((entry) => ({ entry, mark: marks[entry.id] }));

describe('renderModelAvailability', () => {
  it('lists the models the key can use on one line, and each other one with why and until when', () => {
    const field = renderModelAvailability(
      'en-US',
      rowsWith({
        'sora-2-image-to-video': { scope: 'catalog', until: UNTIL, markedAt: 0 },
        'sora-2-pro-image-to-video': {
          scope: 'global',
          until: UNTIL,
          markedAt: 0,
          reason: 'The model sora-2-pro-image-to-video is currently unavailable',
        },
        'wan/2-6-image-to-video': { scope: 'key', until: UNTIL, markedAt: 0, reason: 'model `x` paused' },
      }),
    );
    expect(field.name).toBe('Models with this server’s key');
    expect(field.value.split('\n')).toEqual([
      '✅ Available: Seedance 2 Mini, Seedance 2 Fast, Seedance 2, Kling 3.0, Wan 3.0, Veo 3.1, Runway, MiniMax H3, Kling 2.6, Seedance 1.5 Pro, Hailuo 2.3, Grok Imagine',
      `⛔ Sora 2: Kie’s model list for this key no longer has it, until <t:${UNTIL / 1000}:R>`,
      `⛔ Sora 2 Pro: Kie refused it for several servers: \`The model sora-2-pro-image-to-video is currently unavailable\`, until <t:${UNTIL / 1000}:R>`,
      // Kie's words cannot close the code span.
      `⛔ Wan 2.6: Kie refused it for this server’s key: \`model 'x' paused\`, until <t:${UNTIL / 1000}:R>`,
    ]);
  });

  it('says so in Chinese', () => {
    const field = renderModelAvailability(
      'zh-CN',
      rowsWith({ 'sora-2-image-to-video': { scope: 'key', until: UNTIL, markedAt: 0 } }),
    );
    expect(field.name).toBe('本服务器密钥可用的模型');
    expect(field.value).toContain('⛔ Sora 2：Kie 对本服务器的密钥拒绝了它');
  });

  it('asks for a key when the server has none', () => {
    expect(renderModelAvailability('en-US', undefined).value).toBe(
      'Set a Kie key (`/animate-setup key`) to see which models it can use.',
    );
  });

  it("stays within Discord's 1024 characters per field, saying how many lines it left out", () => {
    const many: Array<{ entry: ModelEntry; mark: UnavailableMark }> = Array.from({ length: 40 }, (_, i) => ({
      entry: { ...(entries[0] as ModelEntry), id: `m${i}`, label: `Model number ${i}` },
      mark: { scope: 'key', until: UNTIL, markedAt: 0, reason: 'x'.repeat(40) },
    }));
    const { value } = renderModelAvailability('en-US', many);
    expect(value.length).toBeLessThanOrEqual(1024);
    const shown = value.split('\n').filter((line) => line.startsWith('⛔')).length;
    expect(value.split('\n').at(-1)).toBe(`…and ${40 - shown} more`);
    expect(shown).toBeGreaterThan(5);
  });
});
