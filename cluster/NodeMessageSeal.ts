import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const ivBytes = 12;
const tagBytes = 16;

/**
 * What the nodes say to each other over Redis, sealed with the cluster's secret (AES-256-GCM): whoever can
 * publish on Redis but lacks the secret can neither forge a message nor read one (a pipe's SRTP key).
 * A message that was not sealed with the secret, or was altered, does not open.
 */
export class NodeMessageSeal {
  readonly #key: Buffer;

  constructor(clusterSecret: string) {
    this.#key = Buffer.from(hkdfSync('sha256', clusterSecret, 'province-meeting-hub', 'node-rpc', 32));
  }

  seal(message: object): string {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const sealed = Buffer.concat([cipher.update(JSON.stringify(message), 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.');
  }

  /** The message's JSON, parsed; throws if it was not sealed with this secret. */
  open(raw: string): unknown {
    const [iv, tag, sealed, ...rest] = raw.split('.').map((part) => Buffer.from(part, 'base64url'));
    if (!iv || !tag || !sealed || rest.length > 0 || iv.length !== ivBytes || tag.length !== tagBytes)
      throw new Error('not a sealed node message');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
    decipher.setAuthTag(tag);
    return JSON.parse(Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8'));
  }
}
