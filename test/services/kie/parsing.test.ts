import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_USER_AGENT } from '../../../src/services/kie/index.js';
import { type CannedHandler, envelope, startCannedServer, TEST_KEY, testClient } from './canned-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function serve(handler: CannedHandler) {
  const server = await startCannedServer(handler);
  const client = testClient(server.url);
  cleanups.push(() => client.close(), server.close);
  return { server, client };
}

const VIDEO = 'https://tempfile.aiquickdraw.com/v/abc/video.mp4';

function recordInfo(fields: Record<string, unknown>) {
  return envelope(200, 'success', {
    taskId: 'task_sora-2-image-to-video_1765184045509',
    model: 'sora-2-image-to-video',
    param: '{"model":"sora-2-image-to-video"}',
    ...fields,
  });
}

describe('createTask', () => {
  it('posts the documented body with auth and a User-Agent, and returns the taskId', async () => {
    const { server, client } = await serve(() => ({ body: envelope(200, 'success', { taskId: 'task_1' }) }));
    const input = { prompt: 'a cat', image_urls: ['https://x/cat.png'], n_frames: '10' };
    const result = await client.createTask(TEST_KEY, { model: 'sora-2-image-to-video', input });
    expect(result).toEqual({ taskId: 'task_1' });
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/api/v1/jobs/createTask');
    expect(req?.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(req?.headers['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(DEFAULT_USER_AGENT).toMatch(/^animate-bot\/\d+\.\d+\.\d+ \(\+self-hosted Discord bot\)$/);
    expect(JSON.parse(req?.body ?? '')).toEqual({ model: 'sora-2-image-to-video', input });
  });

  it('sends callBackUrl only when given, and a custom User-Agent when set', async () => {
    const server = await startCannedServer(() => ({ body: envelope(200, 'success', { taskId: 'task_2' }) }));
    const client = testClient(server.url, { userAgent: 'custom-agent/1' });
    cleanups.push(() => client.close(), server.close);
    await client.createTask(TEST_KEY, { model: 'm', input: {}, callBackUrl: 'https://bot.example/cb' });
    expect(JSON.parse(server.requests[0]?.body ?? '')).toMatchObject({
      callBackUrl: 'https://bot.example/cb',
    });
    expect(server.requests[0]?.headers['user-agent']).toBe('custom-agent/1');
  });
});

describe('getTask (recordInfo)', () => {
  it('parses resultJson, a JSON string, into result URLs', async () => {
    const { server, client } = await serve(() => ({
      body: recordInfo({
        state: 'success',
        resultJson: JSON.stringify({ resultUrls: [VIDEO], resultWaterMarkUrls: [] }),
        failCode: '',
        failMsg: '',
        costTime: 15230,
        createTime: 1765184045509,
        updateTime: 1765184060739,
        completeTime: 1765184060739,
        progress: 100,
        creditsConsumed: 3.0,
      }),
    }));
    const task = await client.getTask(TEST_KEY, 'task_sora-2-image-to-video_1765184045509');
    expect(task).toEqual({
      taskId: 'task_sora-2-image-to-video_1765184045509',
      model: 'sora-2-image-to-video',
      state: 'success',
      resultUrls: [VIDEO],
      failCode: null,
      failMsg: null,
      costTimeMs: 15230,
      createTime: 1765184045509,
      updateTime: 1765184060739,
      completeTime: 1765184060739,
      creditsConsumed: 3,
    });
    expect(server.requests[0]?.query.get('taskId')).toBe('task_sora-2-image-to-video_1765184045509');
  });

  it('coerces numeric strings and tolerates absent or null numbers', async () => {
    const { client } = await serve(() => ({
      body: recordInfo({
        state: 'generating',
        resultJson: null,
        createTime: '1765184045509',
        updateTime: null,
      }),
    }));
    const task = await client.getTask(TEST_KEY, 't');
    expect(task).toMatchObject({
      state: 'generating',
      resultUrls: [],
      costTimeMs: null,
      createTime: 1765184045509,
      updateTime: null,
      completeTime: null,
      failMsg: null,
      creditsConsumed: null,
    });
  });

  it.each([
    ['a float', 82.5, 82.5],
    ['a numeric string', '45.0', 45],
    ['zero (a refunded failure)', 0, 0],
    ['null', null, null],
    ['absent', undefined, null],
    ['empty', '', null],
    ['not a number', 'n/a', null],
    ['negative', -3, null],
  ])('reads creditsConsumed given as %s', async (_label, creditsConsumed, expected) => {
    const { client } = await serve(() => ({
      body: recordInfo({
        state: 'success',
        resultJson: JSON.stringify({ resultUrls: [VIDEO] }),
        ...(creditsConsumed === undefined ? {} : { creditsConsumed }),
      }),
    }));
    expect((await client.getTask(TEST_KEY, 't')).creditsConsumed).toBe(expected);
  });

  it('keeps failCode and failMsg of a failed task', async () => {
    const { client } = await serve(() => ({
      body: recordInfo({
        state: 'fail',
        resultJson: '',
        failCode: 400,
        failMsg: 'Image contains a real person',
      }),
    }));
    const task = await client.getTask(TEST_KEY, 't');
    expect(task).toMatchObject({ state: 'fail', failCode: '400', failMsg: 'Image contains a real person' });
  });

  it.each([
    ['null', null],
    ['empty', ''],
    ['not JSON', '{"resultUrls": ['],
    ['no URLs', '{"resultUrls": []}'],
    ['wrong type', '{"resultUrls": "https://x/v.mp4"}'],
  ])('throws a malformed-result error on success with resultJson %s', async (_label, resultJson) => {
    const { client } = await serve(() => ({ body: recordInfo({ state: 'success', resultJson }) }));
    const err = await client.getTask(TEST_KEY, 't').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'KieError', kind: 'malformed-result' });
    expect(err).toMatchObject({ kind: 'malformed-result', retryable: false });
  });

  it('rejects an unknown state as an unexpected answer', async () => {
    const { client } = await serve(() => ({ body: recordInfo({ state: 'exploded' }) }));
    await expect(client.getTask(TEST_KEY, 't')).rejects.toMatchObject({
      name: 'KieError',
      kind: 'unexpected-answer',
    });
  });
});

describe('credits, uploads and download links', () => {
  it('reads the credit balance as a number or a numeric string', async () => {
    const { client } = await serve((_req, i) => ({ body: envelope(200, 'success', i === 0 ? 100 : '42.5') }));
    expect(await client.getCredits(TEST_KEY)).toBe(100);
    expect(await client.getCredits(TEST_KEY)).toBe(42.5);
  });

  it('reads data.downloadUrl, falling back to data.fileUrl', async () => {
    const { server, client } = await serve((_req, i) => ({
      body: envelope(
        200,
        'File uploaded successfully',
        i === 0
          ? { fileName: 'a.png', downloadUrl: 'https://files.example/a.png', fileUrl: 'https://other/a.png' }
          : { fileName: 'b.png', downloadUrl: '', fileUrl: 'https://files.example/b.png' },
      ),
    }));
    const first = await client.uploadFromUrl(TEST_KEY, {
      fileUrl: 'https://cdn.discordapp.com/a.png',
      fileName: 'a.png',
    });
    expect(first).toEqual({ downloadUrl: 'https://files.example/a.png' });
    expect(server.requests[0]?.path).toBe('/api/file-url-upload');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      fileUrl: 'https://cdn.discordapp.com/a.png',
      fileName: 'a.png',
    });

    const second = await client.uploadStream(TEST_KEY, {
      data: Buffer.from('png-bytes'),
      fileName: 'b.png',
      contentType: 'image/png',
      uploadPath: 'animate',
    });
    expect(second).toEqual({ downloadUrl: 'https://files.example/b.png' });
    const multipart = server.requests[1];
    expect(multipart?.path).toBe('/api/file-stream-upload');
    expect(multipart?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(multipart?.body).toContain('filename="b.png"');
    expect(multipart?.body).toContain('png-bytes');
    expect(multipart?.body).toContain('name="uploadPath"');
  });

  it('rejects an upload answer without any URL', async () => {
    const { client } = await serve(() => ({ body: envelope(200, 'ok', { fileName: 'a.png' }) }));
    await expect(client.uploadFromUrl(TEST_KEY, { fileUrl: 'https://x/a.png' })).rejects.toMatchObject({
      name: 'KieError',
      kind: 'unexpected-answer',
    });
  });

  it('returns the fresh download link', async () => {
    const { server, client } = await serve(() => ({
      body: envelope(200, 'success', 'https://dl.example/v.mp4?sig=1'),
    }));
    expect(await client.getDownloadUrl(TEST_KEY, VIDEO)).toBe('https://dl.example/v.mp4?sig=1');
    expect(server.requests[0]?.path).toBe('/api/v1/common/download-url');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({ url: VIDEO });
  });

  it('uses the upload host for uploads and the API host for the rest', async () => {
    const api = await startCannedServer(() => ({ body: envelope(200, 'success', 1) }));
    const upload = await startCannedServer(() => ({
      body: envelope(200, 'ok', { downloadUrl: 'https://f/x' }),
    }));
    const client = testClient(`${api.url}/`, { uploadUrl: upload.url });
    cleanups.push(() => client.close(), api.close, upload.close);
    await client.getCredits(TEST_KEY);
    await client.uploadFromUrl(TEST_KEY, { fileUrl: 'https://x/a.png' });
    expect(api.requests.map((r) => r.path)).toEqual(['/api/v1/chat/credit']);
    expect(upload.requests.map((r) => r.path)).toEqual(['/api/file-url-upload']);
  });
});

