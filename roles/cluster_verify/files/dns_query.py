#!/usr/bin/env python3
"""Ask one DNS server for the A records of one name (UDP, one question), without any DNS
tool on the host: dns_query.py SERVER NAME. Prints the addresses, one a line; exit 0 when
the answer has at least one, 1 for an empty or failed answer (the rcode is printed), 2 when
the server does not answer within 3 tries of 2 seconds."""
import random
import socket
import struct
import sys


def query(server, name):
    ident = random.randint(0, 0xFFFF)
    question = b"".join(bytes([len(label)]) + label.encode("ascii") for label in name.strip(".").split("."))
    packet = struct.pack(">HHHHHH", ident, 0x0100, 1, 0, 0, 0) + question + b"\x00" + struct.pack(">HH", 1, 1)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(2)
    for _attempt in range(3):
        sock.sendto(packet, (server, 53))
        try:
            data = sock.recv(4096)
        except socket.timeout:
            continue
        if struct.unpack(">H", data[:2])[0] == ident:
            return data
    return None


def skip_name(data, pos):
    while True:
        length = data[pos]
        if length & 0xC0 == 0xC0:
            return pos + 2
        if length == 0:
            return pos + 1
        pos += length + 1


def answers(data):
    flags, qdcount, ancount = struct.unpack(">HHH", data[2:8])
    pos = 12
    for _question in range(qdcount):
        pos = skip_name(data, pos) + 4
    addresses = []
    for _answer in range(ancount):
        pos = skip_name(data, pos)
        rtype, _cls, _ttl, length = struct.unpack(">HHIH", data[pos:pos + 10])
        pos += 10
        if rtype == 1 and length == 4:
            addresses.append(socket.inet_ntoa(data[pos:pos + 4]))
        pos += length
    return flags & 0xF, addresses


def main():
    server, name = sys.argv[1], sys.argv[2]
    data = query(server, name)
    if data is None:
        print("no answer from %s" % server)
        return 2
    rcode, addresses = answers(data)
    for address in addresses:
        print(address)
    if rcode or not addresses:
        print("rcode %d, %d addresses" % (rcode, len(addresses)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
