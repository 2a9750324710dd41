#!/usr/bin/python3
"""Simulated IP cameras: GStreamer's RTSP server serving pre-encoded clips, looped without a gap.

Each camera N has /camN/main and /camN/sub. A mount's pipeline is shared by all its clients and
exists only while someone plays it. Clips are demuxed from Matroska, so they are paced by their own
timestamps (almost no CPU), and looped with non-flushing segment seeks, so timestamps keep rising.

  rtsp_server.py --port 8554 --cameras 37 --main main.mkv --sub sub.mkv [--h265 h265.mkv --h265-cameras 5,6]
"""
import argparse
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def looping_factory(clip: str, codec: str) -> GstRtspServer.RTSPMediaFactory:
    parse, pay = ("h265parse", "rtph265pay") if codec == "h265" else ("h264parse", "rtph264pay")
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(f"( filesrc location={clip} ! matroskademux ! {parse} ! {pay} name=pay0 pt=96 config-interval=-1 )")
    factory.set_shared(True)
    factory.connect("media-configure", on_media_configure)
    return factory


def on_media_configure(_factory, media: GstRtspServer.RTSPMedia) -> None:
    pipeline = media.get_element().get_parent() or media.get_element()
    bus = pipeline.get_bus()
    bus.enable_sync_message_emission()

    def segment_seek(flush: bool) -> bool:
        flags = Gst.SeekFlags.SEGMENT | (Gst.SeekFlags.FLUSH if flush else Gst.SeekFlags.NONE)
        pipeline.seek(1.0, Gst.Format.TIME, flags, Gst.SeekType.SET, 0, Gst.SeekType.NONE, -1)
        return False

    def on_sync_message(_bus, message) -> None:
        if message.type == Gst.MessageType.SEGMENT_DONE:
            GLib.idle_add(segment_seek, False)

    bus.connect("sync-message", on_sync_message)
    # The server seeks the media itself when a client plays it; a segment seek after that turns the
    # clip's end into SEGMENT_DONE instead of EOS.
    def on_new_state(_media, state) -> None:
        if state == Gst.State.PLAYING:
            GLib.idle_add(segment_seek, True)

    media.connect("new-state", on_new_state)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8554)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--cameras", type=int, default=4)
    parser.add_argument("--main", required=True)
    parser.add_argument("--sub", required=True)
    parser.add_argument("--h265", help="an H.265 clip, served by the cameras listed in --h265-cameras")
    parser.add_argument("--h265-cameras", default="")
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address(args.address)
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    h265_cameras = {int(n) for n in args.h265_cameras.split(",") if n}
    for n in range(1, args.cameras + 1):
        if n in h265_cameras and args.h265:
            mounts.add_factory(f"/cam{n}/main", looping_factory(args.h265, "h265"))
            mounts.add_factory(f"/cam{n}/sub", looping_factory(args.h265, "h265"))
        else:
            mounts.add_factory(f"/cam{n}/main", looping_factory(args.main, "h264"))
            mounts.add_factory(f"/cam{n}/sub", looping_factory(args.sub, "h264"))
    if server.attach(None) == 0:
        sys.exit(f"cannot listen on {args.address}:{args.port}")
    loop = GLib.MainLoop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print(f"rtsp://{args.address}:{args.port}/camN/(main|sub) for N in 1..{args.cameras}", flush=True)
    loop.run()


if __name__ == "__main__":
    main()
