import { randomBytes, scrypt, timingSafeEqual, type BinaryLike } from 'node:crypto';

const keyLength = 32;

/** A generated password (first admin, a new account, a reset): 16 characters of base64url, 96 bits, shown once. */
export const generatePassword = (): string => randomBytes(12).toString('base64url');

function derive(password: BinaryLike, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keyLength, (error, key) => (error ? reject(error) : resolve(key))));
}

/** scrypt with Node's default cost, stored as `scrypt$<salt>$<key>` (base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64')}$${(await derive(password, salt)).toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
