import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AudioForwarding } from '../../media-server/AudioForwarding.js';
import type { ConsumerAppData, ProducerAppData } from '../../media-server/MeetingRoomTypes.js';

/** A site's microphone as AudioForwarding sees it: paused when muted, and the observer's events. */
class FakeMicrophone {
  readonly observer = new EventEmitter();
  readonly appData: ProducerAppData;
  paused = false;
  closed = false;
  constructor(
    readonly id: string,
    peerId: string,
  ) {
    this.appData = { peerId, source: 'microphone' };
  }
  mute(muted: boolean) {
    this.paused = muted;
    this.observer.emit(muted ? 'pause' : 'resume');
  }
}

/** A viewer's audio consumer: AudioForwarding pauses and resumes it in the SFU. */
class FakeAudioConsumer {
  readonly observer = new EventEmitter();
  readonly appData: ConsumerAppData;
  paused = true;
  closed = false;
  constructor(
    readonly id: string,
    readonly producerId: string,
    peerId: string,
  ) {
    this.appData = { peerId, producerPeerId: '', source: 'microphone', tile: 'large' as const };
  }
  async resume() {
    this.paused = false;
  }
  async pause() {
    this.paused = true;
  }
}

/** The meeting's AudioLevelObserver: the test says who is heard, as the worker would every interval. */
class FakeLevelObserver extends EventEmitter {
  async addProducer() {}
  heard(...microphones: FakeMicrophone[]) {
    this.emit(
      'volumes',
      microphones.map((producer) => ({ producer, volume: -20 })),
    );
  }
}

describe('AudioForwarding: the microphones each viewer is sent', () => {
  const holdMs = 1500;
  let levels: FakeLevelObserver;
  let forwarding: AudioForwarding;
  let errors: Error[];
  const microphones = ['XA-11', 'XA-12', 'XA-13', 'XA-14'].map((site) => new FakeMicrophone(`mic-${site}`, site));
  const [a, b, c, d] = microphones as [FakeMicrophone, FakeMicrophone, FakeMicrophone, FakeMicrophone];
  const sitesOf = (ids: string[]) => ids.map((id) => id.replace('mic-', ''));

  beforeEach(async () => {
    vi.useFakeTimers();
    for (const microphone of microphones) microphone.mute(false);
    levels = new FakeLevelObserver();
    errors = [];
    forwarding = new AudioForwarding({ maxForwarded: 3, holdMs }, (error) => errors.push(error));
    await forwarding.observeOn({ createAudioLevelObserver: async () => levels } as unknown as types.Router);
    for (const microphone of microphones) await forwarding.addMicrophone(microphone as unknown as types.Producer<ProducerAppData>);
  });
  afterEach(() => {
    vi.useRealTimers();
    expect(errors).toEqual([]);
  });

  it('sends the first three to come while nobody has spoken, never a viewer its own microphone', () => {
    expect(sitesOf(forwarding.forwardedTo('SO-TC'))).toEqual(['XA-11', 'XA-12', 'XA-13']);
    expect(sitesOf(forwarding.forwardedTo('XA-12'))).toEqual(['XA-11', 'XA-13', 'XA-14']);
  });

  it('gives a muted microphone’s place to the next, and the forwarded keep their places when it unmutes', () => {
    a.mute(true);
    expect(sitesOf(forwarding.forwardedTo('SO-TC'))).toEqual(['XA-12', 'XA-13', 'XA-14']);
    a.mute(false);
    expect(sitesOf(forwarding.forwardedTo('SO-TC'))).toEqual(['XA-12', 'XA-13', 'XA-14']);
  });

  it('lets a new speaker in before the sites silent longest; one still speaking keeps its place', () => {
    levels.heard(a, b, c);
    vi.advanceTimersByTime(500);
    // XA-14 speaks while the three forwarded are still heard within the hold: it waits
    levels.heard(d);
    expect(sitesOf(forwarding.forwardedTo('SO-TC'))).toEqual(['XA-11', 'XA-12', 'XA-13']);
    // XA-11 and XA-12 go on speaking, XA-13 falls silent: past the hold, XA-14 takes its place
    vi.advanceTimersByTime(holdMs);
    levels.heard(a, b, d);
    expect(sitesOf(forwarding.forwardedTo('SO-TC'))).toEqual(['XA-11', 'XA-12', 'XA-14']);
  });

  it('pauses and resumes each viewer’s consumers in the SFU as the ranking changes', async () => {
    const consumers = microphones.map((m, i) => new FakeAudioConsumer(`consumer-${i}`, m.id, 'SO-TC'));
    for (const consumer of consumers) await forwarding.consumerResumed(consumer as unknown as types.Consumer<ConsumerAppData>);
    expect(consumers.map((x) => x.paused)).toEqual([false, false, false, true]);
    a.mute(true);
    await vi.waitFor(() => expect(consumers.map((x) => x.paused)).toEqual([true, false, false, false]));
    // a consumer its viewer paused stays paused whatever its microphone does
    forwarding.consumerPaused(consumers[1]!.id);
    await consumers[1]!.pause();
    a.mute(false);
    b.mute(true);
    await vi.waitFor(() => expect(consumers.map((x) => x.paused)).toEqual([false, true, false, false]));
  });
});
