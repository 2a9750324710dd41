import { EventEmitter } from 'node:events';
import type { GatewayLog } from '../CameraGatewayTypes.js';
import { noticeOf, type NotificationMessage } from './deviceEventTopics.js';
import type { DeviceEventNotice, EventsAccess, PullPointOptions } from './DeviceEventTypes.js';
import { soapCall, type SoapBody } from './onvifSoap.js';
import { HubError } from '../../errors/index.js';

const action = {
  create: 'http://www.onvif.org/ver10/events/wsdl/EventPortType/CreatePullPointSubscriptionRequest',
  pull: 'http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesRequest',
  renew: 'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest',
  unsubscribe: 'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest',
};

export type PullPointSubscriptionEvents = {
  notice: [notice: DeviceEventNotice];
};

/**
 * A camera's ONVIF events through a PullPoint subscription (the profile-S way that needs no callback
 * from the camera to the hub): subscribe, pull with a long wait, renew well before the lease ends,
 * and on any failure subscribe again after a growing pause. Stopping unsubscribes (if the camera
 * still answers).
 */
export class PullPointSubscription extends EventEmitter<PullPointSubscriptionEvents> {
  readonly #access: () => Promise<EventsAccess | null>;
  readonly #options: PullPointOptions;
  readonly #log: GatewayLog;
  readonly #cameraId: number;
  readonly #checkUri: (uri: string) => string;
  /** Cuts a pull waiting on the camera when the subscriber stops. */
  readonly #cancel = new AbortController();
  #stopped = false;
  #running?: Promise<void>;
  #wake?: () => void;

  /** `checkUri`: the subscription's address comes from the device, so it is held to the camera's URI rules (throws if refused). */
  constructor(
    cameraId: number,
    deps: { access: () => Promise<EventsAccess | null>; checkUri: (uri: string) => string; options: PullPointOptions; log: GatewayLog },
  ) {
    super();
    this.#cameraId = cameraId;
    this.#checkUri = deps.checkUri;
    this.#access = deps.access;
    this.#options = deps.options;
    this.#log = deps.log;
  }

  start(): void {
    this.#running ??= this.#run().catch((err: unknown) => this.#log.error({ err, cameraId: this.#cameraId }, 'camera events stopped'));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancel.abort();
    this.#wake?.();
    await this.#running;
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopped) {
      try {
        const access = await this.#access();
        if (!access) {
          // the camera offers no events service: nothing to follow (asked again after a long pause)
          await this.#pause(this.#options.backoffMs.max);
          continue;
        }
        await this.#follow(access, () => {
          failures = 0;
        });
      } catch (err) {
        if (this.#stopped) return;
        failures++;
        // the device's words go to the log only; a camera that keeps failing is retried slowly
        if (failures === 1 || failures % 20 === 0)
          this.#log.warn(
            {
              cameraId: this.#cameraId,
              failures,
              detail: err instanceof Error ? err.message : String(err),
              ...(err instanceof HubError ? err.logDetail : {}),
            },
            'camera events unavailable',
          );
        const { initial, max } = this.#options.backoffMs;
        await this.#pause(Math.min(max, initial * 2 ** Math.min(10, failures - 1)));
      }
    }
  }

  /** One subscription, pulled until it fails or the subscriber stops. */
  async #follow(access: EventsAccess, delivered: () => void): Promise<void> {
    const { pullSeconds, leaseSeconds } = this.#options;
    const timeoutMs = (pullSeconds + 10) * 1000;
    const created = await soapCall(
      access.xaddr,
      action.create,
      `<tev:CreatePullPointSubscription><tev:InitialTerminationTime>PT${leaseSeconds}S</tev:InitialTerminationTime></tev:CreatePullPointSubscription>`,
      access,
      timeoutMs,
      this.#cancel.signal,
    );
    const address = this.#checkUri(subscriptionAddress(created));
    let renewAt = Date.now() + (leaseSeconds * 1000) / 2;
    try {
      while (!this.#stopped) {
        if (Date.now() >= renewAt) {
          const renew = `<wsnt:Renew><wsnt:TerminationTime>PT${leaseSeconds}S</wsnt:TerminationTime></wsnt:Renew>`;
          await soapCall(address, action.renew, renew, access, timeoutMs, this.#cancel.signal);
          renewAt = Date.now() + (leaseSeconds * 1000) / 2;
        }
        const pulled = await soapCall(
          address,
          action.pull,
          `<tev:PullMessages><tev:Timeout>PT${pullSeconds}S</tev:Timeout><tev:MessageLimit>64</tev:MessageLimit></tev:PullMessages>`,
          access,
          timeoutMs,
          this.#cancel.signal,
        );
        delivered();
        const received = new Date();
        const response = pulled.PullMessagesResponse as { NotificationMessage?: NotificationMessage | NotificationMessage[] } | undefined;
        for (const message of ([] as NotificationMessage[]).concat(response?.NotificationMessage ?? [])) {
          const notice = noticeOf(message, received);
          if (notice) this.emit('notice', notice);
        }
      }
    } finally {
      if (this.#stopped) await soapCall(address, action.unsubscribe, '<wsnt:Unsubscribe/>', access, 5000).catch(() => undefined);
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function subscriptionAddress(answer: SoapBody): string {
  const response = answer.CreatePullPointSubscriptionResponse as
    { SubscriptionReference?: { Address?: { _?: string } | string } } | undefined;
  const address = response?.SubscriptionReference?.Address;
  const text = typeof address === 'string' ? address : address?._;
  if (!text) throw new Error('CreatePullPointSubscription answered without a subscription address');
  return text.trim();
}
