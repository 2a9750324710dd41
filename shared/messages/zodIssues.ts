import type { z } from 'zod';
import { isMessageKey, said } from './said.js';
import type { MessageParams, Said } from './MessagesTypes.js';

type Issue = z.core.$ZodIssue & { input?: unknown; params?: Record<string, unknown> };

/** At most this many problems are said at once: a form shows them beside its button. */
const shownIssues = 3;

/**
 * What a validation failure tells the person who filled the form: each field as the form calls it, and its
 * problem in words. A schema's own message is a key of the table (`.regex(re, 'validation.unitCode')`);
 * zod's built-in checks are said by their code. Parse with `reportInput: true` so a missing field is told apart.
 */
export function saidOfIssues(issues: readonly z.core.$ZodIssue[]): Said {
  const told = issues.slice(0, shownIssues).map((issue) => fieldProblem(issue as Issue));
  return told.length === 1 ? told[0]! : said('validation.issues', { issues: told });
}

function fieldProblem(issue: Issue): Said {
  return said('validation.field', { field: fieldOf(issue.path), problem: problemOf(issue) });
}

/**
 * The first named part of the path the table has a label for (`into.code` is the merger's unit). A field no
 * form shows (a socket's media parameters) is named by its path, for whoever wrote the client; none is "the data".
 */
function fieldOf(path: readonly PropertyKey[]): Said | string {
  for (const part of path) {
    const key = `field.${String(part)}`;
    if (typeof part === 'string' && isMessageKey(key)) return said(key);
  }
  return path.length > 0 ? path.map(String).join('.') : said('field.payload');
}

function problemOf(issue: Issue): Said {
  if (issue.message && isMessageKey(issue.message)) return said(issue.message, paramsOf(issue.params));
  switch (issue.code) {
    case 'invalid_type':
      return said(issue.input === undefined ? 'validation.required' : 'validation.wrongType');
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? said('validation.required') : said('validation.tooShort', { minimum: Number(issue.minimum) });
      if (issue.origin === 'array' || issue.origin === 'set') return said('validation.tooFew', { minimum: Number(issue.minimum) });
      return said('validation.tooSmall', { minimum: Number(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'string') return said('validation.tooLong', { maximum: Number(issue.maximum) });
      if (issue.origin === 'array' || issue.origin === 'set') return said('validation.tooMany', { maximum: Number(issue.maximum) });
      return said('validation.tooBig', { maximum: Number(issue.maximum) });
    case 'invalid_format':
      if (issue.format === 'datetime' || issue.format === 'date' || issue.format === 'time') return said('validation.dateTime');
      return said(issue.format === 'url' ? 'validation.url' : 'validation.format');
    case 'invalid_value':
      return said('validation.choice');
    case 'unrecognized_keys':
      return said('validation.unknownFields', { keys: issue.keys.join(', ') });
    case 'custom':
    case 'invalid_element':
    case 'invalid_key':
    case 'invalid_union':
    case 'not_multiple_of':
      return said('validation.invalid');
  }
}

/** A custom check's parameters, where they are plain values (the table's messages show nothing else). */
function paramsOf(params: Record<string, unknown> | undefined): MessageParams | undefined {
  if (!params) return undefined;
  const plain = Object.entries(params).filter(
    (entry): entry is [string, string | number] => typeof entry[1] === 'string' || typeof entry[1] === 'number',
  );
  return plain.length > 0 ? Object.fromEntries(plain) : undefined;
}
