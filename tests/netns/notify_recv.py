#!/usr/bin/env python3
"""A stand-in for systemd's notification socket (sd_notify(3)): binds a
unix datagram socket at argv[1] (writable by anyone, so that a daemon that
dropped its privileges can still send), and appends every message to
argv[2] as one line: milliseconds since the epoch, a space, the message
with its newlines shown as '|'."""
import os
import socket
import sys
import time

path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)
with open(out, "a", buffering=1) as f:
    while True:
        msg = s.recv(65536).decode(errors="replace").strip("\n")
        f.write("%d %s\n" % (time.time() * 1000, msg.replace("\n", "|")))
