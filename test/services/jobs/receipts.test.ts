import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Keyv } from 'keyv';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SealedBox } from '../../../src/services/crypto/sealed-box.js';
import type { ReplyEditor } from '../../../src/services/discord/reply-editor.js';
import type { ReplyContext } from '../../../src/services/jobs/job-requests.js';
import { ReceiptStore } from '../../../src/services/jobs/receipts.js';
import { keysUnder, openKeyv } from '../../../src/services/store/open-keyv.js';
import { snowflake } from '../../support/jobs.js';
import { REDIS_URL, uniqueNamespace, useRedis } from '../../support/redis.js';

const backends = [
  {
    name: 'SQLite',
    enabled: async () => true,
    url: async () => `sqlite://${await mkdtemp(path.join(tmpdir(), 'animate-receipts-'))}/s.sqlite`,
  },
  { name: 'Redis', enabled: useRedis, url: async () => REDIS_URL },
];

const GUILD = '1100000000000000001';
const OTHER_GUILD = '1200000000000000001';
/** No command got as far as recording a job. */
const noJob = async () => undefined;

function replyOf(overrides: Partial<ReplyContext> = {}): ReplyContext {
  return {
    guildId: GUILD,
    channelId: '1100000000000000002',
    userId: '1100000000000000003',
    locale: 'en-US',
    applicationId: '1100000000000000004',
    interactionId: snowflake(),
    interactionToken: `token-${randomBytes(8).toString('hex')}`,
    interactionCreatedAt: Date.now(),
    replyMessageId: null,
    memberRoleIds: [],
    attachmentSizeLimit: 10 * 1024 * 1024,
    ...overrides,
  };
}

/** Records the edits the sweep makes, as the real ReplyEditor would send them. */
function recordingEditor(fail = false) {
  const edits: Array<{ token: string; content: unknown }> = [];
  const editor: Pick<ReplyEditor, 'edit'> = {
    async edit(target, body) {
      if (fail) throw new Error('Discord is down');
      edits.push({ token: target.interactionToken, content: body.content });
      return 'interaction';
    },
  };
  return { edits, editor };
}

