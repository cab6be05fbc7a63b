// The delivery floor: each video streamed from Kie's result URL straight into a multipart edit of
// the reply on the same sink, all at once, holding nothing (no store, no job step, no progress
// edits, no whole-file buffer): the least time and memory moving the bytes can take here.
// Started by delivery.ts with BENCH_TARGETS_FILE and BENCH_SINK_API; sends one `result` over IPC.
import { readFile, writeFile } from 'node:fs/promises';
import { get, request } from 'node:http';
import { memoryOf, sleep } from './report.js';

const targets = JSON.parse(await readFile(process.env.BENCH_TARGETS_FILE ?? '', 'utf8')) as Array<{
  url: string;
  app: string;
  token: string;
}>;
const api = process.env.BENCH_SINK_API ?? '';
const boundary = 'bench-floor-boundary';
const head = Buffer.from(
  `--${boundary}\r\nContent-Disposition: form-data; name="payload_json"\r\nContent-Type: application/json\r\n\r\n` +
    `{"attachments":[{"id":"0","filename":"video.mp4"}]}\r\n--${boundary}\r\n` +
    'Content-Disposition: form-data; name="files[0]"; filename="video.mp4"\r\nContent-Type: video/mp4\r\n\r\n',
);
const tail = Buffer.from(`\r\n--${boundary}--\r\n`);

/** node:http both ways, `pipe` between them: backpressure keeps only socket buffers in memory. */
function deliver(target: { url: string; app: string; token: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    get(target.url, (download) => {
      if (download.statusCode !== 200) return reject(new Error(`download: HTTP ${download.statusCode}`));
      const upload = request(
        `${api}/v10/webhooks/${target.app}/${target.token}/messages/@original`,
        { method: 'PATCH', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } },
        (answer) => {
          answer.resume();
          answer.on('end', () =>
            answer.statusCode === 200
              ? resolve(Date.now())
              : reject(new Error(`upload: ${answer.statusCode}`)),
          );
        },
      );
      upload.on('error', reject);
      upload.write(head);
      download.pipe(upload, { end: false });
      download.on('end', () => upload.end(tail));
    }).on('error', reject);
  });
}

// Warm: the code paths once, with a HEAD request and a tiny upload, before the baseline.
const first = targets[0];
if (first) {
  await (await fetch(first.url, { method: 'HEAD' })).arrayBuffer();
  await (
    await fetch(`${api}/v10/webhooks/${first.app}/floor-warm-up/messages/@original`, {
      method: 'PATCH',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: Buffer.concat([head, Buffer.alloc(1024), tail]),
    })
  ).arrayBuffer();
}
await sleep(2000);
await writeFile('/proc/self/clear_refs', '5').catch(() => undefined);
const baseline = memoryOf('self')?.rss ?? 0;
const startedAt = Date.now();
const ends = await Promise.all(targets.map(deliver));
process.send?.({ result: { startedAt, ends, baseline, peak: memoryOf('self')?.peak ?? 0 } }, () =>
  process.exit(0),
);