describe('listModels (the model catalog)', () => {
  const seedance = {
    model: 'bytedance/seedance-2-mini',
    slug: 'bytedance-seedance-2-mini',
    title: 'Seedance 2 Mini',
    provider: 'ByteDance',
    taskType: ['Image to Video', 'Text to Video'],
    description: 'Fast, cheap video with audio',
    pricingDesc: '3.8 credits per second at 480p',
  };

  it('reads {total, models} inside the envelope, from GET /api/v1/models', async () => {
    const { server, client } = await serve(() => ({
      body: envelope(200, 'success', {
        total: 2,
        models: [seedance, { model: 'runway', taskType: 'Image%20to Video' }],
      }),
    }));
    expect(await client.listModels(TEST_KEY)).toEqual({
      total: 2,
      models: [
        {
          model: 'bytedance/seedance-2-mini',
          slug: 'bytedance-seedance-2-mini',
          title: 'Seedance 2 Mini',
          provider: 'ByteDance',
          taskTypes: ['Image to Video', 'Text to Video'],
          description: 'Fast, cheap video with audio',
          pricingDesc: '3.8 credits per second at 480p',
        },
        {
          model: 'runway',
          slug: null,
          title: null,
          provider: null,
          taskTypes: ['Image%20to Video'],
          description: null,
          pricingDesc: null,
        },
      ],
    });
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/api/v1/models' });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
  });

  it('reads a bare {total, models} body too (the doc shows no envelope)', async () => {
    const { client } = await serve(() => ({ body: { total: 1, models: [seedance] } }));
    const catalog = await client.listModels(TEST_KEY);
    expect(catalog.total).toBe(1);
    expect(catalog.models.map((m) => m.model)).toEqual(['bytedance/seedance-2-mini']);
  });

  it('takes the list length as total when Kie leaves total out, and an empty list as empty', async () => {
    const { client } = await serve((_req, i) => ({
      body: envelope(200, 'success', i === 0 ? { models: [seedance] } : { total: 0, models: [] }),
    }));
    expect((await client.listModels(TEST_KEY)).total).toBe(1);
    expect(await client.listModels(TEST_KEY)).toEqual({ total: 0, models: [] });
  });

  it('throws, without retrying, when Kie has no catalog (404)', async () => {
    const { server, client } = await serve(() => ({ status: 404, body: envelope(404, 'Not Found') }));
    await expect(client.listModels(TEST_KEY)).rejects.toMatchObject({ code: 404, retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a list with an entry it cannot read the id of, rather than miss a model', async () => {
    const { client } = await serve(() => ({
      body: envelope(200, 'success', { total: 2, models: [seedance, { title: 'Mystery' }] }),
    }));
    await expect(client.listModels(TEST_KEY)).rejects.toMatchObject({ kind: 'unexpected-answer' });
  });

  it('does not take a bare error body for a catalog', async () => {
    const { client } = await serve(() => ({ status: 404, body: { error: 'no such route' } }));
    await expect(client.listModels(TEST_KEY)).rejects.toMatchObject({ httpStatus: 404 });
  });

  it('keeps catalog calls of one key at least 1.1 s apart, whatever the other limits', async () => {
    const { server, client } = await serve((req) => ({
      body: envelope(200, 'success', req.path === '/api/v1/models' ? { total: 0, models: [] } : 100),
    }));
    await Promise.all([
      client.listModels(TEST_KEY),
      client.listModels(TEST_KEY),
      client.getCredits(TEST_KEY),
    ]);
    const catalog = server.requests.filter((r) => r.path === '/api/v1/models');
    expect(catalog).toHaveLength(2);
    expect((catalog[1]?.at ?? 0) - (catalog[0]?.at ?? 0)).toBeGreaterThanOrEqual(1100);
    // Another route does not wait for the catalog's budget.
    const credit = server.requests.find((r) => r.path === '/api/v1/chat/credit');
    expect((credit?.at ?? 0) - (catalog[0]?.at ?? 0)).toBeLessThan(1000);
  });
});
