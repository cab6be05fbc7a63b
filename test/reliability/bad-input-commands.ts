import { makeGif, makeJpeg, makePng } from '../support/images.js';
import {
  ALLOWED,
  ALLOWED_DURATIONS,
  animate,
  type BadInput,
  DURATION_NO_DEFAULT_MAKES,
  MIB,
  MODEL,
  PROMPT_LIMIT,
  PROMPT_NO_DEFAULT_TAKES,
  png,
  t,
} from './bad-input-case.js';

/** Bad slash commands: files, prompts, options, types, places. */
export const commandInputs: BadInput[] = [
  {
    id: 'B1',
    name: 'a GIF',
    send: (ctx) => animate(ctx, { image: { name: 'a.gif', type: 'image/gif', bytes: makeGif() } }),
    expect: { text: t('en-US', 'error.imageType', { type: 'image/gif', allowed: ALLOWED }) },
  },
  {
    id: 'B2',
    name: 'a PDF',
    send: (ctx) =>
      animate(ctx, {
        image: { name: 'doc.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%âãÏÓ\n') },
      }),
    expect: { text: t('en-US', 'error.imageType', { type: 'application/pdf', allowed: ALLOWED }) },
  },
  {
    id: 'B3',
    name: 'a file without a content type (the field absent, as Discord sends it)',
    send: (ctx) =>
      animate(ctx, { image: { name: 'blob', type: '', bytes: makePng(8, 8) }, dropContentType: true }),
    expect: { text: t('en-US', 'error.imageType', { type: 'unknown', allowed: ALLOWED }) },
  },
  {
    id: 'B3b',
    name: 'a file whose content type is an empty string',
    send: (ctx) => animate(ctx, { image: { name: 'blob', type: '', bytes: makePng(8, 8) } }),
    expect: { text: t('en-US', 'error.imageType', { type: 'unknown', allowed: ALLOWED }) },
  },
  {
    id: 'B4',
    name: 'a zero-byte PNG',
    send: (ctx) => animate(ctx, { image: { name: 'empty.png', type: 'image/png', bytes: Buffer.alloc(0) } }),
    expect: { text: t('en-US', 'error.imageEmpty') },
  },
  {
    id: 'B5',
    name: 'a PNG claimed at 11 MB',
    send: (ctx) => animate(ctx, { image: { ...png(), size: 11 * MIB } }),
    expect: { text: t('en-US', 'error.imageTooLarge', { size: '11.0 MB', limit: '10.0 MB' }) },
  },
  {
    id: 'B6',
    name: 'a real 11 MB PNG',
    send: (ctx) =>
      animate(ctx, {
        image: { name: 'big.png', type: 'image/png', bytes: makePng(64, 64, { padToBytes: 11 * MIB }) },
      }),
    expect: { text: t('en-US', 'error.imageTooLarge', { size: '11.0 MB', limit: '10.0 MB' }) },
  },
  {
    id: 'B7',
    name: 'an 11 MB PNG that claims 2 KB (the download is capped)',
    send: (ctx) =>
      animate(ctx, {
        image: {
          name: 'liar.png',
          type: 'image/png',
          bytes: makePng(64, 64, { padToBytes: 11 * MIB }),
          size: 2048,
        },
      }),
    expect: { text: t('en-US', 'error.imageTooLarge', { size: '11.0 MB', limit: '10.0 MB' }) },
  },
  {
    id: 'B8',
    name: 'a corrupt PNG (signature, then noise)',
    send: (ctx) =>
      animate(ctx, {
        image: {
          name: 'broken.png',
          type: 'image/png',
          bytes: Buffer.concat([
            makePng(4, 4).subarray(0, 8),
            Buffer.from('garbage that is no chunk at all'),
          ]),
        },
      }),
    expect: { text: t('en-US', 'error.imageTypeLies', { claimed: 'image/png', allowed: ALLOWED }) },
  },
  {
    id: 'B9',
    name: 'a GIF that says it is a PNG',
    send: (ctx) => animate(ctx, { image: { name: 'cat.png', type: 'image/png', bytes: makeGif() } }),
    expect: { text: t('en-US', 'error.imageTypeLies', { claimed: 'image/png', allowed: ALLOWED }) },
  },
  {
    id: 'B10',
    name: 'text that says it is a JPEG',
    send: (ctx) =>
      animate(ctx, {
        image: { name: 'x.jpg', type: 'image/jpeg', bytes: Buffer.from('<html>not an image</html>') },
      }),
    expect: { text: t('en-US', 'error.imageTypeLies', { claimed: 'image/jpeg', allowed: ALLOWED }) },
  },
  {
    id: 'B11',
    name: 'a content type with parameters and odd case that lies (IMAGE/PNG; q=1, JPEG-less bytes)',
    send: (ctx) =>
      animate(ctx, {
        image: { name: 'x.png', type: 'IMAGE/PNG; q=1', bytes: Buffer.from('\u0000\u0001\u0002\u0003') },
      }),
    expect: { text: t('en-US', 'error.imageTypeLies', { claimed: 'IMAGE/PNG; q=1', allowed: ALLOWED }) },
  },
  {
    id: 'B12',
    name: 'an empty prompt',
    send: (ctx) => animate(ctx, { prompt: '' }),
    expect: { text: t('en-US', 'error.promptEmpty') },
  },
  {
    id: 'B13',
    name: 'a prompt of blanks and line breaks',
    send: (ctx) => animate(ctx, { prompt: '   \n\t  ' }),
    expect: { text: t('en-US', 'error.promptEmpty') },
  },
  {
    id: 'B14',
    name: 'a prompt of control characters only',
    send: (ctx) => animate(ctx, { prompt: '\u0000\u0007\u001b\u0085\u009b' }),
    expect: { text: t('en-US', 'error.promptEmpty') },
  },
  {
    id: 'B15',
    name: `a prompt one past the longest any default model takes (${PROMPT_NO_DEFAULT_TAKES} characters)`,
    send: (ctx) => animate(ctx, { prompt: 'a'.repeat(PROMPT_NO_DEFAULT_TAKES) }),
    expect: {
      text: t('en-US', 'error.promptTooLong', {
        length: PROMPT_NO_DEFAULT_TAKES,
        limit: PROMPT_LIMIT,
        model: MODEL,
      }),
    },
  },
  {
    id: 'B16',
    name: 'a 100,000-character prompt',
    send: (ctx) => animate(ctx, { prompt: '動'.repeat(100_000) }),
    expect: {
      text: t('en-US', 'error.promptTooLong', { length: 100_000, limit: PROMPT_LIMIT, model: MODEL }),
    },
  },
  {
    id: 'B17',
    name: `duration ${DURATION_NO_DEFAULT_MAKES} (no default model makes it; ${MODEL} makes ${ALLOWED_DURATIONS})`,
    send: (ctx) =>
      animate(ctx, { options: [{ name: 'duration', type: 4, value: DURATION_NO_DEFAULT_MAKES }] }),
    expect: {
      text: t('en-US', 'models.duration.unsupported', {
        model: MODEL,
        allowed: ALLOWED_DURATIONS,
        asked: DURATION_NO_DEFAULT_MAKES,
      }),
    },
  },
  {
    id: 'B18',
    name: 'duration -5',
    send: (ctx) => animate(ctx, { options: [{ name: 'duration', type: 4, value: -5 }] }),
    expect: {
      text: t('en-US', 'models.duration.unsupported', {
        model: MODEL,
        allowed: ALLOWED_DURATIONS,
        asked: -5,
      }),
    },
  },
  {
    id: 'B19',
    name: 'duration 2^53',
    send: (ctx) => animate(ctx, { options: [{ name: 'duration', type: 4, value: 2 ** 53 }] }),
    expect: {
      text: t('en-US', 'models.duration.unsupported', {
        model: MODEL,
        allowed: ALLOWED_DURATIONS,
        asked: 2 ** 53,
      }),
    },
  },
  {
    id: 'B20',
    name: 'an unknown model',
    send: (ctx) => animate(ctx, { options: [{ name: 'model', type: 3, value: 'gpt-video-9' }] }),
    expect: { text: t('en-US', 'error.unknownModel', { model: 'gpt-video-9' }) },
  },
  {
    id: 'B21',
    name: 'a model option without “=”',
    send: (ctx) => animate(ctx, { options: [{ name: 'model_option', type: 3, value: 'nonsense' }] }),
    expect: { text: t('en-US', 'models.option.badFormat') },
  },
  {
    id: 'B22',
    name: 'a model option the model does not have',
    send: (ctx) => animate(ctx, { options: [{ name: 'model_option', type: 3, value: 'size=huge' }] }),
    expect: { text: t('en-US', 'models.option.none', { model: MODEL }) },
  },
  {
    id: 'B23',
    name: 'aspect_ratio “square” (not one of the choices)',
    send: (ctx) => animate(ctx, { options: [{ name: 'aspect_ratio', type: 3, value: 'square' }] }),
    expect: { specific: true },
  },
  {
    id: 'B24',
    name: 'wrong type: the image option is a string URL',
    send: (ctx) =>
      animate(ctx, { imageOption: { name: 'image', type: 3, value: 'http://127.0.0.1:9/x.png' } }),
    expect: { specific: true },
  },
  {
    id: 'B25',
    name: 'wrong type: duration is a string',
    send: (ctx) => animate(ctx, { options: [{ name: 'duration', type: 3, value: 'ten' }] }),
    expect: { specific: true },
  },
  {
    id: 'B26',
    name: 'wrong type: remove_watermark is a string',
    send: (ctx) => animate(ctx, { options: [{ name: 'remove_watermark', type: 3, value: 'yes' }] }),
    expect: { specific: true },
  },
  {
    id: 'B27',
    name: 'the required image option is missing',
    send: (ctx) => animate(ctx, { image: null }),
    expect: { specific: true },
  },
  {
    id: 'B28',
    name: '/animate from a DM',
    send: (ctx) => animate(ctx, { dm: true }),
    expect: { text: t('en-US', 'error.guildOnly') },
  },
  {
    id: 'B29',
    name: '/animate-jobs from a DM',
    send: (ctx) => animate(ctx, { dm: true, name: 'animate-jobs', image: null, prompt: null }),
    expect: { text: t('en-US', 'error.guildOnly') },
  },
  {
    id: 'B30',
    name: '/animate-jobs scope server by a member without Manage Server',
    send: (ctx) =>
      animate(ctx, {
        name: 'animate-jobs',
        image: null,
        prompt: null,
        options: [{ name: 'scope', type: 3, value: 'server' }],
      }),
    expect: { text: t('en-US', 'jobs.error.notAdmin') },
  },
  {
    id: 'B31',
    name: 'an unknown command name',
    send: (ctx) => animate(ctx, { name: 'animate-legacy' }),
    expect: { specific: true },
  },
  {
    id: 'B52',
    name: 'takes 9 (the menu offers 1–4)',
    send: (ctx) => animate(ctx, { options: [{ name: 'takes', type: 4, value: 9 }] }),
    expect: { text: t('en-US', 'error.badOptions') },
  },
  {
    id: 'Z1',
    name: 'zh-CN: an empty prompt',
    send: (ctx) => animate(ctx, { prompt: ' ', locale: 'zh-CN' }),
    expect: { text: t('zh-CN', 'error.promptEmpty') },
  },
  {
    id: 'Z2',
    name: 'zh-CN: a GIF',
    send: (ctx) =>
      animate(ctx, { image: { name: 'a.gif', type: 'image/gif', bytes: makeGif() }, locale: 'zh-CN' }),
    expect: { text: t('zh-CN', 'error.imageType', { type: 'image/gif', allowed: ALLOWED }) },
  },
  {
    id: 'Z3',
    name: 'zh-CN: a truncated JPEG (3 bytes)',
    send: (ctx) =>
      animate(ctx, {
        image: { name: 'x.jpg', type: 'image/jpeg', bytes: makeJpeg().subarray(0, 3) },
        locale: 'zh-CN',
      }),
    expect: { text: t('zh-CN', 'error.imageTypeLies', { claimed: 'image/jpeg', allowed: ALLOWED }) },
  },
  {
    id: 'Z4',
    name: 'zh-CN: /animate from a DM',
    send: (ctx) => animate(ctx, { dm: true, locale: 'zh-CN' }),
    expect: { text: t('zh-CN', 'error.guildOnly') },
  },
];
