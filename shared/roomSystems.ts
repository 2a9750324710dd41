/** A bridge point's room system (its conference room's SIP codec), as the admin pairs it with the hub. */
import { z } from 'zod';

/** Where the hub calls it: `sip:user@host[:port]` (its own address, not the hub's). */
export const roomSystemAddressSchema = z
  .string()
  .trim()
  .max(200)
  .regex(/^sips?:[A-Za-z0-9._~+-]+@[A-Za-z0-9.-]+(:\d{1,5})?(;transport=(udp|tcp|tls))?$/i, 'địa chỉ SIP dạng sip:phonghop@10.20.1.5');

export const roomSystemUsernameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{3,64}$/, 'tên đăng nhập SIP: 3–64 chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới');

const roomSystemPasswordSchema = z
  .string()
  .min(10, 'mật khẩu SIP cần ít nhất 10 ký tự')
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'mật khẩu SIP chỉ gồm chữ cái không dấu, chữ số và ký hiệu (các thiết bị phòng họp không nhận chữ có dấu)');

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
