import { auditEnUS } from './sections/audit.js';
import { budgetEnUS } from './sections/budget.js';
import { creativeEnUS } from './sections/creative.js';
import { jobsEnUS } from './sections/jobs.js';
import { lifecycleEnUS } from './sections/lifecycle.js';
import { modelsEnUS } from './sections/models.js';
import { moderationEnUS } from './sections/moderation.js';
import { quotaEnUS } from './sections/quota.js';
import { retentionEnUS } from './sections/retention.js';
import { setupEnUS } from './sections/setup.js';
import { videoActionsEnUS } from './sections/video-actions.js';

/** The en-US catalogue: the source of every key. Parameters are written {name}. */
export const enUS = {
  ...setupEnUS,
  ...modelsEnUS,
  ...jobsEnUS,
  ...lifecycleEnUS,
  ...retentionEnUS,
  ...moderationEnUS,
  ...quotaEnUS,
  ...creativeEnUS,
  ...videoActionsEnUS,
  ...auditEnUS,
  ...budgetEnUS,
  'error.generic': 'Something went wrong on our side. Please try again in a moment. (reference: {ref})',
  'error.unknownComponent': 'This button or form no longer works. Please run the command again.',
  'error.unknownCommand':
    'This bot does not know that command any more. Please reload Discord and try again.',
  'error.badOptions':
    'Some options of this command are missing or not what the bot expects. Please run it again from the menu.',
  'error.guildOnly': '`/animate` works inside a server, not in direct messages.',
  'error.storeUnavailable': 'The bot cannot reach its storage right now. Please try again shortly.',
  'error.restarting': 'The bot is restarting. Please try again in a minute; nothing was started or spent.',
  'error.noKey':
    'This server has no Kie AI key yet, so no video can be made. A server admin can add one with `/animate-setup key`.',
  'error.keyUnreadable':
    'This server’s Kie AI key can no longer be read (the bot’s encryption key changed). An admin must set it again with `/animate-setup key`.',
  'error.unknownModel':
    'The model {model} is not known to this bot. An admin can pick another with `/animate-setup model`.',
  'error.imageType': 'That file is {type}. Please attach a {allowed} image.',
  'error.imageTypeLies':
    'That file says it is {claimed} but its content is not an image the model accepts ({allowed}).',
  'error.imageTooLarge': 'That image is {size}; the limit is {limit}. Please attach a smaller one.',
  'error.imageEmpty': 'That image is empty (0 bytes). Please attach it again.',
  'error.imageUnreachable':
    'Discord would not hand over your image ({reason}). Please run the command again.',
  'error.promptEmpty': 'Please describe the motion you want: the prompt is empty.',
  'error.promptTooLong': 'The prompt is {length} characters long; {model} takes at most {limit}.',
  'error.durationUnsupported': '{model} makes videos of {allowed} seconds, not {asked}.',
  'error.kie.invalidKey':
    'Kie AI refused this server’s key (invalid or revoked). A server admin can set a new one with `/animate-setup key`.',
  'error.kie.insufficientCredits':
    'This server’s Kie AI account is out of credits. A server admin can top it up at kie.ai; `/animate-setup status` shows the balance.',
  'error.kie.validation': 'Kie AI did not accept the request: {detail}',
  'error.kie.rateLimited': 'Kie AI is busy with this server’s requests. Please try again in a minute.',
  'error.kie.subKeyLimited':
    'This server’s Kie AI key has reached the limit its Kie AI account set for it (code 433), so nothing was started and nothing was retried. A server admin can raise that key’s limit at kie.ai, or set another key with `/animate-setup key`.',
  'error.kie.maintenance': 'Kie AI is under maintenance. Please try again later.',
  'error.kie.upstream': 'Kie AI had a problem ({detail}). Please try again in a few minutes.',
  'error.kie.modelUnavailable':
    'Kie AI says the model {model} is not available right now. A server admin can switch models with `/animate-setup model`.',
  'error.kie.ambiguousSubmit':
    'Kie AI did not answer in time, so the bot cannot tell whether the job started. It was not retried, to avoid paying twice. Please check again before retrying.',
  'job.failed.generation': 'The video could not be made: {reason}',
  'job.failed.contentPolicy': 'Kie AI refused this image or prompt under its content policy: {reason}',
  'job.failed.lostTask':
    'The bot restarted while submitting this job and cannot tell whether Kie AI started it. Credits may have been used; please try again.',
  'job.failed.unknownTask': 'Kie AI no longer knows this job. Please try again.',
  'job.failed.keyRevoked': 'Kie AI stopped accepting this server’s key while the video was being made.',
  'job.failed.discord':
    'The video was made, but Discord refused every way of posting it here ({reason}). An admin may check the bot’s permissions in this channel. The video is here for about a day: {url}',
  'job.failed.restartedBeforeStart':
    'The bot restarted before your video was started. Nothing was sent to Kie AI and no credits were spent. Please run the command again.',
  'job.failed.download':
    'The video was made, but it could not be downloaded for two hours ({reason}). It is at Kie AI for about a day: {url}',
  'job.expired': 'Kie AI did not finish this video within {minutes} minutes, so the bot stopped waiting.',
  'status.title': 'Animating your image',
  'status.queued': 'Queued at Kie AI',
  'status.generating': 'Generating',
  'status.downloading': 'Downloading the video',
  'status.uploading': 'Uploading to Discord',
  'status.started': 'Started {when}',
  'status.field.state': 'State',
  'status.field.model': 'Model',
  'status.field.duration': 'Duration',
  'status.field.aspect': 'Shape',
  'status.field.job': 'Job',
  'status.aspect.portrait': 'Portrait',
  'status.aspect.landscape': 'Landscape',
  'status.aspect.fromImage': '{aspect} (from your image)',
  'status.seconds': '{seconds} s',
  'status.estimate': 'about {credits} credits',
  'status.field.credits': 'Kie AI balance',
  'status.credits': '{before} → {after} credits',
  'status.field.cost': 'Estimated cost',
  'result.title': 'Your video is ready',
  'result.failedTitle': 'No video this time',
  'result.done': '{mention} your video is ready.',
  'result.doneLink':
    '{mention} your video is ready: {url}\n(It is {size}, more than this reply can carry ({limit}), so here is a link. Kie keeps it for about a day; save it.)',
  'result.doneLinkUnknownSize':
    '{mention} your video is ready: {url}\n(It is too large to upload here, so here is a link. Kie keeps it for about a day; save it.)',
  'result.failed': '{mention} your video could not be made. {reason}',
  'result.failedNoMention': 'Your video could not be made. {reason}',
  'result.prompt': 'Prompt: {prompt}',
} as const;

export type MessageKey = keyof typeof enUS;
