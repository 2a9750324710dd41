// libsrtp3's API, as mediasoup's worker calls it, over Debian 12's libsrtp2:
// separate in/out buffers with size_t lengths (libsrtp2 works in place on int lengths),
// srtp_stream_remove, and (mediasoup >= 3.2x) the opaque policy object.
#pragma once
#include <srtp2/srtp.h>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

#define srtp_err_status_buffer_small ((srtp_err_status_t)27)
#define srtp_err_status_cryptex_err ((srtp_err_status_t)28)

// Copies `in` to `out` (when they differ) and lets libsrtp2 transform `out` in place.
template <class InPlace>
inline srtp_err_status_t ms_srtp3_transform(const uint8_t* in, size_t in_len, uint8_t* out, size_t* out_len, InPlace&& transform)
{
  if (in_len > *out_len) return srtp_err_status_buffer_small;
  if (in != out) std::memmove(out, in, in_len);
  int len = static_cast<int>(in_len);
  srtp_err_status_t e = transform(&len);
  *out_len = static_cast<size_t>(len);
  return e;
}
inline srtp_err_status_t srtp_protect(srtp_t ctx, const uint8_t* rtp, size_t rtp_len, uint8_t* srtp, size_t* srtp_len, size_t mki_index)
{
  return ms_srtp3_transform(rtp, rtp_len, srtp, srtp_len, [&](int* len) {
    return mki_index ? srtp_protect_mki(ctx, srtp, len, 1, static_cast<unsigned int>(mki_index)) : srtp_protect(ctx, srtp, len);
  });
}
inline srtp_err_status_t srtp_unprotect(srtp_t ctx, const uint8_t* srtp, size_t srtp_len, uint8_t* rtp, size_t* rtp_len)
{
  return ms_srtp3_transform(srtp, srtp_len, rtp, rtp_len, [&](int* len) { return srtp_unprotect(ctx, rtp, len); });
}
inline srtp_err_status_t srtp_protect_rtcp(srtp_t ctx, const uint8_t* rtcp, size_t rtcp_len, uint8_t* srtcp, size_t* srtcp_len, size_t mki_index)
{
  return ms_srtp3_transform(rtcp, rtcp_len, srtcp, srtcp_len, [&](int* len) {
    return mki_index ? srtp_protect_rtcp_mki(ctx, srtcp, len, 1, static_cast<unsigned int>(mki_index)) : srtp_protect_rtcp(ctx, srtcp, len);
  });
}
inline srtp_err_status_t srtp_unprotect_rtcp(srtp_t ctx, const uint8_t* srtcp, size_t srtcp_len, uint8_t* rtcp, size_t* rtcp_len)
{
  return ms_srtp3_transform(srtcp, srtcp_len, rtcp, rtcp_len, [&](int* len) { return srtp_unprotect_rtcp(ctx, rtcp, len); });
}
inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc_network_order)
{
  return srtp_remove_stream(session, ssrc_network_order);
}
#ifdef MS_SHIM_SRTP3_OPAQUE_POLICY
// libsrtp3's opaque policy object (srtp_policy_create/…/destroy) over libsrtp2's policy struct.
struct ms_srtp3_policy
{
  srtp_policy_t policy{};
  unsigned char key[SRTP_MAX_KEY_LEN]{};
};
typedef ms_srtp3_policy* ms_srtp3_policy_ptr;
inline srtp_err_status_t srtp_policy_create(ms_srtp3_policy_ptr* out)
{
  *out = new (std::nothrow) ms_srtp3_policy();
  return *out ? srtp_err_status_ok : srtp_err_status_alloc_fail;
}
inline void srtp_policy_destroy(ms_srtp3_policy_ptr p) { delete p; }
inline srtp_err_status_t srtp_policy_set_ssrc(ms_srtp3_policy_ptr p, srtp_ssrc_t ssrc)
{
  p->policy.ssrc = ssrc;
  return srtp_err_status_ok;
}
inline srtp_err_status_t srtp_policy_set_profile(ms_srtp3_policy_ptr p, srtp_profile_t profile)
{
  srtp_err_status_t e = srtp_crypto_policy_set_from_profile_for_rtp(&p->policy.rtp, profile);
  return e ? e : srtp_crypto_policy_set_from_profile_for_rtcp(&p->policy.rtcp, profile);
}
inline srtp_err_status_t srtp_policy_add_key(
  ms_srtp3_policy_ptr p, const uint8_t* key, size_t keyLen, const uint8_t* salt, size_t saltLen, const uint8_t*, size_t mkiLen)
{
  if (mkiLen != 0 || keyLen + saltLen > sizeof(p->key)) return srtp_err_status_bad_param;
  std::memcpy(p->key, key, keyLen);
  std::memcpy(p->key + keyLen, salt, saltLen);
  p->policy.key = p->key;
  return srtp_err_status_ok;
}
inline srtp_err_status_t srtp_policy_set_allow_repeat_tx(ms_srtp3_policy_ptr p, bool allow)
{
  p->policy.allow_repeat_tx = allow ? 1 : 0;
  return srtp_err_status_ok;
}
inline srtp_err_status_t srtp_policy_set_window_size(ms_srtp3_policy_ptr p, size_t size)
{
  p->policy.window_size = static_cast<unsigned long>(size);
  return srtp_err_status_ok;
}
inline srtp_err_status_t srtp_create(srtp_t* session, ms_srtp3_policy_ptr p) { return srtp_create(session, &p->policy); }
#define srtp_policy_t ms_srtp3_policy_ptr
#endif
