#!/usr/bin/python3
"""Crafted OSPF and BFD packets against a live fabricd (tests/netns/test_malformed.sh).

Runs in the attacker's namespace and sends each packet as a whole Ethernet
frame on one port (AF_PACKET), so that every header field is ours to break.
After each packet it polls the daemon's counters (`fabricctl --json show
counters` and `show bfd`, through the control socket's path) until a counter
moves, and prints one line per packet:  OK|MISS <name>: <counter> +N.

A packet is expected either to be dropped (some counter under a "drops" key
moves) or, for the few that the RFC says to process (an LSA claiming to be
ours, MaxAge edge cases), to be counted (a named non-drop counter moves).
Usage: malformed.py FABRICCTL SOCKET IFACE SRC DST DST_MAC ATTACKER_RID DUT_RID LOCAL_DISCR
       malformed.py --flood-bfd|--flood-lsa SECONDS RATE ... (same arguments)
Packets are built here byte by byte (struct), from RFC 2328 A.3/A.4 and RFC 5880 4.1.
"""
import json
import socket
import struct
import subprocess
import sys
import time

ETH_P_IP = 0x0800


def ip_checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def aton(a):
    return struct.unpack("!I", socket.inet_aton(a))[0]


def ipv4(src, dst, proto, payload, ttl=1, tos=0xC0):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(payload), 0x1234, 0, ttl, proto, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", ip_checksum(hdr)) + hdr[12:]
    return hdr + payload


def udp(src, dst, sport, dport, payload):
    length = 8 + len(payload)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 17, length)
    h = struct.pack("!HHHH", sport, dport, length, 0)
    c = ip_checksum(pseudo + h + payload) or 0xFFFF
    return struct.pack("!HHHH", sport, dport, length, c) + payload


# ---- OSPF (RFC 2328 A.3.1) ----
def ospf(ptype, body, rid, area=0, autype=0, version=2, length=None, cksum=None, auth=b"\0" * 8):
    ln = 24 + len(body) if length is None else length
    h = struct.pack("!BBHIIHH", version, ptype, ln & 0xFFFF, rid, area, 0, autype & 0xFFFF) + auth
    if cksum is None:
        # D.4.1: checksum over the whole packet with the auth field left out
        cksum = ip_checksum(h[:16] + body)
    return h[:12] + struct.pack("!H", cksum & 0xFFFF) + h[14:] + body


def hello_body(mask=0xFFFFFFFE, hello=1, opts=0x02, prio=1, dead=3, dr=0, bdr=0, nbrs=()):
    b = struct.pack("!IHBBIII", mask, hello, opts, prio, dead, dr, bdr)
    for n in nbrs:
        b += struct.pack("!I", n)
    return b


def fletcher(lsa):
    """LSA checksum (RFC 2328 12.1.7, ISO 8473 Fletcher) over the LSA without LS age."""
    data = bytearray(lsa[2:])
    data[14] = data[15] = 0  # checksum field (offset 16 in the LSA)
    c0 = c1 = 0
    for x in data:
        c0 = (c0 + x) % 255
        c1 = (c1 + c0) % 255
    pos = 15  # checksum position in data, 1-based 15..16 -> x at index 14
    x = ((len(data) - pos) * c0 - c1) % 255
    if x <= 0:
        x += 255
    y = 510 - c0 - x
    if y > 255:
        y -= 255
    return (x << 8) | y


def lsa(ltype, lsid, adv, body, seq=0x80000001, age=1, opts=0x02, length=None, cksum=None):
    ln = 20 + len(body) if length is None else length
    h = struct.pack("!HBBIIiHH", age, opts, ltype, lsid, adv, seq - (1 << 32) if seq >= 1 << 31 else seq,
                    0, ln & 0xFFFF)
    raw = h + body
    c = fletcher(raw) if cksum is None else cksum
    return raw[:16] + struct.pack("!H", c & 0xFFFF) + raw[18:]


def router_body(links, nlinks=None, flags=0):
    b = struct.pack("!BBH", flags, 0, len(links) if nlinks is None else nlinks)
    for lid, ldata, ltype, metric in links:
        b += struct.pack("!IIBBH", lid, ldata, ltype, 0, metric)
    return b


def lsu(lsas, count=None):
    return struct.pack("!I", len(lsas) if count is None else count) + b"".join(lsas)


def dd_body(mtu=1500, opts=0x02, flags=0x07, seq=0x1000, headers=b""):
    return struct.pack("!HBBI", mtu, opts, flags, seq) + headers


