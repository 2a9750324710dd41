import { useSyncExternalStore } from 'react';
import type { LoginResponse, UserDto } from '../../../shared/meetings';

const storageKey = 'hub.session';

export interface StoredSession {
  token: string;
  user: UserDto;
}

const listeners = new Set<() => void>();
let current: StoredSession | null = read();

function read(): StoredSession | null {
  try {
    const raw = localStorage.getItem(storageKey);
    return raw ? (JSON.parse(raw) as StoredSession) : null;
  } catch {
    return null;
  }
}

/** The signed-in user, kept in localStorage so a reload (or a reconnect) stays signed in. */
export const session = {
  get: (): StoredSession | null => current,
  set(login: LoginResponse | null): void {
    current = login ? { token: login.token, user: login.user } : null;
    if (current) localStorage.setItem(storageKey, JSON.stringify(current));
    else localStorage.removeItem(storageKey);
    for (const listener of listeners) listener();
  },
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useSession(): StoredSession | null {
  return useSyncExternalStore(session.subscribe, session.get);
}
