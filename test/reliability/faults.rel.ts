import { runFaultCases } from './case-runner.js';
import { discordFaultCases } from './discord-fault-cases.js';
import type { FaultCase } from './fault-case.js';
import { KIE_TIMEOUT_MS, kieFaultCases, MAX_VIDEO_BYTES } from './kie-fault-cases.js';
import { orphanTasks } from './outcomes.js';
import { SectionReport } from './report.js';

const kieReport = new SectionReport('2 Kie faults');
const discordReport = new SectionReport('3 Discord faults');
/** A few seconds of generation, so faults land on polling and delivery as well as on submission. */
const QUICK = {
  steps: [
    { state: 'queuing' as const, ms: 300 },
    { state: 'generating' as const, ms: 2_500 },
  ],
  outcome: { kind: 'success' as const },
};

const MISNAMED_FAILURE = {
  id: 'F-D3',
  title:
    'a job Discord refused on every route is stored as “The video was made but could not be downloaded (discord refused every route)”',
  where:
    'src/services/jobs/job-step.ts deliver(): after MAX_DELIVERY_ATTEMPTS every delivery failure becomes job.failed.download',
  detail:
    'The download worked; Discord refused the reply, the edit and the post. The stored reason (shown by /animate-jobs and in any later edit) points the member and the admin at Kie instead of the channel or the bot’s permissions. A key such as job.failed.discord would say it.',
};

runFaultCases({
  title: 'Kie and Discord faults, one guild per case, all in one bot',
  cases: [...kieFaultCases, ...discordFaultCases],
  reports: [kieReport, discordReport],
  reportOf: (c: FaultCase) => (c.id.startsWith('K') ? kieReport : discordReport),
  world: {
    kie: { script: QUICK },
    botEnv: {
      KIE_TIMEOUT_MS: String(KIE_TIMEOUT_MS),
      JOB_DEADLINE_MINUTES: '1',
      MAX_VIDEO_BYTES: String(MAX_VIDEO_BYTES),
      // The production default: @discordjs/rest retries 5xx and network errors 3 times.
      DISCORD_REST_RETRIES: '3',
    },
  },
  check: (_, __, outcome) => {
    const misnamed = outcome.jobs.find(
      (job) =>
        job.failure?.key === 'job.failed.download' &&
        job.failure.params.reason === 'discord refused every route',
    );
    if (misnamed) discordReport.finding(MISNAMED_FAILURE);
  },
  finish: (world, jobs) => {
    const orphans = orphanTasks(world.kie.tasks.keys(), jobs);
    kieReport.orphans = orphans.length;
    kieReport.note(
      `orphan Kie tasks: ${orphans.length} — a createTask that timed out at the bot but that Kie still carried out (K8): the bot says it cannot tell whether the job started and does not repeat it, so the member is not charged twice but this one task is paid and never fetched.`,
    );
  },
});
