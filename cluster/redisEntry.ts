import type { ZodType } from 'zod';

/**
 * A Redis value another node wrote (perhaps a node of another version), parsed with its schema; one that does
 * not read (not JSON, another shape) is as good as absent.
 */
export function readRedisEntry<T>(schema: ZodType<T>, value: string): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
