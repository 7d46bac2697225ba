#!/usr/bin/env python3
"""A proxy that forwards nothing: it records every connection a browser
opens to it and answers 502.

A browser whose proxy settings point here for every scheme (and for
127.0.0.1 too) cannot reach any network, and each attempt leaves a line
in the log: {"t": seconds since start, "line": the request line}, e.g.
"GET http://host/path HTTP/1.1" or "CONNECT host:443 HTTP/1.1".

Usage: netlog.py --port-file FILE --log FILE [--watch-pid PID]
                 [--lifetime S]

It listens on 127.0.0.1 on a free port (written to --port-file once
listening) and exits on SIGTERM, when PID is gone, or after --lifetime
seconds (300 by default), whichever comes first.
"""

import argparse
import json
import os
import signal
import socketserver
import sys
import threading
import time

START = time.monotonic()
LOCK = threading.Lock()


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.settimeout(3)
        data = b""
        try:
            while b"\n" not in data and len(data) < 8192:
                chunk = self.request.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        line = data.split(b"\n", 1)[0].strip().decode("latin-1")
        rec = {"t": round(time.monotonic() - START, 3), "line": line}
        with LOCK:
            with open(self.server.log, "a", encoding="utf-8") as f:
                f.write(json.dumps(rec) + "\n")
        try:
            self.request.sendall(b"HTTP/1.1 502 Bad Gateway\r\n"
                                 b"Content-Length: 0\r\n"
                                 b"Connection: close\r\n\r\n")
        except OSError:
            pass


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--watch-pid", type=int)
    ap.add_argument("--lifetime", type=float, default=300)
    a = ap.parse_args()
    srv = Server(("127.0.0.1", 0), Handler)
    srv.log = a.log
    open(a.log, "a").close()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.replace(tmp, a.port_file)
    while time.monotonic() - START < a.lifetime:
        if a.watch_pid and not alive(a.watch_pid):
            break
        time.sleep(0.2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
