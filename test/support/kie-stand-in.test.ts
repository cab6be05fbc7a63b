import { createHmac, timingSafeEqual } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makeGif, makeJpeg, makePng, makeWebp } from './images.js';
import { type Receiver, startReceiver } from './kie/receiver.js';
import { type KieStandIn, registerModelSchema, startKieStandIn, type TaskScript } from './kie/stand-in.js';

const KEY = 'key-a';
const OTHER_KEY = 'key-b';
const quick: TaskScript = {
  steps: [
    { state: 'waiting', ms: 30 },
    { state: 'queuing', ms: 30 },
    { state: 'generating', ms: 60 },
  ],
  outcome: { kind: 'success' },
};

let kie: KieStandIn;
let host: Receiver;
let imageUrl: string;

beforeEach(async () => {
  kie = await startKieStandIn({ keys: { [KEY]: 1000, [OTHER_KEY]: 1000 }, script: quick });
  host = await startReceiver();
  host.serve('/cat.png', makePng(16, 16), 'image/png');
  imageUrl = `${host.url}/cat.png`;
});

afterEach(async () => {
  await kie.close();
  await host.close();
});

// biome-ignore lint/suspicious/noExplicitAny: assertions read the answers loosely; expect() checks them.
type Answer = { status: number; contentType: string; text: string; json: any };

