import { z } from 'zod';

/** What a member asks a model for: the options every model entry turns into its Kie input. */
export const jobOptionsSchema = z.object({
  prompt: z.string().min(1),
  aspectRatio: z.enum(['portrait', 'landscape']),
  /** Whether the member chose the aspect ratio, or it came from the image's shape. */
  aspectFromImage: z.boolean(),
  durationSeconds: z.number().int().positive(),
  removeWatermark: z.boolean(),
  /** Model-specific extras (e.g. Sora 2 Pro's `size`). */
  extra: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /**
   * What the video ends on, for models that take a last frame: a second image of the member's
   * (the job's `endImage`), or its first image again, a seamless loop. Absent: no last frame.
   */
  endFrame: z.enum(['image', 'loop']).optional(),
});
export type JobOptions = z.infer<typeof jobOptionsSchema>;

/**
 * An extension of a finished video (kie-models-2026-09.md §4): a createTask of the model's
 * extend call naming the source's Kie task; no image is sent.
 */
export const extendRequestSchema = z.object({
  /** The Kie task whose video is continued. */
  taskId: z.string().min(1),
  /** The prompt sent to Kie; empty where the model takes an empty prompt (Grok). */
  prompt: z.string().max(20_000),
  /** Seconds added, where the model has a field for it (Grok's `extend_times`). */
  addedSeconds: z.number().int().positive().nullable(),
  /** Extensions in this video's line, this one included: 1 extends a video made from an image. */
  chain: z.number().int().positive(),
});
export type ExtendRequest = z.infer<typeof extendRequestSchema>;
