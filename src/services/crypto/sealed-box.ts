import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class SealedBoxError extends Error {
  override readonly name = 'SealedBoxError';
}

/**
 * AES-256-GCM for secrets at rest (Kie keys, interaction tokens). `context` is bound as
 * additional authenticated data, so a value sealed for one guild cannot be opened as another's.
 */
export class SealedBox {
  /** Prepared once: a raw Buffer would be imported again on every seal and open. */
  readonly #key: KeyObject;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new SealedBoxError('encryption key must be 32 bytes');
    this.#key = createSecretKey(key);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      body.toString('base64'),
    ].join('.');
  }

  /** Throws SealedBoxError (never echoing the value) when the box was tampered with or sealed elsewhere. */
  open(sealed: string, context: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined)
      throw new SealedBoxError('not a sealed value');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SealedBoxError('sealed value cannot be opened with this key and context');
    }
  }
}
