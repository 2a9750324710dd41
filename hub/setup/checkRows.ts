import type { z } from 'zod';
import { HubError } from '../../errors/index.js';
import { said, saidOfIssues, type Said } from '../../shared/messages/index.js';
import type { CheckedRow, FileRow } from './ImportTypes.js';

/**
 * Each row read with the kind's schema (an empty cell is a missing value), and a row naming an item a row
 * before it already named (`key`: a code, a username, an address) refused with that row's number.
 */
export function checkRows<Row>(rows: FileRow[], schema: z.ZodType<Row>, key: (row: Row) => string): Array<CheckedRow<Row>> {
  const firstLine = new Map<string, number>();
  return rows.map(({ line, values }) => {
    const filled = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
    const parsed = schema.safeParse(filled, { reportInput: true });
    if (!parsed.success) return { line, problems: [saidOfIssues(parsed.error.issues)] };
    const earlier = firstLine.get(key(parsed.data));
    if (earlier !== undefined) return { line, problems: [said('import.sameAs', { line: earlier })] };
    firstLine.set(key(parsed.data), line);
    return { line, problems: [], row: parsed.data };
  });
}

/** Adds a problem to the rows `refused` names (checks against what the hub holds). */
export async function refuseRows<Row>(
  checked: Array<CheckedRow<Row>>,
  refused: (row: Row) => Promise<Said | undefined> | Said | undefined,
): Promise<Array<CheckedRow<Row>>> {
  for (const entry of checked) {
    if (!entry.row) continue;
    const problem = await refused(entry.row);
    if (problem) entry.problems.push(problem);
  }
  return checked;
}

/** The rows to create, once every one of them is free of problems; else the import is refused as a whole. */
export function readyRows<Row>(checked: Array<CheckedRow<Row>>): Row[] {
  const wrong = checked.filter((entry) => entry.problems.length > 0).length;
  if (wrong > 0) throw new HubError('CONFLICT', said('import.notReady', { count: wrong }));
  return checked.map((entry) => entry.row!);
}
