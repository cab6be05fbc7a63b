import { addedSecondsOf, extendPromptFor, whyNotExtendable } from '../models/extend.js';
import type { ModelRegistry } from '../models/registry.js';
import { UserFacingError } from '../user-facing-error.js';
import type { ExtendRequest, JobRecord } from './job-record.js';
import { type JobSource, jobSourceOf, type RepeatRequest, replyLinkOf } from './job-requests.js';
import type { Launch, StartTaskDeps } from './launch.js';
import { checkPrompt, normalisePrompt, openGuildKey } from './request-checks.js';

/**
 * What extending `parent`'s video makes a job from: its Kie task, continued by its model's
 * extend call with the member's words (or none), one more in the chain. Refused by name when the
 * video is not finished, its model has no native extend, the chain is at its limit, or Kie does
 * not extend this kind of video (Veo at 1080p).
 */
export function extendSourceOf(models: ModelRegistry, parent: JobRecord, typed: string): JobSource {
  const entry = models.get(parent.model);
  const model = entry?.label ?? parent.model;
  if (parent.status !== 'delivered') throw new UserFacingError('extend.notFinished');
  const why = whyNotExtendable(entry, parent);
  if (why?.reason === 'limit') throw new UserFacingError('extend.limit', { max: why.max, model });
  if (why?.reason === 'not-from') throw new UserFacingError('extend.notFrom', { model, value: why.value });
  const support = entry?.extend;
  if (why || !support) throw new UserFacingError('extend.none', { model });
  const prompt = extendPromptFor(support, normalisePrompt(typed), parent.options.prompt);
  return {
    ...jobSourceOf(parent),
    options: { ...parent.options, prompt: prompt || parent.options.prompt },
    extend: {
      taskId: parent.taskId,
      prompt,
      addedSeconds: addedSecondsOf(support),
      chain: (parent.extend?.chain ?? 0) + 1,
    },
    parentReply: replyLinkOf(parent),
  };
}

/**
 * The launch of an extension (`source.extend`): its video's model, the source's options, no
 * image to upload, the presser's limits and the server's confirm threshold as for a new job.
 * Remix of an extension: the same extension with the new words.
 */
export async function extensionLaunch(
  deps: Pick<StartTaskDeps, 'settings' | 'models' | 'guardrails'>,
  request: RepeatRequest,
  extend: ExtendRequest,
): Promise<Launch> {
  const { settings: store, models, guardrails } = deps;
  const { source } = request;
  const settings = await store.get(request.guildId);
  guardrails.checkRole(settings, request.memberRoleIds);
  const model = models.get(source.model);
  const support = model?.extend;
  if (!model || !support) throw new UserFacingError('extend.none', { model: model?.label ?? source.model });
  const prompt =
    request.prompt === undefined
      ? extend.prompt
      : extendPromptFor(support, request.prompt, source.options.prompt);
  if (prompt.length > 0) checkPrompt(prompt, model);
  const apiKey = openGuildKey(store, request.guildId, settings);
  await guardrails.check(settings, request);
  return {
    context: request,
    settings,
    apiKey,
    candidates: [
      { model, options: { ...source.options, prompt: prompt || source.options.prompt }, fallbackFrom: null },
    ],
    mayFallBack: false,
    // The double-click guard: the same extension of the same video.
    imageBytes: Buffer.from(`extend\0${extend.taskId}`),
    parentJobId: source.id,
    confirmedUpTo: request.confirmedUpTo ?? null,
    extend: { ...extend, prompt },
    parentReply: source.parentReply ?? null,
    // Kie continues its own video: nothing is uploaded.
    image: async () => ({
      url: source.imageUrl,
      uploadedAt: source.imageUploadedAt ?? null,
      key: source.imageKey ?? null,
    }),
  };
}
