import { z } from 'zod';
import type { StandInTask } from './types.js';

/**
 * The extend calls of kie-models-2026-09.md §4: strict inputs (an unknown field is refused with
 * its name), and the rule each states on its source: `task_id` names a finished Kie task of the
 * same model family, made with the same key; Veo refuses a clip made at 1080P.
 */
export const extendSchemas: ReadonlyArray<[string, z.ZodType]> = [
  [
    'grok-imagine/extend',
    z.strictObject({
      task_id: z.string().min(1),
      // Required, but may be empty (the doc's example sends "").
      prompt: z.string().max(5_000),
      extend_at: z.number().min(2),
      extend_times: z.enum(['6', '10']),
    }),
  ],
  [
    'veo/extend',
    z.strictObject({
      task_id: z.string().min(1),
      prompt: z.string().min(1),
      seeds: z.number().int().min(10_000).max(99_999).optional(),
      watermark: z.string().optional(),
    }),
  ],
  [
    'runway/extend-ai-video',
    z.strictObject({
      task_id: z.string().min(1),
      prompt: z.string().min(1).max(1_800),
      quality: z.enum(['720p', '1080p']),
      watermark: z.string().optional(),
    }),
  ],
];

/** The models whose tasks each extend call continues (its own tasks included: an extension of an extension). */
const SOURCES: Record<string, readonly string[]> = {
  'grok-imagine/extend': ['grok-imagine/image-to-video', 'grok-imagine/text-to-video', 'grok-imagine/extend'],
  'veo/extend': ['veo-3-1', 'veo/extend'],
  'runway/extend-ai-video': ['runway', 'runway/extend-ai-video'],
};

/**
 * Why Kie would refuse this extend call's source (a 422 naming `task_id`), or undefined when it
 * takes it. Not an extend call: undefined.
 */
export function extendSourceProblem(
  model: string,
  input: Record<string, unknown>,
  apiKey: string,
  tasks: ReadonlyMap<string, StandInTask>,
): string | undefined {
  const families = SOURCES[model];
  if (!families) return undefined;
  const source = typeof input.task_id === 'string' ? tasks.get(input.task_id) : undefined;
  if (!source || source.apiKey !== apiKey) return 'task_id: task not found';
  if (!families.includes(source.model))
    return `task_id: a ${source.model} task cannot be extended with ${model}`;
  if (source.state !== 'success') return 'task_id: the task has not finished successfully';
  // §4: "a clip made at 1080P cannot be extended" (followed back to the clip the chain started from).
  let root: StandInTask | undefined = source;
  for (let hops = 0; root && typeof root.input.task_id === 'string' && hops < 50; hops += 1) {
    root = tasks.get(root.input.task_id);
  }
  if (model === 'veo/extend' && root?.input.resolution === '1080p') {
    return 'task_id: a video made at 1080P cannot be extended';
  }
  return undefined;
}