# ---- BFD (RFC 5880 4.1) ----
def bfd(vers=1, diag=0, state=1, flags=0, mult=3, length=None, my=0x1111, your=0,
        tx=100000, rx=100000, echo=0, auth=b""):
    ln = 24 + len(auth) if length is None else length
    return struct.pack("!BBBBIIIII", (vers << 5) | diag, (state << 6) | flags, mult, ln & 0xFF,
                       my, your, tx, rx, echo) + auth


class Dut:
    def __init__(self, ctl, sock):
        self.ctl, self.sock = ctl, sock

    def json(self, *cmd):
        out = subprocess.run([self.ctl, "-s", self.sock, "--json"] + list(cmd),
                             capture_output=True, text=True, timeout=10)
        return json.loads(out.stdout) if out.returncode == 0 else None

    def counters(self):
        """Every numeric counter, flattened to 'path.to.key' -> value."""
        flat = {}

        def walk(prefix, o):
            if isinstance(o, dict):
                for k, v in o.items():
                    walk(prefix + "." + k if prefix else k, v)
            elif isinstance(o, list):
                for i, v in enumerate(o):
                    walk("%s[%d]" % (prefix, i), v)
            elif isinstance(o, (int, float)) and not isinstance(o, bool):
                flat[prefix] = o
        walk("", self.json("show", "counters"))
        bfd_ = self.json("show", "bfd") or {}
        for s in bfd_.get("sessions", []):
            walk("bfd_session." + s.get("peer", "?"), s.get("counters", {}))
        return flat


# Counters that move on their own (hellos, BFD packets, timers): never evidence.
NOISE = ("rx_packets", "tx_packets", "packets_in", "packets_out", "timer_late", "timers_late",
         "retransmissions", "finals_sent", "polls_started", "uptime", "sessions")


# Counters of things discarded: packet drops by reason, and LSAs a valid
# update carried but the daemon did not install (show counters' lsa_*).
DISCARDS = ("drops", "lsa_unknown_type", "lsa_malformed", "lsa_bad_seq", "lsa_refused")


def moved(before, after, want_drop, family):
    out = []
    for k, v in after.items():
        d = v - before.get(k, 0)
        if d <= 0 or any(n in k for n in NOISE) or not k.startswith(family):
            continue
        if want_drop and not any(w in k for w in DISCARDS):
            continue
        out.append("%s +%s" % (k, d))
    return out


class Sender:
    def __init__(self, iface, src, dst, dst_mac):
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
        self.s.bind((iface, 0))
        self.my_mac = self.s.getsockname()[4]
        self.src, self.dst, self.dst_mac = src, dst, bytes.fromhex(dst_mac.replace(":", ""))

    def frame(self, ippkt, mcast=True):
        dmac = bytes.fromhex("01005e000005") if mcast else self.dst_mac
        return dmac + self.my_mac + struct.pack("!H", ETH_P_IP) + ippkt

    def ospf(self, payload, mcast=True):
        dst = "224.0.0.5" if mcast else self.dst
        return self.frame(ipv4(self.src, dst, 89, payload), mcast)

    def bfd(self, payload, ttl=255, sport=49999):
        return self.frame(ipv4(self.src, self.dst, 17, udp(self.src, self.dst, sport, 3784, payload),
                               ttl=ttl), mcast=False)

    def send(self, frame):
        self.s.send(frame)


