import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { parse } from 'dotenv';
import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess, freePort, TSX_LOADER } from '../support/bot-process.js';
import { type DiscordStandIn, startDiscordStandIn } from '../support/discord/stand-in.js';
import { forward, type LocalServer, startSilentServer } from '../support/tcp-servers.js';

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
/** Local TCP servers a test started: a silent Discord, a forwarder. */
const servers: LocalServer[] = [];
const folders: string[] = [];

afterEach(async () => {
  await terminal?.kill();
  await bot?.stop('SIGKILL');
  await discord?.close();
  for (const server of servers.splice(0)) await server.close();
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  terminal = undefined;
  bot = undefined;
  discord = undefined;
});

async function newFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'animate-wizard-'));
  folders.push(folder);
  return folder;
}

/** Tokens the person submitted: clack marks an answered prompt with ◇. */
function submittedTokens(session: TerminalSession): number {
  return session.text.match(/◇ {2}Bot token/g)?.length ?? 0;
}

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
    // On a terminal the logs are readable lines, not JSON (LOG_FORMAT=auto).
    await terminal.waitFor(/\] INFO: bot ready \{/, 30_000);

    const env = parse(await readFile(path.join(folder, '.env')));
    // Only what the setup asked for or made: DISCORD_API_URL came from the environment and stays there.
    expect(Object.keys(env).sort()).toEqual(['DISCORD_TOKEN', 'ENCRYPTION_KEY']);
    expect(env.DISCORD_TOKEN).toBe(discord.token);
    expect(Buffer.from(env.ENCRYPTION_KEY ?? '', 'base64')).toHaveLength(32);
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

  it('keeps what .env had and writes only the token (no ENCRYPTION_KEY while a key file exists)', async () => {
    discord = await startDiscordStandIn();
    const folder = await newFolder();
    const before = '# my notes\nLOG_LEVEL=debug\nDISCORD_TOKEN=\nKIE_TIMEOUT_MS=45000\n';
    await writeFile(path.join(folder, '.env'), before);
    await mkdir(path.join(folder, 'data'), { mode: 0o700 });
    await writeFile(path.join(folder, 'data', 'encryption.key'), `${randomBytes(32).toString('base64')}\n`, {
      mode: 0o600,
    });
    terminal = new TerminalSession(
      { DISCORD_API_URL: discord.restApi, KIE_API_URL: 'http://127.0.0.1:9', DEFAULT_MODELS: 'runway' },
      folder,
    );

    await terminal.waitFor(/Bot token/);
    terminal.type(`${discord.token}\r`);
    await terminal.waitFor(/Setup done/);
    expect(await readFile(path.join(folder, '.env'), 'utf8')).toBe(
      before.replace('DISCORD_TOKEN=', `DISCORD_TOKEN=${discord.token}`),
    );
    expect(terminal.text).not.toMatch(/new ENCRYPTION_KEY/);
    // The bot starts on what the setup wrote, the key file and the environment.
    await terminal.waitFor(/\] INFO: bot ready \{/, 30_000);
  });

  it('says a silent Discord timed out and offers to try again with the token already pasted', async () => {
    const blackHole = await startSilentServer();
    servers.push(blackHole);
    const folder = await newFolder();
    terminal = new TerminalSession(
      { DISCORD_API_URL: blackHole.url, DISCORD_CONNECT_TIMEOUT_MS: '1000' },
      folder,
    );

    await terminal.waitFor(/Bot token/);
    terminal.type('some-token-4f2a\r');
    for (const answer of ['\r', '\x1b[C\r']) {
      await terminal.waitFor(/No answer from Discord in 1 s \(http:\/\/127\.0\.0\.1:\d+\/api\)\./);
      await terminal.waitFor(/Try again\?/);
      terminal.type(answer); // Yes (the default), then No
    }
    await terminal.waitFor(/Setup stopped; nothing was written\./);
    expect(await terminal.exited()).toBe(0);
    expect(blackHole.requests()).toBe(2);
    expect(submittedTokens(terminal)).toBe(1);
    expect(await readdir(folder)).toEqual([]);
    expect(terminal.raw).not.toContain('some-token-4f2a');
  });

  it('offers to try again when Discord cannot be reached, and goes on with the same token once it can', async () => {
    discord = await startDiscordStandIn();
    const port = await freePort();
    const folder = await newFolder();
    terminal = new TerminalSession({ DISCORD_API_URL: `http://127.0.0.1:${port}/api` }, folder);

    await terminal.waitFor(/Bot token/);
    terminal.type(`${discord.token}\r`);
    await terminal.waitFor(
      new RegExp(`Cannot reach Discord at http://127\\.0\\.0\\.1:${port}/api \\(ECONNREFUSED\\)\\.`),
    );
    await terminal.waitFor(/Try again\?/);
    // Discord is back: the same address now leads to the stand-in.
    servers.push(await forward(port, discord.port));
    terminal.type('\r');
    await terminal.waitFor(/Token accepted/);
    await terminal.waitFor(/Registered \/animate/);
    await terminal.waitFor(/Setup done/);
    expect(parse(await readFile(path.join(folder, '.env'))).DISCORD_TOKEN).toBe(discord.token);
    expect(submittedTokens(terminal)).toBe(1);
  });

  it.each([
    ['at the token prompt', 'prompt'],
    ['while Discord checks the token', 'checking'],
    ['at the offer to try again', 'offer'],
  ] as const)('stops the same way on Ctrl-C %s: one line, nothing written, exit code 0', async (_, step) => {
    const folder = await newFolder();
    const blackHole = await startSilentServer();
    servers.push(blackHole);
    const api = step === 'checking' ? blackHole.url : `http://127.0.0.1:${await freePort()}/api`;
    terminal = new TerminalSession({ DISCORD_API_URL: api }, folder);
    await terminal.waitFor(/Bot token/);
    if (step !== 'prompt') {
      terminal.type('some-token-4f2a\r');
      await terminal.waitFor(step === 'checking' ? /Checking the token with Discord/ : /Try again\?/);
    }
    terminal.type('\x03');
    await terminal.waitFor(/Setup stopped; nothing was written\.\s*$/);
    expect(await terminal.exited()).toBe(0);
    expect(terminal.text.match(/Setup stopped/g)).toHaveLength(1);
    expect(await readdir(folder)).toEqual([]);
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
