import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Camera passwords at rest: AES-256-GCM with the configured key (CAMERA_CREDENTIALS_KEY), or
 * else a key file created once next to the database (mode 0600), so the database alone reveals nothing.
 */
export class CredentialCipher {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('camera credentials key: 32 bytes (64 hex digits) needed');
    this.#key = key;
  }

  /** The configured key, or else the key file (created on first use). */
  static fromKeyOrFile(key: Buffer | undefined, keyFile: string): CredentialCipher {
    if (key) return new CredentialCipher(key);
    if (!fs.existsSync(keyFile)) {
      fs.mkdirSync(path.dirname(keyFile), { recursive: true });
      fs.writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    }
    return new CredentialCipher(Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'hex'));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  decrypt(sealed: string): string {
    const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    if (!iv || !tag || !body) throw new Error('camera credentials: malformed ciphertext');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }
}
