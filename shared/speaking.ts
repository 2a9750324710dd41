/**
 * Requests to speak (đăng ký phát biểu) and the speech under way, as the socket protocol and the meeting's state
 * present them. A site asks for the floor with an optional topic and delegate's name (a room system with `*1`);
 * the chair sees the requests in order, reorders them, declines one, or calls a site with a time limit; every page
 * shows the speaker and a countdown that warns before the end and counts the overtime after it.
 */
import { z } from 'zod';
import { bridgePointCodeSchema } from './meetings.js';

export const requestToSpeakSchema = z.strictObject({
  topic: z.string().trim().max(200).optional(),
  /** Who will speak, when the site says (a room of many people behind one camera). */
  delegateName: z.string().trim().max(100).optional(),
});

/** The chair's order of the requests: every site waiting, each once. */
export const reorderRequestsSchema = z.strictObject({ codes: z.array(bridgePointCodeSchema).max(200) });
export const declineRequestSchema = z.strictObject({ bridgePointCode: bridgePointCodeSchema });
export const callSpeakerSchema = z.strictObject({
  bridgePointCode: bridgePointCodeSchema,
  /** The time the speaker is given: 15 s to an hour. */
  limitSeconds: z.number().int().min(15).max(3600),
});

/** A site waiting for the floor, in the chair's order. */
export interface SpeakingRequest {
  code: string;
  topic: string | null;
  delegateName: string | null;
  requestedAt: string;
}

export interface SpeakingState {
  requests: SpeakingRequest[];
  /**
   * The speech under way: who, for how long, and how long it has run when the state was sent (a page counts on from
   * there with its own clock).
   */
  current: {
    code: string;
    topic: string | null;
    delegateName: string | null;
    limitSeconds: number;
    runningSeconds: number;
  } | null;
}

/** The countdown turns to a warning this long before the end: 30 s, or a fifth of a short limit. */
export function warningSeconds(limitSeconds: number): number {
  return Math.min(30, Math.round(limitSeconds / 5));
}

/** A speech as the meeting's log and report keep it. */
export interface SpeechDto {
  code: string;
  siteName: string;
  delegateName: string | null;
  topic: string | null;
  agendaItemTitle: string | null;
  limitSeconds: number;
  startedAt: string;
  endedAt: string | null;
}
