import type { types } from 'mediasoup';

export interface KeyFrameRetryOptions {
  intervalMs: number;
  /** Requests at most (a presenter whose encoder never answers is not asked for ever). */
  attempts: number;
}

/** Why the requests stopped: the consumer sent a key frame, it was paused or closed, or the attempts ran out. */
export type KeyFrameRetryEnd = 'sent' | 'paused' | 'closed' | 'exhausted';

export interface KeyFrameRetry {
  /** Settles when the requests stop; nothing is asked for after that. */
  readonly ended: Promise<KeyFrameRetryEnd>;
}

const defaults: KeyFrameRetryOptions = { intervalMs: 1000, attempts: 15 };

/**
 * A slide changes rarely, so its sender encodes almost no frames: a viewer whose first key frame is
 * lost (or was asked for before the sender had one) would stay black until the slide changes. The key
 * frame is asked for again every `intervalMs` until the consumer has sent one (its `keyframe` trace),
 * it is paused or closed, or the attempts run out.
 */
export async function keyFrameUntilSent(consumer: types.Consumer, options: KeyFrameRetryOptions = defaults): Promise<KeyFrameRetry> {
  await consumer.enableTraceEvent(['keyframe']);
  let attempts = 0;
  let settle!: (end: KeyFrameRetryEnd) => void;
  const ended = new Promise<KeyFrameRetryEnd>((resolve) => (settle = resolve));
  const timer: NodeJS.Timeout = setInterval(() => request(), options.intervalMs);
  const stop = (end: KeyFrameRetryEnd) => {
    clearInterval(timer);
    consumer.off('trace', onTrace);
    consumer.observer.off('pause', onPause);
    consumer.observer.off('close', onClose);
    if (!consumer.closed) consumer.enableTraceEvent([]).catch(() => undefined);
    settle(end);
  };
  const onTrace = (trace: types.ConsumerTraceEventData) => {
    if (trace.type === 'keyframe' && trace.direction === 'out') stop('sent');
  };
  const onPause = () => stop('paused');
  const onClose = () => stop('closed');
  consumer.on('trace', onTrace);
  consumer.observer.on('pause', onPause);
  consumer.observer.on('close', onClose);
  const request = () => {
    if (++attempts > options.attempts) return stop('exhausted');
    // closed between two ticks: the close listener stops the timer
    consumer.requestKeyFrame().catch(() => undefined);
  };
  request();
  return { ended };
}
