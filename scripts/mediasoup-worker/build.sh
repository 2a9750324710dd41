#!/usr/bin/env bash
# Builds mediasoup-worker from the npm package's C++ sources against Debian 12's system libraries,
# for machines that cannot download mediasoup's prebuilt worker or its meson subprojects.
#   build.sh <mediasoup package dir> <output binary path>
# Steps (verified with mediasoup's own test-suite and Chromium DTLS-SRTP, see README):
#   1. every meson subproject is replaced by a thin wrapper over the Debian library (make-shims.sh),
#   2. meson_version is relaxed to Debian's meson 1.0.1,
#   3. DtlsTransport's BIO callback returns `ret` for every BIO_CB_RETURN phase: Debian's KTLS-enabled
#      OpenSSL otherwise makes the worker crash inside SSL_read on the first DTLS packet
#      (still needed in 3.27.1),
#   4. 3.19.x only: liburing disabled (Debian's 2.3 is too old), flatbuffers headers generated first.
set -euo pipefail
pkg_dir=$(cd "$1" && pwd)
out_bin=$2
here=$(cd "$(dirname "$0")" && pwd)
jobs=$(nproc)

scratch=$(mktemp -d "${TMPDIR:-/tmp}/mediasoup-worker-build.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

cp -r "$pkg_dir/worker" "$scratch/worker"
rm -rf "$scratch/worker/out" "$scratch/worker/subprojects/packagecache"
sh "$here/make-shims.sh" "$scratch/worker"
sed -i "s/meson_version: '>= 1.1.0'/meson_version: '>= 1.0.0'/" "$scratch/worker/meson.build"

dtls="$scratch/worker/src/RTC/DtlsTransport.cpp"
sed -i 's/(operationType == BIO_CB_RETURN) ? static_cast<long>(ret) : 1;/(operationType \& BIO_CB_RETURN) ? static_cast<long>(ret) : 1;/' "$dtls"
grep -q '(operationType & BIO_CB_RETURN)' "$dtls" || { echo "DtlsTransport BIO fix did not apply" >&2; exit 1; }

cd "$scratch/worker"
options=(--buildtype release -Db_ndebug=true)
grep -q ms_disable_liburing meson_options.txt && options+=(-Dms_disable_liburing=true)
meson setup "${options[@]}" build
# (a variable, not a pipe: grep -q closing the pipe early would fail ninja under pipefail)
targets=$(ninja -C build -t targets all)
if grep -q '^fbs/FBS:' <<<"$targets"; then ninja -j "$jobs" -C build fbs/FBS; fi
ninja -j "$jobs" -C build mediasoup-worker

mkdir -p "$(dirname "$out_bin")"
install -m 0755 build/mediasoup-worker "$out_bin.partial"
mv "$out_bin.partial" "$out_bin"
echo "mediasoup-worker built: $out_bin"
