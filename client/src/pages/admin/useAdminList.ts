import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/http';
import { errorText } from '../../api/errors';
import { unaccented } from '../../../../shared/unaccented';

/** Where an action started: the form or the row its message is shown beside. */
export type ActionPlace = string;

/**
 * An admin table's data: the list from `path`, reloaded after each action; `act` runs a change and shows its
 * refusal beside where it started (`at`: a form's name or a row's key), not at the top of a long page.
 */
export function useAdminList<T>(path: string, select: (all: T[]) => T[] = (all) => all) {
  const [items, setItems] = useState<T[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [failure, setFailure] = useState<{ message: string; at: ActionPlace }>();
  const setError = (message: string | undefined, at: ActionPlace = 'list') =>
    setFailure(message === undefined ? undefined : { message, at });
  const reload = useCallback(() => {
    api
      .get<T[]>(path)
      .then((all) => {
        setItems(select(all));
        setLoaded(true);
      })
      .catch((e: unknown) => setFailure({ message: errorText(e), at: 'list' }));
    // `select` is a pure filter given inline: the path alone decides what to load
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path]);
  useEffect(reload, [reload]);
  const act = (work: Promise<unknown>, then?: () => void, at: ActionPlace = 'list') => {
    setFailure(undefined);
    work.then(
      () => {
        then?.();
        reload();
      },
      (e: unknown) => setFailure({ message: errorText(e), at }),
    );
  };
  /** The refusal of the action started at `at`, if any. */
  const errorAt = (at: ActionPlace) => (failure?.at === at ? failure.message : undefined);
  return { items, loaded, error: errorAt('list'), errorAt, setError, act, reload };
}

/** A list's search: case, accents and đ ignored, so "tuyet" finds "Tuyết" and "Đông" finds "dong". */
export function matchesSearch(query: string, ...fields: Array<string | null | undefined>): boolean {
  const folded = fold(query.trim());
  return folded === '' || fields.some((field) => field && fold(field).includes(folded));
}

function fold(text: string): string {
  return unaccented(text).toLowerCase();
}
