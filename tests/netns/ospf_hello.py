#!/usr/bin/python3
"""Send one forged OSPFv2 Hello (tests, benches): ospf_hello.py IFACE SRC
ROUTER_ID MASK HELLO DEAD [COUNT]. Uses scapy (python3-scapy)."""
import sys
from scapy.all import Ether, IP, sendp, conf
from scapy.contrib.ospf import OSPF_Hdr, OSPF_Hello

iface, src, rid, mask = sys.argv[1:5]
hello, dead = int(sys.argv[5]), int(sys.argv[6])
count = int(sys.argv[7]) if len(sys.argv) > 7 else 1
conf.verb = 0
pkt = (Ether(dst="01:00:5e:00:00:05") / IP(src=src, dst="224.0.0.5", ttl=1, proto=89) /
       OSPF_Hdr(src=rid, area="0.0.0.0") /
       OSPF_Hello(mask=mask, hellointerval=hello, options=0x02, prio=1,
                  deadinterval=dead))
sendp(pkt, iface=iface, count=count)
