/** A bridge point's room system (its conference room's SIP codec), as the admin pairs it with the hub. */
import { z } from 'zod';

/** Where the hub calls it: `sip:user@host[:port]` (its own address, not the hub's). */
export const roomSystemAddressSchema = z
  .string()
  .trim()
  .max(200)
  .regex(/^sips?:[A-Za-z0-9._~+-]+@[A-Za-z0-9.-]+(:\d{1,5})?(;transport=(udp|tcp|tls))?$/i, 'validation.sipAddress');

export const roomSystemUsernameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{3,64}$/, 'validation.sipUsername');

const roomSystemPasswordSchema = z
  .string()
  .min(10)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'validation.sipPasswordAscii');

/** What the admin sets; the password may be left out to keep the one stored. */
export const roomSystemSchema = z.strictObject({
  address: roomSystemAddressSchema.nullable().optional(),
  username: roomSystemUsernameSchema,
  password: roomSystemPasswordSchema.optional(),
  /** Take plain RTP from it (a codec without SRTP: its media cross the network unencrypted). Default false. */
  allowPlainRtp: z.boolean().optional(),
});
export type RoomSystemSettings = z.infer<typeof roomSystemSchema>;

export interface RoomSystemDto {
  bridgePointCode: string;
  address: string | null;
  username: string;
  /** Plain RTP is taken from it (its media unencrypted). Its password is never sent back. */
  allowPlainRtp: boolean;
  /** Where it registered from, while its registration lasts. */
  registration: { contact: string; sourceAddress: string; expiresAt: string; userAgent: string | null } | null;
}
