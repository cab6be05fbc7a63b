import type { Keyv } from 'keyv';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { SealedBox } from '../crypto/sealed-box.js';
import type { ReplyEditor } from '../discord/reply-editor.js';
import { translate } from '../i18n/index.js';
import { keysUnder } from '../store/open-keyv.js';
import { parseOrRetire } from '../store/retire.js';
import { INTERACTION_TOKEN_TTL_MS, type ReplyContext } from './job-requests.js';

const receiptSchema = z.object({
  interactionId: z.string(),
  applicationId: z.string(),
  tokenSealed: z.string(),
  createdAt: z.number(),
  channelId: z.string(),
  replyMessageId: z.string().nullable(),
  locale: z.string(),
});
type Receipt = z.infer<typeof receiptSchema>;
type NoteBatch = { entries: Array<{ key: string; value: Receipt; ttl: number }>; written: Promise<void> };

/** Before one key per note, a guild's notes were one list under `receipts:{guild}`; swept once. */
const oldListSchema = z.array(receiptSchema);

const receiptKey = (guildId: string, interactionId: string) => `receipt:${guildId}:${interactionId}`;
const RECEIPT_KEY = /^receipt:([^:]+):[^:]+$/;
const OLD_LIST_KEY = /^receipts:([^:]+)$/;
/** One listing finds both shapes: `receipt:` and the old `receipts:`. */
const KEY_PREFIX = 'receipt';
const tokenContext = (interactionId: string) => `receipt:${interactionId}`;

/**
 * A note per command between its defer and its job record: a crash in that window would leave
 * the member's reply "thinking" forever. At the next start, each note left is answered.
 * A note is one key of its own, written and deleted without a lock or a read, so a burst of
 * commands costs one small write each.
 */
export class ReceiptStore {
  readonly #keyv: Keyv;
  readonly #box: SealedBox;
  readonly #logger: Logger;
  /** Notes this process has open: the sweep, which may run while commands arrive, leaves them. */
  readonly #open = new Set<string>();
  /** Notes opened in this turn of the event loop, written together at its end. */
  #batch: NoteBatch | undefined;

  constructor(keyv: Keyv, box: SealedBox, logger: Logger) {
    this.#keyv = keyv;
    this.#box = box;
    this.#logger = logger;
  }

  /**
   * Notes a command. The notes opened in one turn of the event loop are written together when it
   * ends (one SQLite transaction, one Redis MULTI): a burst's notes cost one commit, not hundreds.
   */
  async open(reply: ReplyContext): Promise<void> {
    const receipt: Receipt = {
      interactionId: reply.interactionId,
      applicationId: reply.applicationId,
      tokenSealed: this.#box.seal(reply.interactionToken, tokenContext(reply.interactionId)),
      createdAt: reply.interactionCreatedAt,
      channelId: reply.channelId,
      replyMessageId: reply.replyMessageId,
      locale: reply.locale,
    };
    this.#open.add(reply.interactionId);
    const batch = this.#batch ?? this.#startBatch();
    batch.entries.push({
      key: receiptKey(reply.guildId, reply.interactionId),
      value: receipt,
      ttl: INTERACTION_TOKEN_TTL_MS,
    });
    return batch.written;
  }

  #startBatch(): NoteBatch {
    const entries: NoteBatch['entries'] = [];
    const written = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.#batch = undefined;
        this.#keyv.setMany(entries).then(() => resolve(), reject);
      });
    });
    this.#batch = { entries, written };
    return this.#batch;
  }

  async close(guildId: string, interactionId: string): Promise<void> {
    // Forgotten only once deleted (a sweep running meanwhile must not take it for a crash's), or
    // once the delete failed: the set must not grow with the notes a store outage left.
    try {
      await this.#keyv.delete(receiptKey(guildId, interactionId));
    } finally {
      this.#open.delete(interactionId);
    }
  }

  /**
   * Tells the members behind notes a previous process left that nothing was started or spent.
   * A command that got as far as recording its job is the job's to answer (it may have been
   * paid for): `jobOf` finds it, and its note is only removed.
   */
  async sweep(
    guildIds: Iterable<string>,
    replies: Pick<ReplyEditor, 'edit'>,
    jobOf: (guildId: string, interactionId: string) => Promise<string | undefined>,
  ): Promise<number> {
    const guilds = new Set(guildIds);
    let answered = 0;
    for (const key of await keysUnder(this.#keyv, KEY_PREFIX)) {
      const guildId = RECEIPT_KEY.exec(key)?.[1] ?? OLD_LIST_KEY.exec(key)?.[1];
      if (guildId === undefined || !guilds.has(guildId)) continue;
      for (const receipt of await this.#take(key)) {
        if (await jobOf(guildId, receipt.interactionId)) continue;
        if (await this.#answer(guildId, receipt, replies)) answered++;
      }
    }
    if (answered > 0) this.#logger.info({ answered }, 'answered commands a restart had interrupted');
    return answered;
  }

  /** The notes under a key that this process did not open, removed before they are answered. */
  async #take(key: string): Promise<Receipt[]> {
    const raw = await this.#keyv.get(key);
    const receipts = key.startsWith('receipts:')
      ? await parseOrRetire(this.#keyv, key, raw, oldListSchema, this.#logger)
      : await parseOrRetire(this.#keyv, key, raw, receiptSchema, this.#logger).then((one) =>
          one ? [one] : undefined,
        );
    const left = (receipts ?? []).filter((receipt) => !this.#open.has(receipt.interactionId));
    if (left.length > 0) await this.#keyv.delete(key);
    return left;
  }

  async #answer(guildId: string, receipt: Receipt, replies: Pick<ReplyEditor, 'edit'>): Promise<boolean> {
    try {
      const target = {
        applicationId: receipt.applicationId,
        interactionToken: this.#box.open(receipt.tokenSealed, tokenContext(receipt.interactionId)),
        tokenExpiresAt: receipt.createdAt + INTERACTION_TOKEN_TTL_MS,
        channelId: receipt.channelId,
        replyMessageId: receipt.replyMessageId,
      };
      const content = translate(receipt.locale, 'job.failed.restartedBeforeStart');
      await replies.edit(target, { content, embeds: [], components: [], allowed_mentions: { parse: [] } });
      return true;
    } catch (error) {
      this.#logger.warn({ err: error, guildId }, 'could not answer a command left by a restart');
      return false;
    }
  }
}
