import { translate } from '../../src/services/i18n/index.js';
import type { LogLine } from '../support/bot-process.js';
import type { Interaction } from '../support/discord/stand-in.js';
import type { Outcome, OutcomeKind } from './outcomes.js';
import type { Finding } from './report.js';
import type { AnimateArgs, RelGuild, RelWorld } from './world.js';

export interface CaseContext {
  world: RelWorld;
  guild: RelGuild;
  /** Set as soon as the command is sent (matchers run later, at request time). */
  interaction?: Interaction;
}

/** One injected fault: its own guild, key and channel, so its requests and outcome are its own. */
export interface FaultCase {
  id: string;
  name: string;
  /** Faulty answers, refusals or sabotaged objects the case injects. */
  faults: number;
  animate?: Partial<AnimateArgs>;
  /** Send the interaction as if created this long ago (its 15-minute token nearly spent). */
  tokenAgeMs?: number;
  /** Installs the faults before the command is sent. */
  arm?(ctx: CaseContext): void;
  /** Runs once Kie has accepted the case's task. */
  onTask?(ctx: CaseContext, taskId: string): void;
  /** Runs once the reply shows the queued status. */
  onQueued?(ctx: CaseContext): void;
  expect: {
    kind: OutcomeKind;
    via?: Outcome['via'];
    /** Words the member must get (contained in the last text). */
    text?: string;
    /** The job record's final status (none when the command was refused before a record). */
    status?: string;
    /** A log line that says what happened. */
    log?: (line: LogLine) => boolean;
    /**
     * The video is made but cannot reach the member yet: the case ends once its job has failed
     * this many delivery attempts and is still `delivering` (the bot keeps trying for two hours,
     * then fails with the link and a "Try delivery again" button). Such a job is not lost.
     */
    retries?: number;
  };
  /** Upper bounds on requests at the Kie stand-in for this case, by route. */
  bounds?: Partial<Record<'createTask' | 'recordInfo' | 'upload' | 'result' | 'download-url', number>>;
  /** A bug this case shows: the test is marked as failing while it stands. */
  finding?: Finding;
  /**
   * Kie made a video it can serve: the member getting neither the video nor its link counts as a
   * lost job, whatever they were told (by default only an interaction that never ended is lost).
   */
  deliverable?: boolean;
  /** How long the case may take to end, when longer than its section's default. */
  timeoutMs?: number;
  /** Checks of the case's own, after the common ones. */
  check?(ctx: CaseContext, outcome: Outcome): void | Promise<void>;
}

export const en = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
  translate('en-US', key, params);

export const msgIs =
  (...msgs: string[]) =>
  (line: LogLine) =>
    msgs.includes(line.msg);

const POLICY_REASON = 'The image violates the content policy';
/** Kie fails a task under its content policy, and the words the member then gets. */
export const CONTENT_POLICY = {
  outcome: { kind: 'fail', failCode: '400', failMsg: POLICY_REASON },
  text: en('job.failed.contentPolicy', { reason: POLICY_REASON }),
} as const;
