import type { Keyv } from 'keyv';
import type { BudgetLedger } from './budget/budget-ledger.js';
import type { Config } from './config.js';
import type { SealedBox } from './crypto/sealed-box.js';
import type { ReplyEditor } from './discord/reply-editor.js';
import type { DraftStore } from './jobs/draft-store.js';
import type { JobStore } from './jobs/job-store.js';
import type { JobTracker } from './jobs/job-tracker.js';
import type { MessageForms } from './jobs/message-forms.js';
import type { ReceiptStore } from './jobs/receipts.js';
import type { JobSubmitter } from './jobs/submit-job.js';
import type { TakeGroups } from './jobs/take-groups.js';
import type { VideoLinks } from './jobs/video-links.js';
import type { KieClient } from './kie/index.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { ModelAvailability } from './models/availability.js';
import type { ModelRegistry } from './models/registry.js';
import type { Blocklist } from './moderation/moderation.js';
import type { EtaBook } from './quota/eta-book.js';
import type { JobMessages } from './render/job-messages.js';
import type { SettingsStore } from './settings/settings-store.js';
import type { Guardrails } from './setup/guardrails.js';
import type { SetupService } from './setup/setup-service.js';
import type { UsageLog } from './usage/usage-log.js';

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
