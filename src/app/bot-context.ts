import type { Keyv } from 'keyv';
import type { AuditLog } from '../services/audit/audit-log.js';
import type { BudgetLedger } from '../services/budget/budget-ledger.js';
import type { SealedBox } from '../services/crypto/sealed-box.js';
import type { ReplyEditor } from '../services/discord/reply-editor.js';
import type { DraftStore } from '../services/jobs/draft-store.js';
import type { JobStore } from '../services/jobs/job-store.js';
import type { JobTracker } from '../services/jobs/job-tracker.js';
import type { MessageForms } from '../services/jobs/message-forms.js';
import type { ReceiptStore } from '../services/jobs/receipts.js';
import type { JobSubmitter } from '../services/jobs/submit-job.js';
import type { TakeGroups } from '../services/jobs/take-groups.js';
import type { VideoLinks } from '../services/jobs/video-links.js';
import type { KieClient } from '../services/kie/index.js';
import type { Guardrails } from '../services/limits/guardrails.js';
import type { ModelAvailability } from '../services/models/availability.js';
import type { ModelRegistry } from '../services/models/registry.js';
import type { Blocklist } from '../services/moderation/moderation.js';
import type { EtaBook } from '../services/quota/eta-book.js';
import type { JobMessages } from '../services/render/job-messages.js';
import type { SettingsStore } from '../services/settings/settings-store.js';
import type { SetupService } from '../services/setup/setup-service.js';
import type { UsageLog } from '../services/usage/usage-log.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/** Everything a command or event handler may use, built once by the composition root. */
export interface BotContext {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  box: SealedBox;
  jobs: JobStore;
  drafts: DraftStore;
  /** Images "Animate" took from a message, waiting for the member's form. */
  forms: MessageForms;
  receipts: ReceiptStore;
  settings: SettingsStore;
  setup: SetupService;
  kie: KieClient;
  models: ModelRegistry;
  availability: ModelAvailability;
  submitter: JobSubmitter;
  /** The server's limits, read only here (/animate-quota); the submitter holds places. */
  guardrails: Guardrails;
  /** The server's history of Kie's times, for expected ends. */
  eta: EtaBook;
  /** Each server's spending against its monthly budget (the audit log listens for its 80 % warning). */
  ledger: BudgetLedger;
  /** Each server's finished jobs, for /animate-setup usage. */
  usage: UsageLog;
  /** The server's blocklist, as admins edit it. */
  blocklist: Blocklist;
  /** The server's audit log channel (jobs' ends, admin changes, refusals). */
  audit: AuditLog;
  /** Fresh links to finished videos (Open video). */
  videoLinks: VideoLinks;
  tracker: JobTracker;
  replies: ReplyEditor;
  messages: JobMessages;
  /** The replies several takes share (their edits run one at a time). */
  takes: TakeGroups;
  /** Small bot-wide records (e.g. the hash of the registered commands). */
  commandState: Keyv;
  isShuttingDown(): boolean;
  /** Throws a UserFacingError ("try again shortly") when the store does not answer quickly. */
  checkStore(): Promise<void>;
}
