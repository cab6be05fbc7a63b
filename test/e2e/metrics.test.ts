import { describe, expect, it } from 'vitest';
import { type Family, parsePrometheusText, sampleValue } from '../services/http/prometheus-text.js';
import { freePort } from '../support/bot-process.js';
import type { RestLogEntry } from '../support/discord/stand-in.js';
import { createWorld } from './harness.js';

/** Delivered jobs in the scripted run; one more job fails. */
const N = 3;

const isFinalEdit = (token: string) => (e: RestLogEntry) =>
  e.method === 'PATCH' &&
  e.route.startsWith('/webhooks/') &&
  e.route.includes(token) &&
  e.route.endsWith('/messages/@original') &&
  (e.files.length > 0 || /motion blur is not allowed/.test(JSON.stringify(e.json)));

const total = (families: Map<string, Family>, name: string, labels: Record<string, string>) =>
  (families.get(name)?.samples ?? [])
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);

describe('health and metrics end to end', () => {
  it('serves /healthz, /readyz and Prometheus /metrics whose counters match a scripted run', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const world = await createWorld(
      'sqlite',
      {},
      { botEnv: { HTTP_PORT: String(port) }, limits: { cooldownSeconds: 0, perMemberPerDay: null } },
    );
    await world.startBot();

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toStrictEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toStrictEqual({ status: 'ready' });

    const before = await fetch(`${base}/metrics`);
    expect(before.status).toBe(200);
    expect(before.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const empty = parsePrometheusText(await before.text());
    expect(sampleValue(empty, 'jobs_delivered_total', 'jobs_delivered_total')).toBe(0);
    expect(sampleValue(empty, 'ack_latency_seconds', 'ack_latency_seconds_count')).toBe(0);

    for (let i = 0; i < N; i += 1) {
      const interaction = world.animate({ prompt: `the cat waves, take ${i + 1}` });
      const edit = await world.discord.waitForRest(isFinalEdit(interaction.token), 20_000);
      expect(edit.files).toHaveLength(1);
    }
    world.kie.scriptNext({
      steps: [{ state: 'generating', ms: 50 }],
      outcome: { kind: 'fail', failCode: '500', failMsg: 'motion blur is not allowed' },
    });
    const failing = world.animate({ prompt: 'the cat blurs' });
    const failed = await world.discord.waitForRest(isFinalEdit(failing.token), 20_000);
    expect(failed.files).toHaveLength(0);

    // Counters move just after the Discord edit; wait until both endings are counted.
    let families = new Map<string, Family>();
    const deadline = Date.now() + 5_000;
    do {
      const response = await fetch(`${base}/metrics`);
      families = parsePrometheusText(await response.text());
      if (
        sampleValue(families, 'jobs_delivered_total', 'jobs_delivered_total') === N &&
        total(families, 'jobs_failed_total', {}) === 1
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } while (Date.now() < deadline);

    const counters = {
      delivered: sampleValue(families, 'jobs_delivered_total', 'jobs_delivered_total'),
      failed: families.get('jobs_failed_total')?.samples.map((s) => [s.labels, s.value]),
      createTaskOk: sampleValue(families, 'kie_calls_total', 'kie_calls_total', {
        route: 'createTask',
        code: '200',
      }),
      createTaskAll: total(families, 'kie_calls_total', { route: 'createTask' }),
      recordInfo: total(families, 'kie_calls_total', { route: 'recordInfo' }),
      // Kie's model catalog answers 404 here (the stand-in has none): that is "no catalog", not a fault.
      kieErrors:
        total(families, 'kie_errors_total', {}) - total(families, 'kie_errors_total', { route: 'models' }),
      acks: sampleValue(families, 'ack_latency_seconds', 'ack_latency_seconds_count'),
      deliveries: sampleValue(families, 'delivery_latency_seconds', 'delivery_latency_seconds_count'),
    };
    console.log('[metrics e2e] counters after the scripted run:', JSON.stringify(counters));
    expect(counters).toStrictEqual({
      delivered: N,
      failed: [[{ reason: 'job.failed.generation' }, 1]],
      createTaskOk: N + 1,
      createTaskAll: N + 1,
      recordInfo: world.kie.count('recordInfo'),
      kieErrors: 0,
      acks: N + 1,
      deliveries: N,
    });
    expect(world.kie.count('createTask')).toBe(N + 1);
    expect(counters.recordInfo).toBeGreaterThanOrEqual(N + 1);
    expect(families.get('jobs_delivered_total')?.type).toBe('counter');
    expect(families.get('ack_latency_seconds')?.type).toBe('histogram');
    expect(families.get('jobs_by_state')?.type).toBe('gauge');
    world.discord.assertNoViolations();
  });

  // The task ends ~0.1 s after createTask and the first poll comes 2.5 s after submission: the
  // figure must include that wait, which callbacks exist to remove.
  it('delivery_latency_seconds counts from the Kie task ending', async () => {
    const port = await freePort();
    const world = await createWorld('sqlite', {}, { botEnv: { HTTP_PORT: String(port) } });
    await world.startBot();
    const interaction = world.animate();
    const video = await world.discord.waitForRest(isFinalEdit(interaction.token), 20_000);
    const [task] = [...world.kie.tasks.values()];
    const realMs = video.at - (task?.completedAt ?? Number.NaN);
    let sumMs: number | undefined;
    const deadline = Date.now() + 5_000;
    while (sumMs === undefined && Date.now() < deadline) {
      const families = parsePrometheusText(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
      if (sampleValue(families, 'delivery_latency_seconds', 'delivery_latency_seconds_count') === 1)
        sumMs =
          (sampleValue(families, 'delivery_latency_seconds', 'delivery_latency_seconds_sum') ?? 0) * 1000;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.log(`[metrics e2e] task end → video: ${realMs} ms; delivery_latency_seconds_sum: ${sumMs} ms`);
    world.discord.assertNoViolations();
    expect(realMs).toBeGreaterThan(2_000);
    expect(sumMs).toBeGreaterThanOrEqual(realMs - 500);
  });

  it('with PUBLIC_URL, keeps /metrics off the public listener and serves it on METRICS_PORT', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const world = await createWorld(
      'sqlite',
      {},
      {
        botEnv: {
          HTTP_PORT: String(port),
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          METRICS_PORT: String(metricsPort),
        },
      },
    );
    await world.startBot();
    const interaction = world.animate();
    await world.discord.waitForRest(isFinalEdit(interaction.token), 20_000);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
    const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(scraped.status).toBe(200);
    const families = parsePrometheusText(await scraped.text());
    expect(
      sampleValue(families, 'kie_calls_total', 'kie_calls_total', { route: 'createTask', code: '200' }),
    ).toBe(1);
    world.discord.assertNoViolations();
  });
});