def cases(a, dut_rid, local_discr):
    """(name, frame, expect) with expect 'drop' or 'count'."""
    A = aton(a["rid"])
    S = a["snd"]
    out = []

    def o(name, payload, expect="drop", mcast=True):
        out.append((name, S.ospf(payload, mcast), expect))

    def b(name, payload, expect="drop", **kw):
        out.append((name, S.bfd(payload, **kw), expect))

    good_hello = ospf(1, hello_body(nbrs=[dut_rid]), A)
    # -- common header (A.3.1, 8.2)
    for n in range(0, 24):
        o("ospf short packet %d bytes" % n, good_hello[:n])
    for v in (0, 1, 3, 4, 255):
        o("ospf version %d" % v, ospf(1, hello_body(), A, version=v))
    for t in (0, 6, 7, 128, 255):
        o("ospf packet type %d" % t, ospf(t, hello_body(), A))
    for ln in (0, 1, 23, 24 + 19, 24 + 21, 24 + 100, 65535):
        o("ospf header length %d" % ln, ospf(1, hello_body(), A, length=ln))
    for x in (1, 0x100, 0xFFFF, 0x8000):
        o("ospf checksum off by xor %#x" % x,
          ospf(1, hello_body(), A, cksum=ip_checksum(ospf(1, hello_body(), A)[:16] + hello_body()) ^ x))
    for area in ("0.0.0.1", "10.0.0.0", "255.255.255.255"):
        o("ospf area %s" % area, ospf(1, hello_body(), A, area=aton(area)))
    for at in (1, 2, 3, 255, 65535):
        o("ospf autype %d" % at, ospf(1, hello_body(), A, autype=at, cksum=0 if at == 2 else None))
    o("ospf from our own router id", ospf(1, hello_body(), dut_rid))
    # -- Hello (10.5)
    for hi in (2, 10, 0, 65535):
        o("hello interval %d" % hi, ospf(1, hello_body(hello=hi), A))
    for dead in (4, 40, 0, 0xFFFFFFFF):
        o("dead interval %d" % dead, ospf(1, hello_body(dead=dead), A))
    o("hello E-bit clear", ospf(1, hello_body(opts=0x00), A))
    for n in range(0, 20):
        o("hello body %d bytes" % n, ospf(1, hello_body()[:n], A))
    for extra in (1, 2, 3):
        o("hello neighbor list +%d bytes" % extra, ospf(1, hello_body() + b"\x0a" * extra, A))
    for rid in ("0.0.0.0", "255.255.255.255"):
        o("hello from router id %s" % rid, ospf(1, hello_body(), aton(rid)))
    # -- from routers that are not our neighbor (8.2: non-Hello needs a neighbor)
    for k, rid in enumerate(("10.99.0.1", "10.99.0.2", "192.0.2.1")):
        o("dd from unknown router %s" % rid, ospf(2, dd_body(), aton(rid)))
        o("lsr from unknown router %s" % rid, ospf(3, struct.pack("!III", 1, A, A), aton(rid)))
        o("lsack from unknown router %s" % rid, ospf(5, lsa(1, A, A, router_body([]))[:20], aton(rid)))
        o("lsu from unknown router %s" % rid, ospf(4, lsu([lsa(1, A, A, router_body([]))]), aton(rid)))
    # -- Link State Acknowledgment shape (A.3.6)
    for extra in (1, 7, 13, 19):
        o("lsack body not a multiple of 20 (+%d)" % extra, ospf(5, b"\0" * (20 + extra), A))
    # -- Link State Update shape (A.3.5, 13)
    for n in range(0, 4):
        o("lsu body %d bytes" % n, ospf(4, b"\0" * n, A))
    one = lsa(1, aton("10.98.0.1"), aton("10.98.0.1"), router_body([]))
    for cnt in (2, 10, 1000, 0xFFFFFFFF):
        o("lsu says %d LSAs, carries 1" % cnt, ospf(4, lsu([one], count=cnt), A))
    for ln in (0, 1, 19):
        o("lsa length %d" % ln, ospf(4, lsu([lsa(1, aton("10.98.0.2"), aton("10.98.0.2"),
                                                 router_body([]), length=ln)]), A))
    for ln in (24 + 4, 24 + 400, 65535):
        o("lsa length %d past the packet" % ln,
          ospf(4, lsu([lsa(1, aton("10.98.0.3"), aton("10.98.0.3"), router_body([]), length=ln)]), A))
    for x in (1, 0x100, 0x0F0F, 0xFFFF, 0x8000):
        good = lsa(1, aton("10.98.0.4"), aton("10.98.0.4"), router_body([]))
        c = struct.unpack("!H", good[16:18])[0] ^ x
        o("lsa checksum off by xor %#x" % x, ospf(4, lsu([good[:16] + struct.pack("!H", c) + good[18:]]), A))
    # -- unknown LSA types (13 step 2)
    for t in (0, 6, 8, 12, 13, 100, 200, 255):
        o("lsa type %d" % t, ospf(4, lsu([lsa(t, aton("10.98.1.%d" % (t % 250)), A, b"\0" * 8)]), A))
    # -- Router-LSA bodies of impossible length (A.4.2: 4 + 12 x links)
    for ln in range(20, 40):
        if ln in (24, 36):
            continue
        body = router_body([(aton("10.98.2.0"), 0xFFFFFF00, 3, 10)])[: ln - 20]
        body += b"\0" * (ln - 20 - len(body))
        o("router lsa length %d" % ln, ospf(4, lsu([lsa(1, aton("10.98.2.%d" % ln), aton("10.98.2.%d" % ln),
                                                        body)]), A))
    for nl in (2, 5, 65535):
        o("router lsa says %d links, carries 1" % nl,
          ospf(4, lsu([lsa(1, aton("10.98.3.%d" % (nl % 250)), aton("10.98.3.%d" % (nl % 250)),
                           router_body([(aton("10.98.3.0"), 0xFFFFFF00, 3, 10)], nlinks=nl))]), A))
    for lt in (0, 5, 255):
        # A.4.2: SPF skips a link of unknown type; the LSA itself is valid
        o("router lsa link type %d" % lt,
          ospf(4, lsu([lsa(1, aton("10.98.4.%d" % lt), aton("10.98.4.%d" % lt),
                           router_body([(aton("10.98.4.0"), 0xFFFFFF00, lt, 10)]))]), A), "count")
    # an update cut short at every byte of its one LSA
    whole = ospf(4, lsu([lsa(1, aton("10.98.8.1"), aton("10.98.8.1"),
                             router_body([(aton("10.98.8.0"), 0xFFFFFF00, 3, 10)]))]), A)[24:]
    for n in range(5, len(whole)):
        o("lsu cut at byte %d of %d" % (n, len(whole)), ospf(4, whole[:n], A))
    for ln in (20, 22, 26):
        o("network lsa length %d" % ln,
          ospf(4, lsu([lsa(2, aton("10.98.5.%d" % ln), aton("10.98.5.1"), (b"\xff\xff\xff\0" + b"\0" * 8)[: ln - 20])]), A))
    # -- sequence number and age edge cases (12.1.6, 13, 14)
    o("lsa sequence 0x80000000 (reserved)",
      ospf(4, lsu([lsa(1, aton("10.98.6.1"), aton("10.98.6.1"), router_body([]), seq=0x80000000)]), A))
    o("lsa MaxAge, not in our database (13 step 4: acknowledged, discarded)",
      ospf(4, lsu([lsa(1, aton("10.98.6.2"), aton("10.98.6.2"), router_body([]), age=3600)]), A), "count")
    for age in (3601, 0x7FFF, 0xFFFF):
        # beyond MaxAge: dropped, or taken as MaxAge; either way counted
        o("lsa age %d (beyond MaxAge)" % age,
          ospf(4, lsu([lsa(1, aton("10.98.6.%d" % (age % 250)), aton("10.98.6.%d" % (age % 250)),
                           router_body([]), age=age)]), A), "count")
    # -- LSAs claiming to be ours (13.4: a newer instance makes us re-originate or flush)
    o("our router lsa with a higher sequence number",
      ospf(4, lsu([lsa(1, dut_rid, dut_rid, router_body([]), seq=0x7FFFFF00)]), A), "count")
    o("a network lsa in our name",
      ospf(4, lsu([lsa(2, aton("10.98.7.1"), dut_rid, b"\xff\xff\xff\0" + struct.pack("!I", dut_rid))]), A),
      "count")
    o("our router lsa at MaxAge",
      ospf(4, lsu([lsa(1, dut_rid, dut_rid, router_body([]), seq=0x7FFFFF10, age=3600)]), A), "count")
    # -- Database Description and LS Request shape from the Full neighbor (last: they reset it)
    for n in range(0, 8):
        o("dd body %d bytes" % n, ospf(2, dd_body()[:n], A), "drop")
    for extra in (1, 7, 13, 19):
        o("dd headers not a multiple of 20 (+%d)" % extra, ospf(2, dd_body(headers=b"\0" * (20 + extra)), A))
    for extra in (1, 5, 11):
        o("lsr body not a multiple of 12 (+%d)" % extra, ospf(3, b"\0" * (12 + extra), A))
    for n in range(1, 12):
        o("lsr cut at byte %d of 12" % n, ospf(3, struct.pack("!III", 1, A, A)[:n], A))
    hdr20 = lsa(1, A, A, router_body([]))[:20]
    for n in range(1, 20):
        o("lsack cut at byte %d of 20" % n, ospf(5, hdr20[:n], A))
    for n in range(1, 20):
        o("dd header cut at byte %d of 20" % n, ospf(2, dd_body(headers=hdr20[:n]), A))

    # -- BFD (RFC 5880 6.8.6, RFC 5881 5)
    good = bfd(state=3, my=0x1234, your=local_discr)
    for n in range(0, 24):
        b("bfd short %d bytes" % n, good[:n])
    for v in (0, 2, 3, 7):
        b("bfd version %d" % v, bfd(vers=v, your=local_discr))
    for ln in (0, 1, 23):
        b("bfd length field %d" % ln, bfd(length=ln, your=local_discr))
    for ln in (25, 100, 255):
        b("bfd length %d beyond the payload" % ln, bfd(length=ln, your=local_discr))
    for st in (1, 2, 3):
        b("bfd detect mult 0 (state %d)" % st, bfd(state=st, mult=0, your=local_discr))
    b("bfd multipoint bit", bfd(flags=0x01, your=local_discr))
    for st in (1, 3):
        b("bfd my discriminator 0 (state %d)" % st, bfd(state=st, my=0, your=local_discr))
    for st in (2, 3):
        b("bfd your discriminator 0 in state %d" % st, bfd(state=st, your=0))
    for atype, alen in ((0, 3), (6, 8), (255, 8), (1, 2), (2, 8), (4, 10)):
        auth = struct.pack("!BB", atype, alen) + b"\0" * max(0, alen - 2)
        b("bfd auth type %d len %d" % (atype, alen), bfd(flags=0x04, your=local_discr, auth=auth))
    b("bfd A bit on a session without auth",
      bfd(flags=0x04, your=local_discr, auth=struct.pack("!BBB", 1, 8, 1) + b"secret"[:5]))
    for your in (0x0BADBEEF, 1, 0xFFFFFFFF, local_discr + 1000, 0x7FFFFFFF):
        b("bfd unknown your discriminator %#x" % your, bfd(state=3, your=your))
    for ttl in (254, 253, 64, 1):
        b("bfd ttl %d" % ttl, bfd(state=3, my=0x1234, your=local_discr), ttl=ttl)
    return out


