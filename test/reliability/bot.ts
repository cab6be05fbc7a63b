import { BotProcess, type LogLine } from '../support/bot-process.js';

/**
 * The real entry point as one process (test/support/bot-process.ts), and whether it ended on
 * its own: any exit the suite did not cause is a crash.
 */
export class RelBot {
  readonly process: BotProcess;
  readonly startedAt = Date.now();
  #stoppedByUs = false;

  constructor(env: Record<string, string | undefined>) {
    this.process = new BotProcess(env).start();
  }

  get logs(): LogLine[] {
    return this.process.logs;
  }

  /** undefined while running; the exit code, or null when ended by a signal. */
  get exitCode(): number | null | undefined {
    return this.process.exitCode;
  }

  get crashed(): boolean {
    return this.process.exitCode !== undefined && !this.#stoppedByUs;
  }

  waitForLog(match: (line: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> {
    return this.process.waitForLog(match, timeoutMs);
  }

  waitForMessage(msg: string, timeoutMs?: number): Promise<LogLine> {
    return this.process.waitForMessage(msg, timeoutMs);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.#stoppedByUs = true;
    await this.process.stop(signal);
  }
}
