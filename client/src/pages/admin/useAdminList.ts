import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/http';
import { errorText } from '../../api/errors';

/**
 * An admin table's data: the list from `path`, reloaded after each action; `act` runs a change and
 * shows its refusal (the server's message names the rule) instead of the list going stale.
 */
export function useAdminList<T>(path: string, select: (all: T[]) => T[] = (all) => all) {
  const [items, setItems] = useState<T[]>([]);
  const [error, setError] = useState<string>();
  const reload = useCallback(() => {
    api
      .get<T[]>(path)
      .then((all) => setItems(select(all)))
      .catch((e: unknown) => setError(errorText(e)));
    // `select` is a pure filter given inline: the path alone decides what to load
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path]);
  useEffect(reload, [reload]);
  const act = (work: Promise<unknown>, then?: () => void) => {
    setError(undefined);
    work.then(
      () => {
        then?.();
        reload();
      },
      (e: unknown) => setError(errorText(e)),
    );
  };
  return { items, error, setError, act };
}