def wait_move(dut, before, want_drop, family, deadline_s=1.5):
    end = time.time() + deadline_s
    while True:
        after = dut.counters()
        m = moved(before, after, want_drop, family)
        if m or time.time() > end:
            return m, after
        time.sleep(0.02)


def run_suite(argv):
    ctl, sock, iface, src, dst, dst_mac, arid, drid, ldiscr = argv
    dut = Dut(ctl, sock)
    snd = Sender(iface, src, dst, dst_mac)
    all_cases = cases({"rid": arid, "snd": snd}, aton(drid), int(ldiscr))
    ok = miss = 0
    before = dut.counters()
    for name, frame, expect in all_cases:
        snd.send(frame)
        # an OSPF packet must move an OSPF counter, a BFD packet a BFD one
        m, before2 = wait_move(dut, before, expect == "drop", "bfd" if name.startswith("bfd") else "ospf")
        if m:
            ok += 1
            print("OK   %s: %s" % (name, ", ".join(m)))
        else:
            miss += 1
            print("MISS %s: no %s counter moved" % (name, "drop" if expect == "drop" else "named"))
        before = before2
        sys.stdout.flush()
    print("packets: %d, counted: %d, not counted: %d" % (len(all_cases), ok, miss))
    return 0 if miss == 0 else 1


