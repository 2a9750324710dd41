import { afterEach, describe, expect, it } from 'vitest';
import {
  disableSamplePasswordAccounts,
  ensureFirstAdmin,
  hashPassword,
  openDatabase,
  seedSampleData,
  verifyPassword,
  type Database,
} from '../../prisma/index.js';
import { tempDatabase } from './helpers.js';

describe('accounts at start-up', () => {
  let opened: Array<{ database: Database; drop: () => Promise<void> }> = [];
  const fresh = async () => {
    const temp = await tempDatabase();
    const database = await openDatabase(temp.config);
    opened.push({ database, drop: () => temp.drop() });
    return database.prisma;
  };
  afterEach(async () => {
    for (const { database, drop } of opened) {
      await database.close();
      await drop();
    }
    opened = [];
  });

  it('outside sample mode: a new hub gets one admin with a generated password to change at first sign-in, and only once', async () => {
    const prisma = await fresh();
    const first = await ensureFirstAdmin(prisma);
    expect(first?.username).toBe('admin');
    expect(first?.generatedPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const admin = await prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
    expect(admin).toMatchObject({ role: 'ADMIN', mustChangePassword: true, disabledAt: null });
    expect(await verifyPassword(first!.generatedPassword!, admin.passwordHash)).toBe(true);
    expect(await ensureFirstAdmin(prisma)).toBeNull();
    expect(await prisma.user.count()).toBe(1);
  });

  it('takes ADMIN_PASSWORD when given, and prints nothing to show', async () => {
    const prisma = await fresh();
    expect(await ensureFirstAdmin(prisma, 'Mat-khau-quan-tri-2026')).toEqual({ username: 'admin', generatedPassword: null });
    const admin = await prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
    expect(await verifyPassword('Mat-khau-quan-tri-2026', admin.passwordHash)).toBe(true);
    expect(admin.mustChangePassword).toBe(true);
  });

  it('sample mode seeds a new database only: a deleted account stays deleted; leaving sample mode disables the sample passwords', async () => {
    const prisma = await fresh();
    await seedSampleData(prisma, 'mat-khau-demo');
    const accounts = await prisma.user.count();
    expect(accounts).toBe(53);
    await prisma.user.delete({ where: { username: 'xa-25' } });
    await seedSampleData(prisma, 'mat-khau-demo');
    expect(await prisma.user.findUnique({ where: { username: 'xa-25' } })).toBeNull();
    // an account whose password an admin already changed keeps working
    const changed = await prisma.user.findUniqueOrThrow({ where: { username: 'thu-ky' } });
    await prisma.user.update({ where: { id: changed.id }, data: { passwordHash: await hashPassword('Rieng-cua-thu-ky') } });
    const disabled = await disableSamplePasswordAccounts(prisma, ['hop-truc-tuyen', 'mat-khau-demo']);
    expect(disabled).toHaveLength(accounts - 2);
    expect(disabled).not.toContain('thu-ky');
    expect(await prisma.user.count({ where: { disabledAt: null } })).toBe(1);
    // the hub then has no usable admin: a new one is made
    expect((await ensureFirstAdmin(prisma))?.username).toBe('admin-2');
  });
});
