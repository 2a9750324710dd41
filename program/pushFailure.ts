/**
 * Why a push (or a pushed feed) stopped, in words a chair can act on and nothing more: ffmpeg's own lines
 * name the destination's URL, stream key or passphrase included, and must reach no page, answer or log.
 */
const reasons: Array<[RegExp, string]> = [
  [/connection refused/i, 'nơi nhận từ chối kết nối'],
  [/timed out|timeout/i, 'nơi nhận không trả lời (hết thời gian chờ)'],
  [/name or service not known|resolve|no address associated|failed to resolve/i, 'không tìm thấy máy chủ nơi nhận'],
  [/unreachable|no route/i, 'không đến được nơi nhận'],
  [/forbidden|unauthori[sz]ed|badname|bad name|rejected|passphrase|wrong password|authenti/i, 'nơi nhận từ chối (sai khoá hoặc mật khẩu?)'],
  [/broken pipe|connection reset|end of file|eof/i, 'mất kết nối với nơi nhận'],
  [/invalid data|invalid argument|could not write header|error opening output/i, 'nơi nhận không nhận luồng này'],
];

/** The reason ffmpeg's lines give, from a fixed list; `fallback` when none is recognised. */
export function pushFailureReason(ffmpegSaid: string, fallback: string): string {
  for (const [pattern, reason] of reasons) if (pattern.test(ffmpegSaid)) return reason;
  return fallback;
}
