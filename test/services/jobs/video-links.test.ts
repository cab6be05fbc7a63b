import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { SealedBox } from '../../../src/services/crypto/sealed-box.js';
import type { JobRecord } from '../../../src/services/jobs/job-record.js';
import { DOWNLOAD_LINK_TTL_MS, VideoLinks } from '../../../src/services/jobs/video-links.js';
import { KieClient } from '../../../src/services/kie/index.js';
import { SettingsStore } from '../../../src/services/settings/settings-store.js';
import { openKeyv } from '../../../src/services/store/open-keyv.js';
import { makePendingJob } from '../../support/jobs.js';
import { type KieStandIn, startKieStandIn } from '../../support/kie/stand-in.js';

const GUILD = '1100000000000000001';
const OLD_KEY = 'kie-old-key-0001';
const NEW_KEY = 'kie-new-key-0002';
const logger = pino({ level: 'silent' });

describe('VideoLinks', () => {
  let kie: KieStandIn | undefined;
  let client: KieClient | undefined;
  afterEach(async () => {
    await client?.close();
    await kie?.close();
  });

  async function setup() {
    kie = await startKieStandIn({ keys: { [OLD_KEY]: 100, [NEW_KEY]: 100 } });
    client = new KieClient({
      apiUrl: kie.url,
      uploadUrl: kie.url,
      timeoutMs: 5_000,
      logger,
      retry: { retries: 1, minTimeoutMs: 10, maxTimeoutMs: 20 },
    });
    const settings = new SettingsStore(openKeyv('sqlite://:memory:'), new SealedBox(randomBytes(32)), logger);
    let clock = Date.now();
    const links = new VideoLinks({ kie: client, settings, logger, now: () => clock });
    const job = (overrides: Partial<JobRecord> = {}) =>
      ({
        ...makePendingJob({ guildId: GUILD, kieKeySealed: settings.sealKieKey(GUILD, OLD_KEY) }),
        resultUrl: `${kie?.url}/results/task-1.mp4`,
        ...overrides,
      }) as JobRecord;
    return { kie, settings, links, job, advance: (ms: number) => (clock += ms) };
  }

  it('asks Kie once for a burst of presses, and again once the link has less than 15 minutes left', async () => {
    const { kie, links, job } = await setup();
    const video = job();
    const first = await links.linkTo(video);
    expect(first).toMatchObject({ fresh: true, url: expect.stringContaining('token=') });
    if (!first.fresh) return;
    expect(first.expiresAt - Date.now()).toBeLessThanOrEqual(DOWNLOAD_LINK_TTL_MS);
    for (let press = 0; press < 5; press += 1) expect(await links.linkTo(video)).toEqual(first);
    expect(kie.count('download-url')).toBe(1);
    expect(kie.requests.find((r) => r.route === 'download-url')?.apiKey).toBe(OLD_KEY);
  });

  it('renews a link about to lapse', async () => {
    const { kie, links, job, advance } = await setup();
    const video = job();
    await links.linkTo(video);
    advance(6 * 60_000);
    const renewed = await links.linkTo(video);
    expect(kie.count('download-url')).toBe(2);
    expect(renewed.fresh).toBe(true);
  });

  it('uses the server’s new key when the job’s own was revoked, and the stored link when Kie gives none', async () => {
    const { kie, settings, links, job } = await setup();
    kie.removeKey(OLD_KEY);
    await settings.setKieKey(GUILD, NEW_KEY, GUILD);
    expect(await links.linkTo(job({ id: 'aaaaaaaa01' }))).toMatchObject({ fresh: true });
    expect(kie.requests.filter((r) => r.route === 'download-url').map((r) => r.apiKey)).toEqual([
      OLD_KEY,
      NEW_KEY,
    ]);

    kie.fault({ route: 'download-url', kind: 'status', code: 422, msg: 'url not supported', times: 10 });
    const stored = `${kie.url}/results/task-2.mp4`;
    expect(await links.linkTo(job({ id: 'aaaaaaaa02', resultUrl: stored }))).toEqual({
      fresh: false,
      url: stored,
    });
  });

  it('has nothing to open for a job that made no video', async () => {
    const { links, job } = await setup();
    await expect(links.linkTo(job({ resultUrl: null }))).rejects.toMatchObject({ key: 'video.none' });
  });
});
