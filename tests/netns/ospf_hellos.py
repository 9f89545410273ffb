#!/usr/bin/python3
"""Send forged OSPFv2 Hellos from many router IDs (tests): ospf_hellos.py
IFACE SRC MASK HELLO DEAD FIRST_RID COUNT. Router IDs FIRST_RID,
FIRST_RID+1, ...; each Hello from the same source address. scapy."""
import ipaddress
import sys
from scapy.all import Ether, IP, sendp, conf
from scapy.contrib.ospf import OSPF_Hdr, OSPF_Hello

iface, src, mask = sys.argv[1:4]
hello, dead = int(sys.argv[4]), int(sys.argv[5])
first, count = int(ipaddress.IPv4Address(sys.argv[6])), int(sys.argv[7])
conf.verb = 0
pkts = [Ether(dst="01:00:5e:00:00:05") /
        IP(src=src, dst="224.0.0.5", ttl=1, proto=89) /
        OSPF_Hdr(src=str(ipaddress.IPv4Address(first + i)), area="0.0.0.0") /
        OSPF_Hello(mask=mask, hellointerval=hello, options=0x02, prio=1,
                   deadinterval=dead)
        for i in range(count)]
sendp(pkts, iface=iface)
