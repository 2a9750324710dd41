import { randomBytes, scrypt, timingSafeEqual, type BinaryLike } from 'node:crypto';

const keyLength = 32;

/** A generated password (first admin, a new account, a reset): 16 characters of base64url, 96 bits, shown once. */
export const generatePassword = (): string => randomBytes(12).toString('base64url');

function derive(password: BinaryLike, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keyLength, (error, key) => (error ? reject(error) : resolve(key))));
}

/**
 * scrypt with Node's default cost, stored as `scrypt$<salt>$<key>` (base64), over the password's NFC form: a
 * Vietnamese letter may be typed as one character or as a letter and its marks, depending on the keyboard
 * (Telex, VNI, a phone's), and the same password must sign in from both.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64')}$${(await derive(password.normalize('NFC'), salt)).toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const matches = async (form: string) => {
    const actual = await derive(form, Buffer.from(salt, 'base64'));
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
  const composed = password.normalize('NFC');
  // a hash stored before passwords were composed holds the text as it was typed
  return (await matches(composed)) || (composed !== password && (await matches(password)));
}
