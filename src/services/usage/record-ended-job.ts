import type { Logger } from 'pino';
import type { BudgetLedger } from '../budget/budget-ledger.js';
import type { JobRecord } from '../jobs/job-record.js';
import type { ModelRegistry } from '../models/registry.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { chargeOf } from './job-charge.js';
import { type UsageLog, usageEntryOf } from './usage-log.js';

export interface EndedJobDeps {
  settings: SettingsStore;
  ledger: BudgetLedger;
  usage: UsageLog;
  models: ModelRegistry;
  logger: Logger;
  now?: () => number;
}

/**
 * What happens once a job ended (JobStore's end listener): its budget hold becomes what Kie
 * charged, and the server's usage log gets its entry. Never throws: a job's end is recorded
 * whatever the ledger does; a failure is logged with the job.
 */
export function createEndedJobRecorder(deps: EndedJobDeps): (job: JobRecord) => Promise<void> {
  const now = deps.now ?? Date.now;
  return async (job) => {
    const charge = chargeOf(job, deps.models);
    try {
      const { budget } = await deps.settings.get(job.guildId);
      await deps.ledger.settle(job, budget, charge);
    } catch (error) {
      deps.logger.error(
        { err: error, guildId: job.guildId, jobId: job.id },
        'job’s charge not counted in the budget',
      );
    }
    try {
      const entry = usageEntryOf(job, charge, now());
      if (entry) await deps.usage.record(job.guildId, entry);
    } catch (error) {
      deps.logger.error(
        { err: error, guildId: job.guildId, jobId: job.id },
        'job not recorded in the usage log',
      );
    }
  };
}
