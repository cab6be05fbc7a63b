import type { JobOptions } from '../../../src/services/jobs/job-record.js';
import type { ModelEntry } from '../../../src/services/models/model.js';
import { createModelRegistry } from '../../../src/services/models/registry.js';

export const registry = createModelRegistry();

/** The registry entry with this id; throws when there is none. */
export function model(id: string): ModelEntry {
  const entry = registry.get(id);
  if (!entry) throw new Error(`no entry ${id}`);
  return entry;
}

/** A job's options: landscape chosen, the watermark kept, these seconds and extras. */
export function options(
  durationSeconds: number,
  extra: JobOptions['extra'] = {},
  more: Partial<JobOptions> = {},
): JobOptions {
  return {
    prompt: 'a cat',
    aspectRatio: 'landscape',
    aspectFromImage: false,
    durationSeconds,
    removeWatermark: false,
    extra,
    ...more,
  };
}