async function call(path: string, init: { key?: string | null; body?: unknown; method?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.key !== null) headers.authorization = `Bearer ${init.key ?? KEY}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${kie.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json } as Answer;
}

const soraBody = (input: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  model: 'sora-2-image-to-video',
  input: {
    prompt: 'a cat waves',
    image_urls: [imageUrl],
    aspect_ratio: 'landscape',
    n_frames: '10',
    remove_watermark: true,
    ...input,
  },
  ...extra,
});

async function createTask(body: unknown = soraBody(), key = KEY): Promise<string> {
  const answer = await call('/api/v1/jobs/createTask', { body, key });
  expect(answer.json).toMatchObject({ code: 200, msg: 'success' });
  return answer.json.data.taskId as string;
}

const recordInfo = (taskId: string, key = KEY) =>
  call(`/api/v1/jobs/recordInfo?taskId=${encodeURIComponent(taskId)}`, { key });

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

const settled = (taskId: string, key = KEY) =>
  until(
    () => recordInfo(taskId, key),
    (a) => ['success', 'fail'].includes(a.json?.data?.state),
  );

describe('auth, credits and envelopes', () => {
  it('answers the credit balance as a bare number in a JSON envelope', async () => {
    const answer = await call('/api/v1/chat/credit');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toContain('application/json');
    expect(answer.json).toEqual({ code: 200, msg: 'success', data: 1000 });
  });

  it('answers 401 for a missing or unknown key', async () => {
    for (const key of [null, 'nope']) {
      const answer = await call('/api/v1/chat/credit', { key });
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ code: 401, msg: 'You do not have access permissions', data: null });
    }
    kie.removeKey(KEY);
    expect((await call('/api/v1/jobs/createTask', { body: soraBody() })).json.code).toBe(401);
  });

  it('can put every error code in a 200 body instead', async () => {
    const strict = await startKieStandIn({ errorsInBody: true });
    const res = await fetch(`${strict.url}/api/v1/chat/credit`, { headers: { authorization: 'Bearer x' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ code: 401 });
    await strict.close();
  });

  it('charges credits per task and answers 402 once they run out', async () => {
    kie.setKey(KEY, 65);
    await createTask();
    await createTask();
    expect(kie.credits(KEY)).toBe(5);
    const answer = await call('/api/v1/jobs/createTask', { body: soraBody() });
    expect(answer.status).toBe(402);
    expect(answer.json).toEqual({ code: 402, msg: 'Credits insufficient', data: null });
    expect(kie.tasks.size).toBe(2);
  });

  it('rejects the 21st createTask within 10 s with 429 and creates no task', async () => {
    for (let i = 0; i < 20; i += 1) await createTask();
    const answer = await call('/api/v1/jobs/createTask', { body: soraBody() });
    expect(answer.status).toBe(429);
    expect(answer.json.code).toBe(429);
    expect(kie.tasks.size).toBe(20);
    expect(kie.credits(KEY)).toBe(1000 - 20 * 30);
    await createTask(soraBody(), OTHER_KEY);
  });

  it('frees the window as time passes', async () => {
    const limited = await startKieStandIn({ keys: { k: 1000 }, createLimit: { max: 2, windowMs: 150 } });
    const post = () =>
      fetch(`${limited.url}/api/v1/jobs/createTask`, {
        method: 'POST',
        headers: { authorization: 'Bearer k' },
        body: JSON.stringify(soraBody()),
      }).then((r) => r.json() as Promise<{ code: number }>);
    expect([(await post()).code, (await post()).code, (await post()).code]).toEqual([200, 200, 429]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await post()).code).toBe(200);
    await limited.close();
  });

  it('can refuse requests without a User-Agent with a CDN HTML page', async () => {
    const cdn = await startKieStandIn({ keys: { k: 100 }, requireUserAgent: true });
    const { port } = new URL(cdn.url);
    const answer = await new Promise<{ status: number; type: string }>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        path: '/api/v1/chat/credit',
        headers: { authorization: 'Bearer k' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '' });
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer).toEqual({ status: 403, type: expect.stringContaining('text/html') });
    const withAgent = await fetch(`${cdn.url}/api/v1/chat/credit`, {
      headers: { authorization: 'Bearer k' },
    });
    expect(withAgent.status).toBe(200);
    await cdn.close();
  });

  it('records every request with lower-cased headers and parsed bodies', async () => {
    await createTask();
    await call('/api/v1/chat/credit');
    const [first] = kie.requests;
    expect(first).toMatchObject({ method: 'POST', path: '/api/v1/jobs/createTask', route: 'createTask' });
    expect(first?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(first?.body).toMatchObject({ model: 'sora-2-image-to-video' });
    expect(kie.count('createTask')).toBe(1);
    expect(kie.count('credit')).toBe(1);
  });
});

describe('createTask validation', () => {
  it('says a missing prompt is required, with code 500', async () => {
    const answer = await call('/api/v1/jobs/createTask', { body: soraBody({ prompt: undefined }) });
    expect(answer.json).toEqual({ code: 500, msg: 'prompt: This field is required', data: null });
  });

  it.each([
    ['n_frames as a number', { n_frames: 10 }, 'n_frames'],
    ['an unknown aspect ratio', { aspect_ratio: 'square' }, 'aspect_ratio'],
    ['two images', { image_urls: [imageUrl, imageUrl] }, 'image_urls'],
    ['a prompt over 10 000 characters', { prompt: 'x'.repeat(10_001) }, 'prompt'],
    ['an unknown field', { duration: '10' }, 'duration'],
    ['size on the non-pro model', { size: 'high' }, 'size'],
  ])('rejects %s with 422 naming the field', async (_name, input, field) => {
    const answer = await call('/api/v1/jobs/createTask', { body: soraBody(input) });
    expect(answer.status).toBe(422);
    expect(answer.json.code).toBe(422);
    expect(answer.json.msg).toContain(field);
    expect(kie.tasks.size).toBe(0);
  });

  it('accepts the pro model with size and upload_method', async () => {
    await createTask({
      ...soraBody({ size: 'high', upload_method: 'oss' }),
      model: 'sora-2-pro-image-to-video',
    });
  });

  it('rejects an unknown model until a schema is registered', async () => {
    const body = { model: 'acme/i2v-test', input: { image_url: imageUrl } };
    const answer = await call('/api/v1/jobs/createTask', { body });
    expect(answer.json).toEqual({ code: 422, msg: 'model acme/i2v-test is not supported', data: null });
    registerModelSchema('acme/i2v-test', z.strictObject({ image_url: z.string() }));
    const taskId = await createTask(body);
    expect(taskId).toMatch(/^task_acme-i2v-test_\d+$/);
  });

  it('answers a withdrawn model with 505 until it is restored', async () => {
    kie.withdrawModel('sora-2-image-to-video');
    const answer = await call('/api/v1/jobs/createTask', { body: soraBody() });
    expect(answer.json).toEqual({
      code: 505,
      msg: 'The model sora-2-image-to-video is currently unavailable',
      data: null,
    });
    kie.restoreModel('sora-2-image-to-video');
    await createTask();
  });
});

describe('task timeline', () => {
  it('walks waiting → queuing → generating → success with string resultJson and a playable result', async () => {
    kie.scriptNext({
      steps: [
        { state: 'waiting', ms: 60 },
        { state: 'queuing', ms: 60 },
        { state: 'generating', ms: 60 },
      ],
      outcome: { kind: 'success' },
    });
    const taskId = await createTask(soraBody({}, { callBackUrl: `${host.url}/cb` }));
    expect(taskId).toMatch(/^task_sora-2-image-to-video_\d+$/);
    const seen = new Set<string>();
    const done = await until(
      () => recordInfo(taskId),
      (a) => {
        seen.add(a.json.data.state);
        return a.json.data.state === 'success';
      },
    );
    expect([...seen]).toEqual(expect.arrayContaining(['queuing', 'generating', 'success']));
    const data = done.json.data;
    expect(done.json).toMatchObject({ code: 200, msg: 'success' });
    expect(typeof data.param).toBe('string');
    expect(JSON.parse(data.param)).toEqual(soraBody({}, { callBackUrl: `${host.url}/cb` }));
    expect(typeof data.resultJson).toBe('string');
    const { resultUrls } = JSON.parse(data.resultJson);
    expect(resultUrls).toEqual([`${kie.url}/results/${taskId}.mp4`]);
    expect(data).toMatchObject({ failCode: '', failMsg: '', createTime: expect.any(Number) });
    expect(data.costTime).toBeGreaterThanOrEqual(180);
    expect(data.completeTime).toBe(data.createTime + data.costTime);

    const video = await fetch(resultUrls[0]);
    expect(video.headers.get('content-type')).toBe('video/mp4');
    const bytes = Buffer.from(await video.arrayBuffer());
    expect(Number(video.headers.get('content-length'))).toBe(bytes.length);
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(kie.count('result')).toBe(1);
  });

  it('shows running tasks with blank fail fields and blank resultJson', async () => {
    kie.scriptNext({ steps: [], outcome: { kind: 'never' } });
    const taskId = await createTask();
    const answer = await recordInfo(taskId);
    expect(answer.json.data).toMatchObject({
      state: 'generating',
      resultJson: '',
      failCode: '',
      failMsg: '',
    });
    expect(answer.json.data).not.toHaveProperty('costTime');
    kie.finish(taskId, { kind: 'fail', failCode: '500', failMsg: 'Internal error' });
    expect((await recordInfo(taskId)).json.data).toMatchObject({ state: 'fail', failCode: '500' });
  });

  it('can answer null for the blank fields instead', async () => {
    const nulls = await startKieStandIn({ keys: { k: 100 }, blankFields: null, fetchImages: false });
    const create = await fetch(`${nulls.url}/api/v1/jobs/createTask`, {
      method: 'POST',
      headers: { authorization: 'Bearer k' },
      body: JSON.stringify(soraBody()),
    }).then((r) => r.json() as Promise<{ data: { taskId: string } }>);
    const info = await fetch(`${nulls.url}/api/v1/jobs/recordInfo?taskId=${create.data.taskId}`, {
      headers: { authorization: 'Bearer k' },
    }).then((r) => r.json() as Promise<{ data: Record<string, unknown> }>);
    expect(info.data).toMatchObject({ resultJson: null, failCode: null, failMsg: null });
    await nulls.close();
  });

  it('ends in fail with the scripted code and message', async () => {
    kie.scriptNext({
      steps: [{ state: 'generating', ms: 20 }],
      outcome: { kind: 'fail', failCode: '501', failMsg: 'Content policy' },
    });
    const taskId = await createTask();
    const answer = await settled(taskId);
    expect(answer.json.data).toMatchObject({
      state: 'fail',
      failCode: '501',
      failMsg: 'Content policy',
      resultJson: '',
    });
    expect(await fetch(`${kie.url}/results/${taskId}.mp4`).then((r) => r.status)).toBe(404);
  });

  it('can refund the charge of a failed task', async () => {
    const refunding = await startKieStandIn({ keys: { k: 100 }, refundFailed: true, fetchImages: false });
    refunding.scriptNext({ steps: [], outcome: { kind: 'fail', failCode: '500', failMsg: 'x' } });
    await fetch(`${refunding.url}/api/v1/jobs/createTask`, {
      method: 'POST',
      headers: { authorization: 'Bearer k' },
      body: JSON.stringify(soraBody()),
    });
    const [task] = refunding.tasks.values();
    expect(task?.state).toBe('fail');
    expect(refunding.credits('k')).toBe(100);
    await refunding.close();
  });

  it('answers an unknown task, or another key’s task, with HTTP 200 and code 422', async () => {
    const taskId = await createTask();
    for (const answer of [await recordInfo('task_nope_1'), await recordInfo(taskId, OTHER_KEY)]) {
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ code: 422, msg: 'recordInfo is null', data: null });
    }
  });

  it('pads the video to videoBytes with a free box and can break the result URL', async () => {
    kie.scriptNext(
      { steps: [], outcome: { kind: 'success', videoBytes: 50_000 } },
      { steps: [], outcome: { kind: 'success', resultUrlStatus: 404 } },
    );
    const padded = await createTask();
    const broken = await createTask();
    const bytes = Buffer.from(await (await fetch(`${kie.url}/results/${padded}.mp4`)).arrayBuffer());
    expect(bytes.length).toBe(50_000);
    expect(bytes.subarray(0, kie.video.length).equals(kie.video)).toBe(true);
    expect(bytes.subarray(kie.video.length + 4, kie.video.length + 8).toString('latin1')).toBe('free');
    expect(kie.paddedVideo(50_000).equals(bytes)).toBe(true);
    expect((await fetch(`${kie.url}/results/${broken}.mp4`)).status).toBe(404);
  });

  it.each([
    ['a 404 image URL', () => `${host.url}/missing.png`, 'Failed to fetch the image'],
    ['a GIF', () => serve('/a.gif', makeGif(), 'image/gif'), 'Unsupported image format'],
    [
      'an 11 MB PNG',
      () => serve('/big.png', makePng(8, 8, { padToBytes: 11 * 1024 * 1024 }), 'image/png'),
      '10MB',
    ],
  ])('fails the task when Kie cannot use %s', async (_name, url, failMsg) => {
    kie.scriptNext({ steps: [{ state: 'waiting', ms: 2000 }], outcome: { kind: 'success' } });
    const taskId = await createTask(soraBody({ image_urls: [url()] }));
    const answer = await settled(taskId);
    expect(answer.json.data).toMatchObject({ state: 'fail', failCode: '400' });
    expect(answer.json.data.failMsg).toContain(failMsg);
  });

  it.each([
    ['jpeg', makeJpeg()],
    ['webp', makeWebp()],
  ])('accepts a %s image', async (ext, bytes) => {
    const taskId = await createTask(soraBody({ image_urls: [serve(`/x.${ext}`, bytes, `image/${ext}`)] }));
    expect((await settled(taskId)).json.data.state).toBe('success');
    expect(kie.tasks.get(taskId)?.imageFetch).toMatchObject({ ok: true, mimeType: `image/${ext}` });
  });
});

function serve(path: string, bytes: Buffer, type: string): string {
  host.serve(path, bytes, type);
  return `${host.url}${path}`;
}

describe('callbacks', () => {
  it('posts the recordInfo-shaped body, signed with the account HMAC key', async () => {
    kie.setWebhookHmacKey(KEY, 'hmac-secret');
    const taskId = await createTask(soraBody({}, { callBackUrl: `${host.url}/cb` }));
    await until(
      async () => kie.callbacks.length,
      (n) => n > 0,
    );
    const [post] = host.received.filter((r) => r.method === 'POST');
    expect(post?.path).toBe('/cb');
    const body = JSON.parse(post?.body.toString() ?? '');
    expect(body).toMatchObject({ code: 200, data: { taskId, state: 'success', failCode: '' } });
    expect(typeof body.data.resultJson).toBe('string');

    const timestamp = String(post?.headers['x-webhook-timestamp']);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    const expected = createHmac('sha256', 'hmac-secret').update(`${taskId}.${timestamp}`).digest();
    const got = Buffer.from(String(post?.headers['x-webhook-signature']), 'base64');
    expect(got.length === expected.length && timingSafeEqual(got, expected)).toBe(true);
    expect(kie.callbacks).toEqual([expect.objectContaining({ taskId, url: `${host.url}/cb`, status: 200 })]);
  });

  it('sends failures with code 501 and no signature when no HMAC key is set', async () => {
    kie.scriptNext({ steps: [], outcome: { kind: 'fail', failCode: '500', failMsg: 'boom' } });
    await createTask(soraBody({}, { callBackUrl: `${host.url}/cb` }));
    await until(
      async () => kie.callbacks.length,
      (n) => n > 0,
    );
    const post = host.received.find((r) => r.method === 'POST');
    expect(JSON.parse(post?.body.toString() ?? '')).toMatchObject({
      code: 501,
      data: { state: 'fail', failMsg: 'boom' },
    });
    expect(post?.headers['x-webhook-signature']).toBeUndefined();
  });

  it('tries three times in all when the receiver does not answer 200', async () => {
    host.answerNext(500, 503, 500);
    kie.scriptNext({ steps: [], outcome: { kind: 'success' } });
    const taskId = await createTask(soraBody({}, { callBackUrl: `${host.url}/cb` }));
    const tries = await until(
      async () => kie.callbacks.length,
      (n) => n >= 3,
    );
    expect(tries).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(kie.callbacks.map((c) => [c.taskId, c.status, c.attempt])).toEqual([
      [taskId, 500, 1],
      [taskId, 503, 2],
      [taskId, 500, 3],
    ]);
  });
});

describe('uploads and download links', () => {
  it('stores a base64 data URL and serves it back from downloadUrl', async () => {
    const png = makePng(4, 4);
    const answer = await call('/api/file-base64-upload', {
      body: {
        base64Data: `data:image/png;base64,${png.toString('base64')}`,
        uploadPath: 'images/x',
        fileName: 'a.png',
      },
    });
    expect(answer.json).toMatchObject({
      code: 200,
      msg: 'File uploaded successfully',
      data: { fileName: 'a.png', filePath: 'images/x/a.png', fileSize: png.length, mimeType: 'image/png' },
    });
    const served = Buffer.from(await (await fetch(answer.json.data.downloadUrl)).arrayBuffer());
    expect(served.equals(png)).toBe(true);
    expect(kie.count('file-base64-upload')).toBe(1);
  });

  it('rejects base64 data over 10 MB', async () => {
    const big = makePng(8, 8, { padToBytes: 10 * 1024 * 1024 + 1 });
    const answer = await call('/api/file-base64-upload', { body: { base64Data: big.toString('base64') } });
    expect(answer.json.code).toBe(400);
  });

  it('takes a multipart stream upload and overwrites the same file name', async () => {
    const upload = async (bytes: Buffer) => {
      const form = new FormData();
      form.set('file', new Blob([bytes], { type: 'image/jpeg' }), 'photo.jpg');
      form.set('uploadPath', 'up');
      form.set('fileName', 'same.jpg');
      const res = await fetch(`${kie.url}/api/file-stream-upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}` },
        body: form,
      });
      return (await res.json()) as { data: { downloadUrl: string; fileSize: number } };
    };
    await upload(makeJpeg());
    const second = await upload(makeWebp());
    expect(second.data.fileSize).toBe(makeWebp().length);
    const served = Buffer.from(await (await fetch(second.data.downloadUrl)).arrayBuffer());
    expect(served.equals(makeWebp())).toBe(true);
    expect(kie.requests.findLast((r) => r.route === 'file-stream-upload')?.body).toMatchObject({
      fields: { uploadPath: 'up', fileName: 'same.jpg' },
      files: [{ field: 'file', fileName: 'photo.jpg', size: makeWebp().length }],
    });
  });

  it('fetches a URL upload and can answer with fileUrl only', async () => {
    kie.setUploadAnswerField('fileUrl');
    const answer = await call('/api/file-url-upload', { body: { fileUrl: imageUrl } });
    expect(answer.json.data).not.toHaveProperty('downloadUrl');
    expect(answer.json.data.fileName).toBe('cat.png');
    expect((await fetch(answer.json.data.fileUrl)).status).toBe(200);
    const failed = await call('/api/file-url-upload', { body: { fileUrl: `${host.url}/nothing.png` } });
    expect(failed.json.code).toBe(500);
  });

  it('turns its own URLs into fresh download links and refuses others', async () => {
    const own = `${kie.url}/results/task_x.mp4`;
    const answer = await call('/api/v1/common/download-url', { body: { url: own } });
    expect(answer.json).toMatchObject({ code: 200, msg: 'success' });
    expect(typeof answer.json.data).toBe('string');
    expect(answer.json.data.startsWith(`${own}?`)).toBe(true);
    const foreign = await call('/api/v1/common/download-url', { body: { url: 'https://example.com/v.mp4' } });
    expect(foreign.json.code).toBe(422);
  });
});

describe('model catalog (GET /api/v1/models)', () => {
  const ids = (answer: Answer): string[] => answer.json.data.models.map((m: { model: string }) => m.model);
  const pause = () => new Promise((resolve) => setTimeout(resolve, 1010));

  it('answers 404 by default: no catalog', async () => {
    const answer = await call('/api/v1/models');
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ code: 404, msg: 'Not Found', data: null });
    expect(kie.count('models')).toBe(1);
  });

  it('lists chosen ids with the documented fields, inside the envelope', async () => {
    kie.setCatalog({ models: ['bytedance/seedance-1.5-pro', 'kling-2.6/image-to-video'] });
    const answer = await call('/api/v1/models');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ code: 200, msg: 'success', data: { total: 2 } });
    expect(ids(answer)).toEqual(['bytedance/seedance-1.5-pro', 'kling-2.6/image-to-video']);
    expect(Object.keys(answer.json.data.models[0]).sort()).toEqual(
      ['model', 'slug', 'title', 'provider', 'taskType', 'description', 'pricingDesc'].sort(),
    );
    expect(answer.json.data.models[0].taskType).toEqual(['Image to Video']);
  });

  it('lists every known model but Sora with without-sora, and each key may have its own', async () => {
    kie.setCatalog('without-sora');
    kie.setCatalog('all', OTHER_KEY);
    const withoutSora = ids(await call('/api/v1/models'));
    expect(withoutSora).toContain('kling-2.6/image-to-video');
    expect(withoutSora.some((id) => id.startsWith('sora'))).toBe(false);
    expect(ids(await call('/api/v1/models', { key: OTHER_KEY }))).toContain('sora-2-image-to-video');
  });

  it('filters by taskType (encoded, comma-separated), provider and q; total 0 is no error', async () => {
    kie.setCatalog('all');
    expect(ids(await call('/api/v1/models?provider=kling'))).toEqual([
      'kling-2.6/image-to-video',
      'kling-3.0/video',
    ]);
    await pause();
    expect(ids(await call('/api/v1/models?taskType=Text%2520to%2520Video,Image%2520to%2520Video'))).toContain(
      'wan/2-6-image-to-video',
    );
    await pause();
    const none = await call('/api/v1/models?q=nothing-like-this');
    expect(none.json).toEqual({ code: 200, msg: 'success', data: { total: 0, models: [] } });
  });

  it('allows one catalog call per key per second (429 past it), other keys unaffected', async () => {
    kie.setCatalog('all');
    expect((await call('/api/v1/models')).status).toBe(200);
    const second = await call('/api/v1/models');
    expect(second.status).toBe(429);
    expect(second.json.code).toBe(429);
    expect((await call('/api/v1/models', { key: OTHER_KEY })).status).toBe(200);
    await pause();
    expect((await call('/api/v1/models')).status).toBe(200);
  });

  it('can answer a bare {total, models} body, and needs a known key', async () => {
    const bare = await startKieStandIn({ keys: { k: 1 }, catalog: 'all', catalogEnvelope: false });
    try {
      const res = await fetch(`${bare.url}/api/v1/models`, { headers: { authorization: 'Bearer k' } });
      const json = (await res.json()) as { total: number; models: unknown[]; code?: number };
      expect(json.code).toBeUndefined();
      expect(json.total).toBe(json.models.length);
      const stranger = await fetch(`${bare.url}/api/v1/models`, { headers: { authorization: 'Bearer x' } });
      expect(stranger.status).toBe(401);
    } finally {
      await bare.close();
    }
  });
});

describe('creditsConsumed', () => {
  it('is null while the task runs, then what was charged, in recordInfo and the callback', async () => {
    kie.scriptNext({ steps: [{ state: 'generating', ms: 150 }], outcome: { kind: 'success' } });
    const taskId = await createTask(soraBody({}, { callBackUrl: `${host.url}/cb` }));
    expect((await recordInfo(taskId)).json.data.creditsConsumed).toBeNull();
    const done = await settled(taskId);
    expect(done.json.data.creditsConsumed).toBe(30);
    await until(
      async () => kie.callbacks.length,
      (n) => n > 0,
    );
    expect(kie.callbacks[0]?.body).toMatchObject({ data: { taskId, creditsConsumed: 30 } });
  });

  it('reports the scripted figure per task, or leaves the field out', async () => {
    kie.scriptNext(
      { steps: [], outcome: { kind: 'success' }, creditsConsumed: 82.5 },
      { steps: [], outcome: { kind: 'success' }, creditsConsumed: '45.0' },
      { steps: [], outcome: { kind: 'success' }, creditsConsumed: 'absent' },
    );
    const [a, b, c] = [await createTask(), await createTask(), await createTask()];
    expect((await settled(a)).json.data.creditsConsumed).toBe(82.5);
    expect((await settled(b)).json.data.creditsConsumed).toBe('45.0');
    expect((await settled(c)).json.data).not.toHaveProperty('creditsConsumed');
  });

  it('reports 0 for a failed task whose charge was refunded', async () => {
    const refunding = await startKieStandIn({ keys: { k: 100 }, refundFailed: true, fetchImages: false });
    try {
      refunding.scriptNext({ steps: [], outcome: { kind: 'fail', failCode: '500', failMsg: 'boom' } });
      const headers = { authorization: 'Bearer k', 'content-type': 'application/json' };
      const created = await fetch(`${refunding.url}/api/v1/jobs/createTask`, {
        method: 'POST',
        headers,
        body: JSON.stringify(soraBody()),
      });
      const { data } = (await created.json()) as { data: { taskId: string } };
      const info = await until(
        async () =>
          (await (
            await fetch(`${refunding.url}/api/v1/jobs/recordInfo?taskId=${data.taskId}`, { headers })
          ).json()) as { data: { state: string; creditsConsumed: unknown } },
        (answer) => answer.data.state === 'fail',
      );
      expect(info.data.creditsConsumed).toBe(0);
      expect(refunding.credits('k')).toBe(100);
    } finally {
      await refunding.close();
    }
  });
});

describe('upload expiry', () => {
  const upload = async (fileName: string) =>
    (
      await call('/api/file-base64-upload', {
        body: { base64Data: makePng(4, 4).toString('base64'), uploadPath: 'x', fileName },
      })
    ).json.data.downloadUrl as string;

  it('serves an upload until its time is up, then 404, and Kie cannot fetch it for a task', async () => {
    kie.setUploadTtl(300);
    const url = await upload('short.png');
    expect((await fetch(url)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 320));
    expect((await fetch(url)).status).toBe(404);

    const taskId = await createTask(soraBody({ image_urls: [url] }));
    expect((await settled(taskId)).json.data).toMatchObject({
      state: 'fail',
      failMsg: 'Failed to fetch the image',
    });
  });

  it('keeps uploads a day by default, and expireUploads() ends them at once', async () => {
    const url = await upload('day.png');
    expect(kie.files.get('x/day.png')?.expiresAt).toBeGreaterThan(Date.now() + 23 * 60 * 60_000);
    expect((await fetch(url)).status).toBe(200);
    kie.expireUploads();
    expect((await fetch(url)).status).toBe(404);
    const later = await upload('later.png');
    expect((await fetch(later)).status).toBe(200);
  });
});

describe('faults', () => {
  it('answers a status fault with the code inside a 200 body, only for the given key and times', async () => {
    kie.fault({ route: 'credit', kind: 'status', code: 401, httpStatus: 200, times: 1, apiKey: KEY });
    expect((await call('/api/v1/chat/credit', { key: OTHER_KEY })).json.code).toBe(200);
    const hit = await call('/api/v1/chat/credit');
    expect(hit.status).toBe(200);
    expect(hit.json).toEqual({ code: 401, msg: 'You do not have access permissions', data: null });
    expect((await call('/api/v1/chat/credit')).json.code).toBe(200);
  });

  it('uses the code as HTTP status by default', async () => {
    kie.fault({ route: 'createTask', kind: 'status', code: 455 });
    const answer = await call('/api/v1/jobs/createTask', { body: soraBody() });
    expect(answer.status).toBe(455);
    expect(answer.json.code).toBe(455);
    expect(kie.tasks.size).toBe(0);
  });

  it('serves an HTML error page', async () => {
    kie.fault({ route: '*', kind: 'html' });
    const answer = await call('/api/v1/jobs/recordInfo?taskId=x');
    expect(answer.status).toBe(502);
    expect(answer.contentType).toContain('text/html');
    expect(answer.text).toContain('<html>');
  });

  it('serves malformed JSON', async () => {
    kie.fault({ route: 'recordInfo', kind: 'malformed' });
    const answer = await call('/api/v1/jobs/recordInfo?taskId=x');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toContain('application/json');
    expect(answer.json).toBeUndefined();
  });

  it('answers slowly', async () => {
    kie.fault({ route: 'credit', kind: 'slow', delayMs: 150 });
    const started = Date.now();
    expect((await call('/api/v1/chat/credit')).json.code).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('answers createTask late: the task exists, may end and call back before the answer', async () => {
    kie.setScript({ steps: [], outcome: { kind: 'success' } });
    kie.fault({ route: 'createTask', kind: 'late', delayMs: 400, apiKey: KEY, times: 1 });
    const started = Date.now();
    const answer = createTask(soraBody({}, { callBackUrl: `${host.url}/cb` }));
    await until(
      async () => kie.tasks.size,
      (size) => size === 1,
    );
    const [task] = [...kie.tasks.values()];
    const called = await until(
      async () => host.received.filter((r) => r.method === 'POST' && r.path === '/cb').length,
      (count) => count === 1,
    );
    expect(called).toBe(1);
    expect(Date.now() - started).toBeLessThan(400);
    expect(await answer).toBe(task?.taskId);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it('breaks the result links of one task only, bare and fresh, until the rule is removed', async () => {
    const broken = await createTask();
    const fine = await createTask();
    await settled(broken);
    await settled(fine);
    const rule = kie.fault({ route: 'result', kind: 'status', code: 503, taskId: broken });
    const fresh = await call('/api/v1/common/download-url', {
      body: { url: `${kie.url}/results/${broken}.mp4` },
    });
    expect((await fetch(`${kie.url}/results/${broken}.mp4`)).status).toBe(503);
    expect((await fetch(fresh.json.data)).status).toBe(503);
    expect((await fetch(`${kie.url}/results/${fine}.mp4`)).status).toBe(200);
    rule.remove();
    expect((await fetch(`${kie.url}/results/${broken}.mp4`)).status).toBe(200);
  });

  it('drops the connection', async () => {
    const rule = kie.fault({ route: 'upload', kind: 'drop' });
    await expect(call('/api/file-base64-upload', { body: { base64Data: 'aGk=' } })).rejects.toThrow();
    rule.remove();
    expect((await call('/api/file-base64-upload', { body: { base64Data: 'aGk=' } })).json.code).toBe(200);
  });

  it('answers code 200 with data of the wrong shape', async () => {
    kie.fault({ route: 'createTask', kind: 'wrong-shape' });
    const answer = await call('/api/v1/jobs/createTask', { body: soraBody() });
    expect(answer.json).toEqual({ code: 200, msg: 'success', data: { taskid: 1 } });
  });

  it('breaks result downloads and Kie’s own image fetch', async () => {
    kie.fault({ route: 'image-fetch', kind: 'status', times: 1 });
    kie.fault({ route: 'result', kind: 'status', code: 404, times: 1 });
    const failed = await createTask();
    expect((await settled(failed)).json.data.failMsg).toBe('Failed to fetch the image');
    const ok = await createTask();
    expect((await settled(ok)).json.data.state).toBe('success');
    const url = `${kie.url}/results/${ok}.mp4`;
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(url)).status).toBe(200);
    kie.clearFaults();
  });
});
