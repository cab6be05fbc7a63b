import { randomBytes } from 'node:crypto';
import type { Keyv } from 'keyv';
import type { Logger } from 'pino';
import { z } from 'zod';
import { parseOrRetire } from '../store/retire.js';
import type { AttachmentClaims } from './request-checks.js';

/** A form waits this long for the member to send it (as long as an interaction token lives). */
const FORM_TTL_MS = 15 * 60_000;

const formSchema = z.object({
  guildId: z.string(),
  userId: z.string(),
  image: z.object({
    url: z.url(),
    contentType: z.string().nullable(),
    size: z.number().int().nonnegative(),
    width: z.number().int().positive().nullable(),
    height: z.number().int().positive().nullable(),
    unverified: z.boolean().optional(),
  }),
});
export type MessageForm = z.infer<typeof formSchema>;

const formKey = (guildId: string, formId: string) => `animate-form:${guildId}:${formId}`;

/**
 * The image "Animate" took from a message, held while the member fills in the form: the modal
 * submit carries only the form's id, and Discord hands the message's content to the bot only in
 * the menu interaction (without the Message Content intent, a fetch of it later comes back empty).
 */
export class MessageForms {
  readonly #keyv: Keyv;
  readonly #logger: Logger;

  constructor(keyv: Keyv, logger: Logger) {
    this.#keyv = keyv;
    this.#logger = logger;
  }

  /** A new form's id: short enough for a modal's custom id, unguessable. */
  static newId(): string {
    return randomBytes(8).toString('hex');
  }

  async save(
    formId: string,
    form: { guildId: string; userId: string; image: AttachmentClaims },
  ): Promise<void> {
    await this.#keyv.set(formKey(form.guildId, formId), form, FORM_TTL_MS);
  }

  /**
   * Takes the member's form out (a second submit finds nothing); undefined when it expired, never
   * was, or is another member's (left in place for its owner).
   */
  async take(guildId: string, formId: string, userId: string): Promise<MessageForm | undefined> {
    if (!/^[a-f0-9]{16}$/.test(formId)) return undefined;
    const key = formKey(guildId, formId);
    const form = await parseOrRetire(this.#keyv, key, await this.#keyv.get(key), formSchema, this.#logger);
    if (form?.userId !== userId) return undefined;
    await this.#keyv.delete(key);
    return form;
  }
}
