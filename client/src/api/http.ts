import { z } from 'zod';
import { saidOf, type Said } from '../../../shared/messages/index.js';
import { session } from './session';

/** A refused REST call: the server's message (Vietnamese), and its key so the page can say it in its reader's language. */
export class ApiError extends Error {
  readonly status: number;
  readonly said?: Said;
  constructor(status: number, message: string, told?: Said) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.said = told;
  }
}

const refusalSchema = z.object({
  message: z.string().optional(),
  messageKey: z.string().optional(),
  messageParams: z.record(z.string(), z.unknown()).optional(),
});

async function call(method: string, path: string, body?: unknown, file?: File): Promise<Response> {
  // the session cookie goes along by itself (same origin)
  const response = await fetch(path, {
    method,
    headers: file ? { 'content-type': file.type } : body !== undefined ? { 'content-type': 'application/json' } : {},
    body: file ?? (body !== undefined ? JSON.stringify(body) : undefined),
  });
  if (response.status === 401 && session.get()) session.set(null);
  if (!response.ok) {
    const detail = refusalSchema.safeParse(await response.json().catch(() => null));
    const answer = detail.success ? detail.data : {};
    throw new ApiError(response.status, answer.message ?? response.statusText, saidOf(answer));
  }
  return response;
}

export const api = {
  async get<T>(path: string): Promise<T> {
    return (await call('GET', path)).json() as Promise<T>;
  },
  async post<T>(path: string, body?: unknown): Promise<T> {
    const response = await call('POST', path, body ?? {});
    return (response.status === 204 ? null : response.json()) as Promise<T>;
  },
  async put<T>(path: string, body: unknown): Promise<T> {
    return (await call('PUT', path, body)).json() as Promise<T>;
  },
  async patch<T>(path: string, body: unknown): Promise<T> {
    return (await call('PATCH', path, body)).json() as Promise<T>;
  },
  /** A file as the request's body, in its own type (e.g. a PDF). */
  async upload<T>(path: string, file: File): Promise<T> {
    return (await call('POST', path, undefined, file)).json() as Promise<T>;
  },
  async delete(path: string): Promise<void> {
    await call('DELETE', path);
  },
  /** A binary body (e.g. an image). */
  async blob(path: string): Promise<Blob> {
    return (await call('GET', path)).blob();
  },
  /** Fetches a file and hands it to the browser as a download; the response's headers are returned. */
  async download(path: string): Promise<Headers> {
    const response = await call('GET', path);
    const disposition = response.headers.get('content-disposition') ?? '';
    // the name as it reads (RFC 6266's UTF-8 filename*), else the unaccented one
    const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
    const name = encoded ? decodeURIComponent(encoded) : (/filename="([^"]+)"/.exec(disposition)?.[1] ?? 'bao-cao');
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement('a'), { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return response.headers;
  },
};
