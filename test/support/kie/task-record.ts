import type { StandInTask, TaskOutcome, TaskScript, TaskState } from './types.js';

type Ending = { at: number; outcome: TaskOutcome };

/**
 * A task whose state is read off the clock: the script's steps from `createdAt`, then its outcome.
 * `onEnd` runs once when the end is first noticed (by a read or by the end timer).
 */
export class TaskRecord implements StandInTask {
  callBackUrl?: string;
  progressCallBackUrl?: string;
  completedAt: number | null = null;
  resultUrls: string[] = [];
  failCode: string | null = null;
  failMsg: string | null = null;
  imageFetch?: StandInTask['imageFetch'];
  /** The resultUrls link has died (expireResultLinks); download-url links still reach the file. */
  resultLinkExpired = false;
  /** Set once the task has ended (or been pinned by finish(…, never)). */
  ending?: Ending;
  pinnedAt?: number;

  constructor(
    readonly taskId: string,
    readonly model: string,
    readonly input: Record<string, unknown>,
    readonly request: Record<string, unknown>,
    readonly apiKey: string,
    readonly createdAt: number,
    public script: TaskScript,
    readonly cost: number,
    private readonly onEnd: (task: TaskRecord) => void,
  ) {}

  /** When the script ends the task, or undefined for `never`. */
  get scriptedEnd(): number | undefined {
    if (this.script.outcome.kind === 'never') return undefined;
    return this.createdAt + this.script.steps.reduce((sum, step) => sum + step.ms, 0);
  }

  get state(): TaskState {
    return this.timeline(Date.now()).state;
  }

  get updatedAt(): number {
    return this.timeline(Date.now()).since;
  }

  get ended(): boolean {
    return this.ending !== undefined && this.ending.outcome.kind !== 'never';
  }

  get outcome(): TaskOutcome | undefined {
    return this.ended ? this.ending?.outcome : undefined;
  }

  /** Ends the task now with `outcome` unless it already ended; `never` pins it to generating. */
  end(outcome: TaskOutcome, at = Date.now()): void {
    if (this.ended) return;
    if (outcome.kind === 'never') {
      this.pinnedAt = at;
      this.ending = { at, outcome };
      return;
    }
    this.ending = { at, outcome };
    this.completedAt = at;
    if (outcome.kind === 'fail') {
      this.failCode = outcome.failCode;
      this.failMsg = outcome.failMsg;
    }
    this.onEnd(this);
  }

  private timeline(now: number): { state: TaskState; since: number } {
    if (this.ending) {
      const { at, outcome } = this.ending;
      if (outcome.kind === 'never') return { state: 'generating', since: at };
      return { state: outcome.kind, since: at };
    }
    let since = this.createdAt;
    for (const step of this.script.steps) {
      if (now < since + step.ms) return { state: step.state, since };
      since += step.ms;
    }
    if (this.script.outcome.kind === 'never') {
      const last = this.script.steps.at(-1);
      return { state: 'generating', since: last?.state === 'generating' ? since - last.ms : since };
    }
    // The end timer may run late; a read past the scripted end ends the task at its scripted time.
    this.end(this.script.outcome, since);
    return this.timeline(now);
  }
}
