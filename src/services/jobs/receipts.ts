import type { Keyv } from 'keyv';
import { z } from 'zod';
import type { SealedBox } from '../crypto/sealed-box.js';
import type { ReplyEditor } from '../discord/reply-editor.js';
import { translate } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import { KeyedMutex } from '../store/keyed-mutex.js';
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
const receiptsSchema = z.array(receiptSchema);
type Receipt = z.infer<typeof receiptSchema>;

const MAX_RECEIPTS = 500;
const receiptsKey = (guildId: string) => `receipts:${guildId}`;
const tokenContext = (interactionId: string) => `receipt:${interactionId}`;

/**
 * A note per command between its defer and its job record: a crash in that window would leave
 * the member's reply "thinking" forever. At the next start, each note left is answered.
 */
export class ReceiptStore {
  readonly #keyv: Keyv;
  readonly #box: SealedBox;
  readonly #logger: Logger;
  readonly #lock = new KeyedMutex();

  constructor(keyv: Keyv, box: SealedBox, logger: Logger) {
    this.#keyv = keyv;
    this.#box = box;
    this.#logger = logger;
  }

  open(reply: ReplyContext): Promise<void> {
    const receipt: Receipt = {
      interactionId: reply.interactionId,
      applicationId: reply.applicationId,
      tokenSealed: this.#box.seal(reply.interactionToken, tokenContext(reply.interactionId)),
      createdAt: reply.interactionCreatedAt,
      channelId: reply.channelId,
      replyMessageId: reply.replyMessageId,
      locale: reply.locale,
    };
    return this.#change(reply.guildId, (list) =>
      [...list.filter((other) => other.interactionId !== receipt.interactionId), receipt].slice(
        -MAX_RECEIPTS,
      ),
    );
  }

  close(guildId: string, interactionId: string): Promise<void> {
    return this.#change(guildId, (list) => list.filter((receipt) => receipt.interactionId !== interactionId));
  }

  /** Tells the members behind notes a previous process left that nothing was started or spent. */
  async sweep(guildIds: Iterable<string>, replies: ReplyEditor): Promise<number> {
    let answered = 0;
    for (const guildId of guildIds) {
      const left = await this.#read(guildId);
      if (left.length === 0) continue;
      await this.#change(guildId, (list) => list.filter((receipt) => !left.includes(receipt)));
      for (const receipt of left) {
        const target = {
          applicationId: receipt.applicationId,
          interactionToken: this.#box.open(receipt.tokenSealed, tokenContext(receipt.interactionId)),
          tokenExpiresAt: receipt.createdAt + INTERACTION_TOKEN_TTL_MS,
          channelId: receipt.channelId,
          replyMessageId: receipt.replyMessageId,
        };
        const content = translate(receipt.locale, 'job.failed.restartedBeforeStart');
        await replies
          .edit(target, { content, embeds: [], components: [], allowed_mentions: { parse: [] } })
          .then(() => answered++)
          .catch((error: unknown) =>
            this.#logger.warn({ err: error, guildId }, 'could not answer a command left by a restart'),
          );
      }
    }
    if (answered > 0) this.#logger.info({ answered }, 'answered commands a restart had interrupted');
    return answered;
  }

  async #read(guildId: string): Promise<Receipt[]> {
    const key = receiptsKey(guildId);
    return (
      (await parseOrRetire(this.#keyv, key, await this.#keyv.get(key), receiptsSchema, this.#logger)) ?? []
    );
  }

  #change(guildId: string, change: (list: Receipt[]) => Receipt[]): Promise<void> {
    return this.#lock.run(guildId, async () => {
      const next = change(await this.#read(guildId));
      if (next.length === 0) await this.#keyv.delete(receiptsKey(guildId));
      else await this.#keyv.set(receiptsKey(guildId), next, INTERACTION_TOKEN_TTL_MS);
    });
  }
}
