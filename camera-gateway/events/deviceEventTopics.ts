import type { DeviceEventKind, DeviceEventNotice } from './DeviceEventTypes.js';

/**
 * The ONVIF topics the hub understands, by the end of their path (vendors put them under
 * tns1:VideoSource, tns1:RuleEngine/…, or their own prefix), and the data item that says whether the
 * condition holds. Anything else is ignored.
 */
const topics: Array<{ match: RegExp; kind: DeviceEventKind }> = [
  { match: /(MotionAlarm|CellMotionDetector\/Motion|MotionDetector\/Motion)$/i, kind: 'MOTION' },
  {
    match: /(TamperDetector\/Tamper|GlobalSceneChange(\/\w+)?|ImageTooBlurry(\/\w+)?|ImageTooDark(\/\w+)?|ImageTooBright(\/\w+)?)$/i,
    kind: 'TAMPER',
  },
  { match: /(SignalLoss|VideoLoss)(\/\w+)?$/i, kind: 'VIDEO_LOSS' },
];
const stateItems = new Set(['State', 'IsMotion', 'IsTamper', 'Value', 'LogicalState']);

type SimpleItem = { $?: { Name?: string; Value?: string } };
export interface NotificationMessage {
  Topic?: { _?: string } | string;
  Message?: { Message?: { $?: { UtcTime?: string; PropertyOperation?: string }; Data?: { SimpleItem?: SimpleItem | SimpleItem[] } } };
}

/** What a PullMessages notification says, or null for a topic the hub does not follow (or an Initialized state it already knows). */
export function noticeOf(message: NotificationMessage, received: Date): DeviceEventNotice | null {
  const topic = typeof message.Topic === 'string' ? message.Topic : (message.Topic?._ ?? '');
  const kind = topics.find((t) => t.match.test(topic.trim()))?.kind;
  const inner = message.Message?.Message;
  if (!kind || !inner) return null;
  const items = ([] as SimpleItem[]).concat(inner.Data?.SimpleItem ?? []);
  const state = items.find((item) => stateItems.has(item.$?.Name ?? ''))?.$?.Value;
  if (state === undefined) return null;
  const at = inner.$?.UtcTime ? new Date(inner.$.UtcTime) : received;
  return { kind, active: state === 'true' || state === '1', at: Number.isNaN(at.getTime()) ? received : at };
}
