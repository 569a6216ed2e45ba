#!/usr/bin/python3
"""RTSP test server (GStreamer) for the Streamer.Media RTSP tests.

Usage: rtsp_server.py PORT SECURE_PORT CLIP.mp4 USER PASSWORD
Serves on 127.0.0.1:PORT
  /file    the H.264 mp4 clip, payloaded as it is
  /live    a live 320x240 15 fps test pattern, OpenH264
  /h265    the same pattern, x265
and on 127.0.0.1:SECURE_PORT, behind Digest authentication (GstRtspAuth gives anonymous
clients its default token without a challenge, so the protected server is a second one)
  /secure  the live H.264 pattern
Prints READY once both ports are bound.
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

PATTERN = "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1"


def factory(launch):
    f = GstRtspServer.RTSPMediaFactory()
    f.set_launch("( " + launch + " )")
    return f


def server_on(port):
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    return server


def main():
    port, secure_port, clip, user, password = sys.argv[1:6]
    Gst.init(None)
    h264_live = PATTERN + " ! openh264enc gop-size=15 ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1"

    server = server_on(port)
    mounts = server.get_mount_points()
    mounts.add_factory("/file", factory(
        "filesrc location=" + clip + " ! qtdemux ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1"))
    mounts.add_factory("/live", factory(h264_live))
    mounts.add_factory("/h265", factory(
        PATTERN + " ! x265enc tune=zerolatency speed-preset=ultrafast key-int-max=15 ! h265parse"
        " ! rtph265pay name=pay0 pt=96 config-interval=1"))

    secure = server_on(secure_port)
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", "user")
    auth.add_digest(user, password, token)
    auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
    secure.set_auth(auth)
    protected = factory(h264_live)
    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_role_from_structure(Gst.Structure.new_from_string(
        "user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"))
    protected.set_permissions(permissions)
    secure.get_mount_points().add_factory("/secure", protected)

    if server.attach(None) == 0 or secure.attach(None) == 0:
        print("FAILED to bind", flush=True)
        sys.exit(1)
    print("READY", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
