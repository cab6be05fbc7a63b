import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { parse } from 'dotenv';
import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess, TSX_LOADER } from '../support/bot-process.js';
import { type DiscordStandIn, startDiscordStandIn } from '../support/discord/stand-in.js';

/** View Channel 1024 + Send Messages 2048 + Embed Links 16384 + Attach Files 32768 + Read Message History 65536. */
const INVITE_PERMISSIONS = '117760';
const MISSING_TOKEN =
  'DISCORD_TOKEN is not set. Run `npm start` in a terminal for guided setup, or copy .env.example to .env and fill in DISCORD_TOKEN.';

/**
 * The real entry point in a pseudo-terminal, through util-linux `script`: the test writes keys to
 * script's stdin and reads the terminal's output, as a person at a keyboard would.
 */
class TerminalSession {
  raw = '';
  #cursor = 0;
  #child: ChildProcess;
  #exit: Promise<number | null>;

  constructor(env: Record<string, string>, cwd: string) {
    // A wide terminal, so the prompt library never wraps a line the test reads.
    const command = 'stty cols 200 rows 50; exec "$NODE_BIN" --import "$TSX_LOADER" "$BOT_ENTRY"';
    this.#child = spawn('script', ['--quiet', '--flush', '--return', '--command', command, '/dev/null'], {
      cwd,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        SHELL: '/bin/sh',
        TERM: 'xterm-256color',
        NODE_BIN: process.execPath,
        TSX_LOADER,
        BOT_ENTRY: path.resolve('src/index.ts'),
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#child.stdout?.on('data', (chunk: Buffer) => {
      this.raw += chunk.toString();
    });
    this.#exit = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
  }

  /** The screen's text so far, without colours and cursor moves. */
  get text(): string {
    return stripVTControlCharacters(this.raw);
  }

  /** Waits for `pattern` after the previous match, so a repeated prompt is seen as new. */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.text;
      const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(text.slice(this.#cursor));
      if (match) {
        this.#cursor += match.index + match[0].length;
        return match;
      }
      if (Date.now() > deadline || this.#child.exitCode !== null) {
        throw new Error(`terminal never showed ${pattern}; it shows:\n${text.slice(-3000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  type(keys: string): void {
    this.#child.stdin?.write(keys);
  }

  exited(): Promise<number | null> {
    return this.#exit;
  }

  async kill(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGKILL');
    await this.#exit;
  }
}

let discord: DiscordStandIn | undefined;
let terminal: TerminalSession | undefined;
let bot: BotProcess | undefined;

afterEach(async () => {
  await terminal?.kill();
  await bot?.stop('SIGKILL');
  await discord?.close();
  terminal = undefined;
  bot = undefined;
  discord = undefined;
});

describe('the first-start setup', () => {
  it('asks for the token in a terminal, writes .env, registers the commands, prints the invite link and starts', async () => {
    discord = await startDiscordStandIn();
    const folder = await mkdtemp(path.join(tmpdir(), 'animate-wizard-'));
    terminal = new TerminalSession({ DISCORD_API_URL: discord.restApi }, folder);

    await terminal.waitFor(/Reset Token/);
    await terminal.waitFor(/Bot token/);
    terminal.type('wrong-token-0000\r');
    await terminal.waitFor(/token is wrong/);
    await terminal.waitFor(/Bot token/);
    terminal.type(`${discord.token}\r`);
    await terminal.waitFor(/Token accepted/);
    await terminal.waitFor(/Registered \/animate/);
    const [invite] = await terminal.waitFor(/https:\/\/discord\.com\/oauth2\/authorize\?\S+/);
    await terminal.waitFor(/"msg":"bot ready"/, 30_000);

    const env = parse(await readFile(path.join(folder, '.env')));
    expect(env.DISCORD_TOKEN).toBe(discord.token);
    expect(Buffer.from(env.ENCRYPTION_KEY ?? '', 'base64')).toHaveLength(32);
    expect(env.DISCORD_API_URL).toBe(discord.restApi);
    expect(env.STORE_URL, 'defaults stay in the schema, not copied into .env').toBeUndefined();
    expect((await stat(path.join(folder, '.env'))).mode & 0o777).toBe(0o600);

    const url = new URL(invite);
    expect(url.searchParams.get('client_id')).toBe(discord.ids.app);
    expect(url.search).toContain('scope=bot%20applications.commands');
    expect(url.searchParams.get('permissions')).toBe(INVITE_PERMISSIONS);

    const puts = discord.log.filter(
      (e) => e.method === 'PUT' && e.route === `/applications/${discord?.ids.app}/commands`,
    );
    // The setup's PUT comes first; the bot syncs again when it connects (no stored hash yet).
    const deployed = (puts[0]?.json ?? []) as Array<{ name: string }>;
    expect(deployed.map((command) => command.name)).toContain('animate');
    expect(terminal.raw).not.toContain(discord.token);
    expect(terminal.raw).not.toContain('wrong-token-0000');
    discord.assertNoViolations(/GET \/users\/@me: bot route called with a wrong token/);

    // The terminal is back to normal after the prompts: Ctrl+C stops the bot cleanly.
    terminal.type('\x03');
    await terminal.waitFor(/shutting down/);
    expect(await terminal.exited()).toBe(0);
  });

  it('gives one clear line and exit code 1 without a terminal', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'animate-wizard-'));
    bot = new BotProcess({ DISCORD_API_URL: 'http://127.0.0.1:9/api' }, folder).start();
    expect(await bot.exited()).toBe(1);
    expect(bot.stderr.join('').trim()).toBe(MISSING_TOKEN);
    expect(bot.logs).toEqual([]);
  });

  it('gives the same line instead of a prompt under CI, even in a terminal', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'animate-wizard-'));
    terminal = new TerminalSession({ CI: 'true' }, folder);
    expect(await terminal.exited()).toBe(1);
    expect(terminal.text.trim()).toBe(MISSING_TOKEN);
  });
});
