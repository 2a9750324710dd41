import { randomInt, timingSafeEqual } from 'node:crypto';
import type { CredentialCipher } from '../../camera-gateway/index.js';
import type { Db } from '../../prisma/index.js';

/** How a SIP caller reaches a meeting: `sip:<conferenceId>@hub`, and its PIN (in the URI after `*`, or keyed). */
export interface DialInDetails {
  conferenceId: string;
  pin: string;
}

/** Conference IDs have 7 digits (not starting with 0, which dial plans strip), PINs 6. */
const conferenceIdDigits = 7;
const pinDigits = 6;

const digits = (count: number) => String(randomInt(10 ** (count - 1), 10 ** count));

/**
 * The meetings' dial-in details: a conference ID unique among meetings and a PIN sealed at rest (the hub's
 * credential key), given to a meeting the first time its chair asks for them.
 */
export class DialInCodes {
  readonly #prisma: Db;
  readonly #cipher: CredentialCipher;

  constructor(prisma: Db, cipher: CredentialCipher) {
    this.#prisma = prisma;
    this.#cipher = cipher;
  }

  /** The meeting's details, made now if it has none yet. */
  async forMeeting(meetingId: string): Promise<DialInDetails> {
    for (;;) {
      const row = await this.#prisma.meeting.findUniqueOrThrow({
        where: { id: meetingId },
        select: { dialInCode: true, dialInPinCipher: true },
      });
      if (row.dialInCode && row.dialInPinCipher) return { conferenceId: row.dialInCode, pin: this.#cipher.decrypt(row.dialInPinCipher) };
      const conferenceId = digits(conferenceIdDigits);
      try {
        // only where none was given meanwhile (two chairs' pages asking at once get the same details)
        await this.#prisma.meeting.updateMany({
          where: { id: meetingId, dialInCode: null },
          data: { dialInCode: conferenceId, dialInPinCipher: this.#cipher.encrypt(digits(pinDigits)) },
        });
      } catch (error) {
        // another meeting holds this ID: draw again
        if ((error as { code?: string }).code !== 'P2002') throw error;
      }
    }
  }

  /** The meeting a conference ID names, with its PIN (undefined: no meeting has it). */
  async find(conferenceId: string): Promise<{ meetingId: string; pin: string } | undefined> {
    const row = await this.#prisma.meeting.findUnique({ where: { dialInCode: conferenceId }, select: { id: true, dialInPinCipher: true } });
    if (!row?.dialInPinCipher) return undefined;
    return { meetingId: row.id, pin: this.#cipher.decrypt(row.dialInPinCipher) };
  }
}

/** Whether a keyed PIN is the meeting's (compared in constant time). */
export function pinMatches(given: string, pin: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(pin);
  return a.length === b.length && timingSafeEqual(a, b);
}
