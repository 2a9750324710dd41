import { createHash, randomBytes } from 'node:crypto';
import { verifyPassword, type Db } from '../../prisma/index.js';
import type { LoginResponse, Role, UserDto } from '../../shared/meetings.js';

export interface AuthenticatedUser extends UserDto {
  id: number;
}

export class InvalidCredentialsError extends Error {
  constructor() {
    super('wrong username or password');
    this.name = 'InvalidCredentialsError';
  }
}

const sessionLifetimeMs = 12 * 60 * 60 * 1000;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Password sign-in and bearer tokens. A token is 32 random bytes; only its hash is stored, so the
 * sessions table leaks nothing usable, and sessions survive a restart.
 */
export class AuthService {
  readonly #prisma: Db;

  constructor(prisma: Db) {
    this.#prisma = prisma;
  }

  async login(username: string, password: string): Promise<LoginResponse> {
    const user = await this.#prisma.user.findUnique({ where: { username }, include: { bridgePoint: { select: { code: true } } } });
    // A missing user still costs one scrypt, so timing does not reveal which usernames exist.
    const valid = await verifyPassword(password, user?.passwordHash ?? 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAA');
    if (!user || !valid) throw new InvalidCredentialsError();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + sessionLifetimeMs);
    await this.#prisma.authSession.create({ data: { tokenHash: hashToken(token), userId: user.id, expiresAt } });
    return { token, expiresAt: expiresAt.toISOString(), user: toUserDto(user) };
  }

  async authenticate(token: string | undefined): Promise<AuthenticatedUser | null> {
    if (!token || token.length > 100) return null;
    const session = await this.#prisma.authSession.findUnique({
      where: { tokenHash: hashToken(token) },
      include: { user: { include: { bridgePoint: { select: { code: true } } } } },
    });
    if (!session || session.expiresAt.getTime() < Date.now()) return null;
    return { id: session.user.id, ...toUserDto(session.user) };
  }

  async logout(token: string): Promise<void> {
    await this.#prisma.authSession.deleteMany({ where: { tokenHash: hashToken(token) } });
  }
}

function toUserDto(user: { username: string; displayName: string; role: Role; bridgePoint: { code: string } | null }): UserDto {
  return { username: user.username, displayName: user.displayName, role: user.role, bridgePointCode: user.bridgePoint?.code ?? null };
}