def flood(argv, kind, seconds, rate):
    ctl, sock, iface, src, dst, dst_mac, arid, drid, ldiscr = argv
    dut = Dut(ctl, sock)
    snd = Sender(iface, src, dst, dst_mac)
    A = aton(arid)
    frames = []
    if kind == "bfd":
        for k in range(256):
            frames.append(snd.bfd(bfd(state=3, my=0x4000 + k, your=0x0BAD0000 + k)))
    else:
        # 5,000 Router-LSAs of fake routers, 30 to an update (one frame each)
        for k in range(0, 5000, 30):
            lsas = [lsa(1, aton("10.200.0.0") + j, aton("10.200.0.0") + j,
                        router_body([(aton("10.96.0.0"), 0xFFFFFF00, 3, 10)])) for j in range(k, min(k + 30, 5000))]
            frames.append(snd.ospf(ospf(4, lsu(lsas), A)))
    sent = 0
    worst = 0.0
    lat = []
    start = time.time()
    next_probe = start
    interval = 1.0 / rate if rate else 0
    t = start
    while time.time() - start < seconds:
        snd.send(frames[sent % len(frames)])
        sent += 1
        if time.time() >= next_probe:
            t0 = time.time()
            r = dut.json("show", "neighbors")
            dt = (time.time() - t0) * 1000
            lat.append(dt)
            worst = max(worst, dt)
            next_probe = time.time() + 0.2
            if r is None:
                print("show neighbors failed during the flood")
        if interval:
            t += interval
            d = t - time.time()
            if d > 0:
                time.sleep(d)
    lat.sort()
    el = time.time() - start
    print("flood %s: %d packets in %.1f s (%.0f/s); show neighbors: %d answers, median %.1f ms, worst %.1f ms"
          % (kind, sent, el, sent / el, len(lat), lat[len(lat) // 2] if lat else -1, worst))
    return 0


if __name__ == "__main__":
    if sys.argv[1].startswith("--flood-"):
        sys.exit(flood(sys.argv[4:], sys.argv[1][8:], float(sys.argv[2]), float(sys.argv[3])))
    sys.exit(run_suite(sys.argv[1:]))