for (const backend of backends) {
  describe.runIf(await backend.enabled())(`ReceiptStore on ${backend.name}`, () => {
    const opened: Keyv[] = [];
    const warnings: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
    const box = new SealedBox(randomBytes(32));

    async function open(url?: string, namespace = uniqueNamespace()) {
      const storeUrl = url ?? (await backend.url());
      const keyv = openKeyv(storeUrl, { namespace });
      opened.push(keyv);
      return { url: storeUrl, namespace, keyv, receipts: new ReceiptStore(keyv, box, logger) };
    }

    /** The next process on the same store: a new ReceiptStore that has opened nothing yet. */
    async function restart(previous: { url: string; namespace: string }) {
      return open(previous.url, previous.namespace);
    }

    afterEach(async () => {
      for (const keyv of opened.splice(0)) {
        await keyv.clear();
        await keyv.disconnect();
      }
      warnings.length = 0;
    });

    it('answers, after a restart, the commands noted but never closed, in their language', async () => {
      const first = await open();
      const left = replyOf({ locale: 'fr' });
      const closed = replyOf();
      await first.receipts.open(left);
      await first.receipts.open(closed);
      await first.receipts.close(closed.guildId, closed.interactionId);

      const next = await restart(first);
      const { edits, editor } = recordingEditor();
      expect(await next.receipts.sweep([GUILD], editor, noJob)).toBe(1);
      expect(edits).toEqual([{ token: left.interactionToken, content: expect.any(String) }]);
      expect(edits[0]?.content).not.toMatch(/job\.failed/);
      expect(await next.receipts.sweep([GUILD], editor, noJob)).toBe(0);
    });

    it('does not tell a member "nothing was spent" when their command recorded a job (it may be paid)', async () => {
      const first = await open();
      const submitted = replyOf();
      const lost = replyOf();
      await first.receipts.open(submitted);
      await first.receipts.open(lost);

      const next = await restart(first);
      const { edits, editor } = recordingEditor();
      const jobOf = async (_guild: string, interactionId: string) =>
        interactionId === submitted.interactionId ? 'a1b2c3d4e5f60718' : undefined;
      expect(await next.receipts.sweep([GUILD], editor, jobOf)).toBe(1);
      expect(edits.map((edit) => edit.token)).toEqual([lost.interactionToken]);
      // The skipped note is gone too: a second restart does not answer it either.
      expect(await next.receipts.sweep([GUILD], editor, noJob)).toBe(0);
    });

    it('stores one key per note and deletes it on close', async () => {
      const { keyv, receipts } = await open();
      const replies = [replyOf(), replyOf(), replyOf({ guildId: OTHER_GUILD })];
      await Promise.all(replies.map((reply) => receipts.open(reply)));
      expect((await keysUnder(keyv, 'receipt')).sort()).toEqual(
        replies.map((reply) => `receipt:${reply.guildId}:${reply.interactionId}`).sort(),
      );
      await Promise.all(replies.map((reply) => receipts.close(reply.guildId, reply.interactionId)));
      expect(await keysUnder(keyv, 'receipt')).toEqual([]);
    });

    it('fails every note of a batch the store refused', async () => {
      const { keyv, receipts } = await open();
      vi.spyOn(keyv, 'setMany').mockRejectedValueOnce(new Error('store down'));
      const notes = [receipts.open(replyOf()), receipts.open(replyOf())];
      for (const note of notes) await expect(note).rejects.toThrow('store down');
      await expect(receipts.open(replyOf())).resolves.toBeUndefined();
    });

    it('keeps a burst of notes of one guild apart', async () => {
      const first = await open();
      const burst = Array.from({ length: 100 }, () => replyOf());
      await Promise.all(burst.map((reply) => first.receipts.open(reply)));
      await Promise.all(burst.slice(0, 60).map((reply) => first.receipts.close(GUILD, reply.interactionId)));

      const next = await restart(first);
      const { edits, editor } = recordingEditor();
      expect(await next.receipts.sweep([GUILD], editor, noJob)).toBe(40);
      expect(edits.map((edit) => edit.token).sort()).toEqual(
        burst
          .slice(60)
          .map((reply) => reply.interactionToken)
          .sort(),
      );
    });

    it('sweeps only the guilds it is given', async () => {
      const first = await open();
      const mine = replyOf();
      const theirs = replyOf({ guildId: OTHER_GUILD });
      await first.receipts.open(mine);
      await first.receipts.open(theirs);

      const next = await restart(first);
      const { edits, editor } = recordingEditor();
      expect(await next.receipts.sweep([GUILD], editor, noJob)).toBe(1);
      expect(edits.map((edit) => edit.token)).toEqual([mine.interactionToken]);
      expect(await keysUnder(next.keyv, 'receipt')).toEqual([
        `receipt:${OTHER_GUILD}:${theirs.interactionId}`,
      ]);
    });

    it('leaves the notes of commands this process is running', async () => {
      const first = await open();
      const left = replyOf();
      await first.receipts.open(left);

      const next = await restart(first);
      const running = replyOf();
      await next.receipts.open(running);
      const { edits, editor } = recordingEditor();
      expect(await next.receipts.sweep([GUILD], editor, noJob)).toBe(1);
      expect(edits.map((edit) => edit.token)).toEqual([left.interactionToken]);
      expect(await keysUnder(next.keyv, 'receipt')).toEqual([`receipt:${GUILD}:${running.interactionId}`]);
    });

    it('answers the notes of the old per-guild list once', async () => {
      const first = await open();
      const old = [replyOf(), replyOf({ locale: 'zh-CN' })].map((reply) => ({
        interactionId: reply.interactionId,
        applicationId: reply.applicationId,
        tokenSealed: box.seal(reply.interactionToken, `receipt:${reply.interactionId}`),
        createdAt: reply.interactionCreatedAt,
        channelId: reply.channelId,
        replyMessageId: reply.replyMessageId,
        locale: reply.locale,
      }));
      await first.keyv.set(`receipts:${GUILD}`, old, 60_000);

      const next = await restart(first);
      const { edits, editor } = recordingEditor();
      expect(await next.receipts.sweep([GUILD], editor, noJob)).toBe(2);
      expect(edits).toHaveLength(2);
      expect(await next.keyv.get(`receipts:${GUILD}`)).toBeUndefined();
      expect(await next.receipts.sweep([GUILD], editor, noJob)).toBe(0);
    });

    it('retires a note that does not parse, and still answers the others', async () => {
      const first = await open();
      const good = replyOf();
      await first.receipts.open(good);
      await first.keyv.set(`receipt:${GUILD}:1`, { interactionId: 1 }, 60_000);
      await first.keyv.set(`receipts:${OTHER_GUILD}`, 'not a list', 60_000);

      const next = await restart(first);
      const { edits, editor } = recordingEditor();
      expect(await next.receipts.sweep([GUILD, OTHER_GUILD], editor, noJob)).toBe(1);
      expect(edits.map((edit) => edit.token)).toEqual([good.interactionToken]);
      expect(await next.keyv.get(`retired:receipt:${GUILD}:1`)).toEqual({ interactionId: 1 });
      expect(await next.keyv.get(`retired:receipts:${OTHER_GUILD}`)).toBe('not a list');
      expect(warnings.map((line) => line.key).sort()).toEqual([
        `receipt:${GUILD}:1`,
        `receipts:${OTHER_GUILD}`,
      ]);
    });

    it('logs a note it cannot answer and goes on', async () => {
      const first = await open();
      await first.receipts.open(replyOf());
      await first.receipts.open(replyOf());

      const next = await restart(first);
      const { editor } = recordingEditor(true);
      expect(await next.receipts.sweep([GUILD], editor, noJob)).toBe(0);
      expect(
        warnings.filter((line) => line.msg === 'could not answer a command left by a restart'),
      ).toHaveLength(2);
      expect(await keysUnder(next.keyv, 'receipt')).toEqual([]);
    });

    it('lists keys only under its own namespace and the exact prefix', async () => {
      const url = await backend.url();
      const a = await open(url, uniqueNamespace('ns*[a]'));
      const b = await open(url, uniqueNamespace('ns*[a]'));
      await a.keyv.set('receipt:1:2', 'x');
      await a.keyv.set('Receipt:1:3', 'x');
      await a.keyv.set('job:1:abc', 'x');
      await b.keyv.set('receipt:1:4', 'x');
      expect(await keysUnder(a.keyv, 'receipt')).toEqual(['receipt:1:2']);
      expect(await keysUnder(b.keyv, 'receipt:')).toEqual(['receipt:1:4']);
    });
  });
}
