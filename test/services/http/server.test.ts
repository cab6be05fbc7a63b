import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/app/logger.js';
import { Metrics } from '../../../src/app/metrics.js';
import { startHttpServer } from '../../../src/services/http/index.js';
import { startTestServer, type TestServer } from './harness.js';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('health', () => {
  it('answers /healthz with 200 while the process is up, even when nothing is ready', async () => {
    server = await startTestServer({
      health: { discordReady: () => false, storeReachable: async () => false },
    });
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('answers /readyz with 200 when Discord is ready and the store answers', async () => {
    server = await startTestServer();
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  it('answers /readyz with 503 naming Discord when the client is not ready', async () => {
    server = await startTestServer({ health: { discordReady: () => false } });
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'not ready', notReady: ['discord'] });
  });

  it('counts a store check that throws or hangs as not ready', async () => {
    server = await startTestServer({
      health: {
        storeReachable: async () => {
          throw new Error('ECONNREFUSED');
        },
      },
    });
    let res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'not ready', notReady: ['store'] });
    await server.close();

    const hanging = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger: createLogger('silent'),
      metrics: new Metrics({ defaultMetrics: false }),
      health: { discordReady: () => false, storeReachable: () => new Promise<boolean>(() => {}) },
      storeCheckTimeoutMs: 50,
    });
    server = undefined;
    try {
      const started = Date.now();
      res = await fetch(`${hanging.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'not ready', notReady: ['discord', 'store'] });
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await hanging.close();
    }
  });
});

describe('routing', () => {
  it('answers unknown paths with 404 and other methods on known paths with 405', async () => {
    server = await startTestServer();
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    const post = await fetch(`${server.url}/healthz`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers HEAD on /healthz without a body', async () => {
    server = await startTestServer();
    const res = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('refuses a body over the cap on any route with 413', async () => {
    server = await startTestServer();
    const res = await fetch(`${server.url}/healthz`, { method: 'POST', body: Buffer.alloc(100 * 1024) });
    expect(res.status).toBe(413);
  });

  it('mounts no callback route when callbacks are not configured', async () => {
    server = await startTestServer({ callbacks: false });
    const res = await fetch(`${server.url}/kie/callback/${'a'.repeat(43)}`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });

  it('refuses to start on a port already taken', async () => {
    server = await startTestServer();
    const port = Number(new URL(server.url).port);
    await expect(
      startHttpServer({
        host: '127.0.0.1',
        port,
        logger: createLogger('silent'),
        metrics: new Metrics({ defaultMetrics: false }),
        health: { discordReady: () => true, storeReachable: async () => true },
      }),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('/metrics', () => {
  it('serves Prometheus text whose counters match what was counted', async () => {
    server = await startTestServer({ callbacks: false });
    const { metrics } = server;
    metrics.countKieCall('createTask', 200);
    metrics.countKieCall('createTask', 200);
    metrics.countKieCall('recordInfo', 200);
    metrics.countKieCall('createTask', 429);
    metrics.countKieError('createTask', 429);
    metrics.countDelivered();
    metrics.countFailed('jobs.failed.generation');
    metrics.countFailed('jobs.failed.generation');
    metrics.setJobsByState({ running: 3, delivering: 1 });
    metrics.observeAck(120);
    metrics.observeAck(2500);
    metrics.observeDelivery(4000);
    metrics.observePollLag(30);

    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const families = parsePrometheusText(text);

    const types = Object.fromEntries([...families.values()].map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      jobs_by_state: 'gauge',
      kie_calls_total: 'counter',
      kie_errors_total: 'counter',
      ack_latency_seconds: 'histogram',
      delivery_latency_seconds: 'histogram',
      poll_lag_seconds: 'histogram',
      jobs_delivered_total: 'counter',
      jobs_failed_total: 'counter',
      kie_callbacks_total: 'counter',
    });
    expect(text).toContain('# TYPE kie_calls_total counter\n');

    const value = (family: string, sample: string, labels?: Record<string, string>) =>
      sampleValue(families, family, sample, labels);
    expect(value('kie_calls_total', 'kie_calls_total', { route: 'createTask', code: '200' })).toBe(2);
    expect(value('kie_calls_total', 'kie_calls_total', { route: 'createTask', code: '429' })).toBe(1);
    expect(value('kie_calls_total', 'kie_calls_total', { route: 'recordInfo', code: '200' })).toBe(1);
    expect(value('kie_errors_total', 'kie_errors_total', { route: 'createTask', code: '429' })).toBe(1);
    expect(value('jobs_delivered_total', 'jobs_delivered_total')).toBe(1);
    expect(value('jobs_failed_total', 'jobs_failed_total', { reason: 'jobs.failed.generation' })).toBe(2);
    expect(value('jobs_by_state', 'jobs_by_state', { state: 'running' })).toBe(3);
    expect(value('jobs_by_state', 'jobs_by_state', { state: 'pending' })).toBe(0);
    expect(value('ack_latency_seconds', 'ack_latency_seconds_count')).toBe(2);
    expect(value('ack_latency_seconds', 'ack_latency_seconds_sum')).toBeCloseTo(2.62);
    expect(value('ack_latency_seconds', 'ack_latency_seconds_bucket', { le: '0.25' })).toBe(1);
    expect(value('ack_latency_seconds', 'ack_latency_seconds_bucket', { le: '3' })).toBe(2);
    expect(value('delivery_latency_seconds', 'delivery_latency_seconds_bucket', { le: '5' })).toBe(1);
    expect(value('poll_lag_seconds', 'poll_lag_seconds_bucket', { le: '0.05' })).toBe(1);
  });

  it('is not served on the listener that carries the public callback route (PUBLIC_URL)', async () => {
    server = await startTestServer();
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(server.lines.map((line) => line.msg)).toContain(
      '/metrics is not served on the public callback listener; set METRICS_PORT to scrape it',
    );
  });

  it('is served on METRICS_PORT alone when set, and nothing else is there', async () => {
    for (const callbacks of [undefined, false] as const) {
      server = await startTestServer({ metricsPort: 0, ...(callbacks === false ? { callbacks } : {}) });
      server.metrics.countDelivered();
      const metricsUrl = server.metricsUrl ?? '';
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(metricsUrl).not.toBe(server.url);
      const res = await fetch(`${metricsUrl}/metrics`);
      expect(res.status).toBe(200);
      const families = parsePrometheusText(await res.text());
      expect(sampleValue(families, 'jobs_delivered_total', 'jobs_delivered_total')).toBe(1);
      expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${metricsUrl}/healthz`)).status).toBe(404);
      const callback = await fetch(`${metricsUrl}/kie/callback/${'a'.repeat(43)}`, {
        method: 'POST',
        body: '{}',
      });
      expect(callback.status).toBe(404);
      await server.close();
      server = undefined;
      await expect(fetch(`${metricsUrl}/metrics`)).rejects.toThrow();
    }
  });

  it('labels Kie calls with a code from a fixed set: anything else is "other"', async () => {
    server = await startTestServer({ callbacks: false });
    const { metrics } = server;
    metrics.countKieCall('recordInfo', 200);
    metrics.countKieCall('createTask', 433);
    metrics.countKieCall('createTask', 'timeout');
    for (let i = 0; i < 50; i += 1) {
      metrics.countKieCall('createTask', 600 + i);
      metrics.countKieError('createTask', `<script>${i}</script>`);
    }
    const families = parsePrometheusText(await (await fetch(`${server.url}/metrics`)).text());
    const codes = (name: string) =>
      (families.get(name)?.samples ?? []).map((sample) => [
        sample.labels.route,
        sample.labels.code,
        sample.value,
      ]);
    expect(codes('kie_calls_total')).toEqual([
      ['recordInfo', '200', 1],
      ['createTask', '433', 1],
      ['createTask', 'timeout', 1],
      ['createTask', 'other', 50],
    ]);
    expect(codes('kie_errors_total')).toEqual([['createTask', 'other', 50]]);
  });

  it('keeps each instance on its own registry, with Node process metrics', async () => {
    const a = new Metrics();
    const b = new Metrics();
    a.countDelivered();
    const families = parsePrometheusText((await b.render()).body);
    expect(sampleValue(families, 'jobs_delivered_total', 'jobs_delivered_total')).toBe(0);
    expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(families.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
  });
});
