import type { FastifyBaseLogger } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MeetingProgram } from '../../hub/program/MeetingProgram.js';
import type { ProgramReceiver } from '../../hub/program/ProgramReceivers.js';
import { ProgramComposer } from '../../program/index.js';

const log = { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as FastifyBaseLogger;

/** A SIP call as the program sees it: a G.711 receiver without a microphone of its own. */
const call = (): ProgramReceiver => ({ microphoneProducerId: () => undefined, audioCodec: 'pcmu', send: () => undefined });

describe("a meeting's program", () => {
  let program: MeetingProgram | undefined;
  afterEach(async () => {
    await program?.close();
    vi.restoreAllMocks();
  });

  it('starts one composer for the room systems that call at once (each a receiver), not one each', async () => {
    const start = vi.spyOn(ProgramComposer, 'start');
    program = new MeetingProgram({
      meetingId: 'hop-nhieu-cuoc-goi',
      room: () => Promise.resolve(undefined),
      choice: () => ({ source: 'speaker', presenterCode: null, floorCode: null, spotlightCode: null, hostCode: 'UBND-TINH' }),
      log,
    });
    // twenty calls answered within the composer's start (as bench:load --sip-calls 20 dials them)
    for (let i = 0; i < 20; i++) program.addReceiver(`cuoc-goi-${i}`, call());
    await vi.waitFor(() => expect(start).toHaveBeenCalled());
    await start.mock.results[0]!.value;
    // and once it runs, more calls share it
    program.addReceiver('cuoc-goi-sau', call());
    expect(start).toHaveBeenCalledTimes(1);
  });
});
