import type { Db } from './database.js';
import { generatePassword, hashPassword, verifyPassword } from './passwords.js';

export interface FirstAdmin {
  username: string;
  /** Generated (to be printed once), or null when ADMIN_PASSWORD gave it. */
  generatedPassword: string | null;
}

/**
 * Outside sample mode a hub without an admin gets one, `admin`, with ADMIN_PASSWORD or a generated
 * password (printed once by the caller); either must be changed at the first sign-in.
 */
export async function ensureFirstAdmin(prisma: Db, adminPassword?: string): Promise<FirstAdmin | null> {
  if ((await prisma.user.count({ where: { role: 'ADMIN', disabledAt: null } })) > 0) return null;
  const taken = new Set(
    (await prisma.user.findMany({ where: { username: { startsWith: 'admin' } }, select: { username: true } })).map((u) => u.username),
  );
  let username = 'admin';
  for (let n = 2; taken.has(username); n++) username = `admin-${n}`;
  const password = adminPassword ?? generatePassword();
  await prisma.user.create({
    data: {
      username,
      displayName: 'Quản trị hệ thống',
      role: 'ADMIN',
      passwordHash: await hashPassword(password),
      mustChangePassword: true,
    },
  });
  return { username, generatedPassword: adminPassword ? null : password };
}

/**
 * Outside sample mode no account may keep a password everyone knows: accounts that still sign in
 * with a sample password (a database that began as a demo) are disabled, marked so (`SAMPLE_PASSWORD`);
 * an admin's password reset enables each again.
 */
export async function disableSamplePasswordAccounts(prisma: Db, samplePasswords: string[]): Promise<string[]> {
  const active = await prisma.user.findMany({ where: { disabledAt: null }, select: { id: true, username: true, passwordHash: true } });
  const known: typeof active = [];
  for (const user of active) {
    for (const password of samplePasswords) {
      if (await verifyPassword(password, user.passwordHash)) {
        known.push(user);
        break;
      }
    }
  }
  if (known.length > 0)
    await prisma.user.updateMany({
      where: { id: { in: known.map((u) => u.id) } },
      data: { disabledAt: new Date(), disabledReason: 'SAMPLE_PASSWORD' },
    });
  return known.map((u) => u.username);
}
