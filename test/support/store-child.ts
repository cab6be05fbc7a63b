// Run as its own process by the store tests: `tsx store-child.ts <storeUrl> <namespace> <write|resume> <guildId> [jobJson]`.
import { pino } from 'pino';
import { JobStore } from '../../src/services/jobs/job-store.js';
import { openKeyv } from '../../src/services/store/open-keyv.js';
import { putJob } from './jobs.js';

const [storeUrl = '', namespace, command, guildId = '', jobJson] = process.argv.slice(2);
const keyv = openKeyv(storeUrl, { namespace });
const store = new JobStore(keyv, pino({ level: 'silent' }));

if (command === 'write' && jobJson) {
  await putJob(store, JSON.parse(jobJson));
} else if (command === 'resume') {
  const active = await store.listActive(guildId);
  for (const job of active) {
    if (job.status === 'pending') {
      await putJob(store, { ...job, status: 'submitted', taskId: 'task_resumed', submittedAt: Date.now() });
    }
  }
  process.stdout.write(JSON.stringify(active.map((job) => job.id)));
}
await keyv.disconnect();
