import type { Charge } from '../budget/budget-ledger.js';
import type { JobRecord } from '../jobs/job-record.js';
import { estimateJob } from '../models/extend.js';
import { roundCredits } from '../models/options.js';
import type { ModelRegistry } from '../models/registry.js';

/**
 * What an ended job cost the server: Kie's `creditsConsumed` when it said, else nothing for a
 * job Kie never made a video of (never started, or its generation failed), else the bot's
 * estimate for the model it used, marked as such (a video delivered, or a task that may still
 * be running and paid for: expired, cancelled).
 */
export function chargeOf(job: JobRecord, models: ModelRegistry): Charge {
  if (job.creditsConsumed !== null) return { credits: job.creditsConsumed, estimated: false };
  if (job.status === 'failed' && (job.taskId === null || job.resultUrl === null))
    return { credits: 0, estimated: false };
  if (job.status === 'cancelled' && job.taskId === null) return { credits: 0, estimated: false };
  const model = models.get(job.model);
  const estimate = model ? estimateJob(model, job.options, job.extend) : undefined;
  return { credits: roundCredits(estimate ?? 0), estimated: true };
}
