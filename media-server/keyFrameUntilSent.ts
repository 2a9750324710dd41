import type { types } from 'mediasoup';

export interface KeyFrameRetryOptions {
  intervalMs: number;
  /** Requests at most (a presenter whose encoder never answers is not asked for ever). */
  attempts: number;
}

const defaults: KeyFrameRetryOptions = { intervalMs: 1000, attempts: 15 };

/**
 * A slide changes rarely, so its sender encodes almost no frames: a viewer whose first key frame is
 * lost (or was asked for before the sender had one) would stay black until the slide changes. The key
 * frame is asked for again every `intervalMs` until the consumer has sent one (its `keyframe` trace),
 * it is paused or closed, or the attempts run out.
 */
export async function keyFrameUntilSent(consumer: types.Consumer, options: KeyFrameRetryOptions = defaults): Promise<void> {
  await consumer.enableTraceEvent(['keyframe']);
  let attempts = 0;
  const timer: NodeJS.Timeout = setInterval(() => request(), options.intervalMs);
  const stop = () => {
    clearInterval(timer);
    consumer.off('trace', onTrace);
    consumer.observer.off('pause', stop);
    consumer.observer.off('close', stop);
    if (!consumer.closed) consumer.enableTraceEvent([]).catch(() => undefined);
  };
  const onTrace = (trace: types.ConsumerTraceEventData) => {
    if (trace.type === 'keyframe' && trace.direction === 'out') stop();
  };
  consumer.on('trace', onTrace);
  consumer.observer.on('pause', stop);
  consumer.observer.on('close', stop);
  const request = () => {
    if (++attempts > options.attempts) return stop();
    // closed between two ticks: the close listener stops the timer
    consumer.requestKeyFrame().catch(() => undefined);
  };
  request();
}
