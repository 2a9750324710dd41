import { useSyncExternalStore } from 'react';
import type { UserDto } from '../../../shared/meetings';

export interface StoredSession {
  user: UserDto;
}

const listeners = new Set<() => void>();
/** undefined until the server has said whether this browser's session cookie is signed in. */
let current: StoredSession | null | undefined;

/**
 * The signed-in user. The session itself is an HttpOnly cookie the page never sees; the page asks
 * the server who it is at load (`/api/auth/me`), and forgets the user when the server says the
 * session ended (a 401, or the socket's `auth:signedOut`).
 */
export const session = {
  get: (): StoredSession | null | undefined => current,
  set(next: StoredSession | null): void {
    current = next;
    for (const listener of listeners) listener();
  },
  async load(): Promise<void> {
    const response = await fetch('/api/auth/me').catch(() => null);
    session.set(response?.ok ? { user: (await response.json()) as UserDto } : null);
  },
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useSession(): StoredSession | null | undefined {
  return useSyncExternalStore(session.subscribe, session.get);
}
