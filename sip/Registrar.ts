import { EventEmitter } from 'node:events';
import type { Remote, SipRequest, SipResponse } from 'sip';
import { z } from 'zod';
import type { Registration, RegistrarEvents } from './SipTypes.js';

/** A registration lasts what the far end asks, within these bounds (RFC 3261 §10.3: too brief is 423). */
const minExpiresS = 60;
const maxExpiresS = 3600;
const defaultExpiresS = 3600;

const contactSchema = z.array(
  z.object({
    uri: z
      .string()
      .regex(/^sips?:\S+$/i)
      .max(512),
    params: z.record(z.string(), z.unknown()),
  }),
);

const seconds = (value: unknown) => (value === undefined || value === null || value === '' ? undefined : Number(value));

/**
 * The hub as the registrar of its room systems (RFC 3261 §10): an authenticated REGISTER binds the account to the
 * address it gives, for the time it asks (bounded), refreshed by its next REGISTER and ended by `Expires: 0` or
 * by running out. One binding per account: a room system is one device. Bindings live in memory; a room system
 * registers again within its interval after a restart of the hub.
 */
export class Registrar extends EventEmitter<RegistrarEvents> {
  readonly #bindings = new Map<string, { registration: Registration; timer: NodeJS.Timeout }>();

  /** The account's binding now, if it has one. */
  get(username: string): Registration | undefined {
    return this.#bindings.get(username)?.registration;
  }

  /** A REGISTER of `username` (authenticated): the binding made, refreshed or removed, and the answer to send. */
  register(request: SipRequest, username: string, remote: Remote, respond: (status: number, reason: string) => SipResponse): SipResponse {
    const headerExpires = seconds(request.headers.expires);
    if (request.headers.contact === '*') {
      if (headerExpires !== 0) return respond(400, 'Bad Request');
      this.#remove(username);
      return respond(200, 'OK');
    }
    const contacts = request.headers.contact === undefined ? [] : contactSchema.safeParse(request.headers.contact);
    if (!Array.isArray(contacts) && !contacts.success) return respond(400, 'Bad Request');
    const contact = Array.isArray(contacts) ? undefined : contacts.data[0];
    if (!contact) {
      // a query: the binding as it stands
      const response = respond(200, 'OK');
      const current = this.get(username);
      if (current) response.headers.contact = [{ uri: current.contact, params: { expires: String(remaining(current)) } }];
      return response;
    }
    const asked = seconds(contact.params.expires) ?? headerExpires ?? defaultExpiresS;
    if (!Number.isFinite(asked) || asked < 0) return respond(400, 'Bad Request');
    if (asked === 0) {
      this.#remove(username);
      return respond(200, 'OK');
    }
    if (asked < minExpiresS) {
      const response = respond(423, 'Interval Too Brief');
      response.headers['min-expires'] = minExpiresS;
      return response;
    }
    const expires = Math.min(asked, maxExpiresS);
    const registration: Registration = {
      username,
      contact: contact.uri,
      expiresAt: new Date(Date.now() + expires * 1000),
      source: { protocol: remote.protocol, address: remote.address, port: remote.port },
      userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'].slice(0, 200) : undefined,
    };
    clearTimeout(this.#bindings.get(username)?.timer);
    const timer = setTimeout(() => this.#remove(username), expires * 1000);
    timer.unref();
    this.#bindings.set(username, { registration, timer });
    this.emit('registered', registration);
    const response = respond(200, 'OK');
    response.headers.contact = [{ uri: contact.uri, params: { expires: String(expires) } }];
    return response;
  }

  /** The account's binding goes (its room system was removed or changed by the admin). */
  forget(username: string): void {
    this.#remove(username);
  }

  close(): void {
    for (const { timer } of this.#bindings.values()) clearTimeout(timer);
    this.#bindings.clear();
  }

  #remove(username: string): void {
    const binding = this.#bindings.get(username);
    if (!binding) return;
    clearTimeout(binding.timer);
    this.#bindings.delete(username);
    this.emit('unregistered', username);
  }
}

const remaining = (registration: Registration) => Math.max(0, Math.round((registration.expiresAt.getTime() - Date.now()) / 1000));
