import type { EndFrame } from '../models/end-frame.js';
import type { ModelEntry } from '../models/model.js';
import { type NamedChoices, namedChoicesOf } from '../models/named-options.js';
import { UserFacingError } from '../user-facing-error.js';
import type { JobOptions } from './job-record.js';
import type { AnimateRequest, JobImage, JobSource } from './job-requests.js';

/** What a model offered instead of another must still honour (a last frame), or may (sound, camera). */
export type Carried = NamedChoices & { endFrame?: EndFrame | null | undefined };

/** The last frame a request asks for: a second image, or a loop on the first; both is refused. */
export function askedEndFrame(request: Pick<AnimateRequest, 'endAttachment' | 'loop'>): EndFrame | null {
  if (request.endAttachment && request.loop) throw new UserFacingError('models.endFrame.both');
  return request.endAttachment ? 'image' : request.loop ? 'loop' : null;
}

/** What a job made with `model` asked beyond its model's defaults, for another model to honour. */
export function carriedOf(model: ModelEntry, options: JobOptions): Carried {
  return { endFrame: options.endFrame ?? null, ...namedChoicesOf(model, options.extra) };
}

/** A source whose image is its last frame, so the last frame is handled like the first image. */
export function endImageSource(source: JobSource, endImage: JobImage): JobSource {
  return { ...source, imageUrl: endImage.url, imageUploadedAt: endImage.uploadedAt, imageKey: endImage.key };
}
