"""A fixed-delay wire between pairs of TUN devices: what `tc qdisc … netem delay` would do.

This machine's kernel is built without sch_netem (CONFIG_NET_SCH_NETEM is not set), so the delay
is added here instead. Usage: delay-relay.py DELAY_MS OUTER1 INNER1 [OUTER2 INNER2 …]. For each pair
it creates two TUN devices (IFF_TUN | IFF_NO_PI: raw IP packets) and copies every packet read
from one to the other DELAY_MS later, in both directions: a host behind a pair is 2 × DELAY_MS of
round trip away. The caller moves INNER into a network namespace and gives both ends an address;
"ready" on stdout says the devices exist. The devices are not persistent: when this process exits
(even by SIGKILL), the kernel removes them.

One FIFO is enough for every pair: all packets wait the same time, so they come due in the order
they were read.
"""

import collections
import fcntl
import os
import selectors
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def main():
    delay = float(sys.argv[1]) / 1000.0
    names = sys.argv[2:]
    if not names or len(names) % 2:
        sys.exit("usage: delay-relay.py DELAY_MS OUTER INNER [OUTER INNER ...]")
    fds = [open_tun(n) for n in names]
    peer = {}
    for i in range(0, len(fds), 2):
        peer[fds[i]], peer[fds[i + 1]] = fds[i + 1], fds[i]
    sel = selectors.EpollSelector()
    for fd in fds:
        sel.register(fd, selectors.EVENT_READ)
    queue = collections.deque()
    print("ready", flush=True)
    while True:
        wait = queue[0][0] - time.monotonic() if queue else None
        if wait is not None and wait < 0.001:
            # epoll waits whole milliseconds, rounded up: the last one is slept precisely instead.
            time.sleep(max(0.0, wait))
            wait = 0
        elif wait is not None:
            wait -= 0.001
        for key, _ in sel.select(wait):
            due = time.monotonic() + delay
            while True:
                try:
                    packet = os.read(key.fd, 65536)
                except BlockingIOError:
                    break
                queue.append((due, peer[key.fd], packet))
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, fd, packet = queue.popleft()
            try:
                os.write(fd, packet)
            except OSError:
                pass  # the device is down (being torn down) or its queue is full: a lost packet, as on a wire


if __name__ == "__main__":
    main()
