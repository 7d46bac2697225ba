#!/usr/bin/env python3
"""githttp: a smart-HTTP git server for the publish and follow tests.

It owns: listening on 127.0.0.1, running `git http-backend` as a CGI for
every request on the bare repositories under --root, request bodies
sent with Content-Length or chunked (decoded into a temporary file, so
the backend always gets the whole body and CONTENT_LENGTH), HTTP Basic
authentication against one user and password, and a request log of one
line per request that tests grep: method, path with query, status,
user, body size, then the request line and every header, except that
the value of Authorization is never written.

It deliberately does not: serve anything but git's smart protocol (no
dumb HTTP, no directory listings), speak TLS, cache, or keep a request
body in memory.

Usage:
  githttp.py --root DIR --port-file FILE [--port N] [--log FILE]
             [--user USER --password-file FILE] [--watch-pid PID]

Without --user every request is served as user "anonymous", so pushes
are allowed; with it, a request without the right credentials gets 401
and WWW-Authenticate: Basic realm="ferry-test".  SIGTERM, SIGINT and
SIGHUP stop the server, as does the end of --watch-pid.
"""

import argparse
import base64
import hmac
import http.server
import os
import signal
import subprocess
import sys
import tempfile
import threading

PROG = "githttp"
REALM = "ferry-test"
CHUNK = 64 * 1024
MAX_LINE = 16 * 1024
MAX_CGI_HEADERS = 100
# Request headers that are not handed to the backend as HTTP_*.
NOT_CGI = {"authorization", "content-length", "content-type",
    "transfer-encoding", "proxy-authorization", "connection"}


def warn(fmt, *args):
    sys.stderr.write("%s: %s\n" % (PROG, fmt % args))
    sys.stderr.flush()


class BadRequest(Exception):
    pass


def copy_exact(src, dst, n):
    while n > 0:
        data = src.read(min(n, CHUNK))
        if not data:
            raise BadRequest("request body ends early")
        dst.write(data)
        n -= len(data)


def copy_chunked(src, dst):
    """Decodes a chunked body from src into dst; returns its size."""
    total = 0
    while True:
        line = src.readline(MAX_LINE)
        if not line.endswith(b"\n"):
            raise BadRequest("bad chunk size line")
        size = line.split(b";", 1)[0].strip()
        try:
            n = int(size, 16)
        except ValueError:
            raise BadRequest("bad chunk size %r" % size)
        if n < 0:
            raise BadRequest("negative chunk size")
        if n == 0:
            break
        copy_exact(src, dst, n)
        total += n
        if src.readline(MAX_LINE) not in (b"\r\n", b"\n"):
            raise BadRequest("chunk not followed by CRLF")
    while True:
        line = src.readline(MAX_LINE)
        if line in (b"\r\n", b"\n", b""):
            return total
        if not line.endswith(b"\n"):
            raise BadRequest("bad trailer line")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "githttp/1"

    def log_message(self, fmt, *args):
        pass

    # --- authentication --------------------------------------------------

    def authorized(self):
        """The user name to hand the backend, or None."""
        cfg = self.server.cfg
        if cfg.user is None:
            return "anonymous"
        value = self.headers.get("Authorization", "")
        scheme, _, cred = value.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            raw = base64.b64decode(cred.strip(), validate=True)
        except ValueError:
            return None
        user, sep, password = raw.partition(b":")
        if not sep:
            return None
        want_user = cfg.user.encode("utf-8")
        ok_user = hmac.compare_digest(user, want_user)
        ok_pass = hmac.compare_digest(password, cfg.password)
        return cfg.user if ok_user and ok_pass else None

    def has_body(self):
        te = self.headers.get("Transfer-Encoding", "")
        return "chunked" in te.lower() or \
            self.headers.get("Content-Length", "0").strip() not in ("", "0")

    def refuse(self, code, reason, headers=()):
        """A short error response; the connection closes when a body
        we did not read may follow."""
        body = ("%d %s\n" % (code, reason)).encode("ascii")
        self.send_response(code, reason)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        if self.has_body():
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.status = code

    def refuse_auth(self):
        self.refuse(401, "Unauthorized", [("WWW-Authenticate",
            'Basic realm="%s"' % REALM)])

    def handle_expect_100(self):
        # No "100 Continue" to a request that will be refused anyway.
        if self.authorized() is None:
            self.begin()
            self.refuse_auth()
            self.log_entry()
            return False
        return super().handle_expect_100()

    # --- requests ---------------------------------------------------------

    def do_GET(self):
        self.serve()

    def do_POST(self):
        self.serve()

    def do_HEAD(self):
        self.serve()

    def begin(self):
        self.status = 0
        self.body_size = 0
        self.user = None

    def log_entry(self):
        self.server.log_request_line(self)

    def serve(self):
        self.begin()
        self.user = self.authorized()
        try:
            if self.user is None:
                self.refuse_auth()
                return
            with tempfile.TemporaryFile(prefix="githttp-body.") as body:
                try:
                    self.body_size = self.read_body(body)
                except BadRequest as e:
                    warn("%s %s: %s", self.command, self.path, e)
                    self.close_connection = True
                    self.refuse(400, "Bad Request")
                    return
                body.seek(0)
                self.run_backend(body)
        except ConnectionError:
            # The client went away (git does, after a 401).
            self.close_connection = True
        except OSError as e:
            self.close_connection = True
            warn("%s %s: %s", self.command, self.path, e)
        finally:
            self.log_entry()

    def read_body(self, out):
        te = self.headers.get("Transfer-Encoding", "").lower()
        if te:
            if te.strip() != "chunked":
                raise BadRequest("transfer coding '%s'" % te)
            n = copy_chunked(self.rfile, out)
        else:
            try:
                n = int(self.headers.get("Content-Length", "0") or "0")
            except ValueError:
                raise BadRequest("bad Content-Length")
            if n < 0:
                raise BadRequest("negative Content-Length")
            copy_exact(self.rfile, out, n)
        out.flush()
        return n

    def cgi_env(self):
        cfg = self.server.cfg
        path, _, query = self.path.partition("?")
        env = {k: v for k, v in os.environ.items()
            if not k.startswith("HTTP_") and k not in ("GIT_DIR",
                "GIT_PROTOCOL", "CONTENT_LENGTH", "CONTENT_TYPE")}
        env.update({
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_SOFTWARE": self.server_version,
            "SERVER_PROTOCOL": self.request_version,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": str(self.server.server_address[1]),
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "REMOTE_ADDR": self.client_address[0],
            "REMOTE_USER": self.user,
            "GIT_PROJECT_ROOT": cfg.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "CONTENT_LENGTH": str(self.body_size),
        })
        if cfg.user is not None:
            env["AUTH_TYPE"] = "Basic"
        ctype = self.headers.get("Content-Type")
        if ctype:
            env["CONTENT_TYPE"] = ctype
        for name, value in self.headers.items():
            if name.lower() in NOT_CGI:
                continue
            key = "HTTP_" + name.upper().replace("-", "_")
            env[key] = value
        proto = self.headers.get("Git-Protocol")
        if proto:
            env["GIT_PROTOCOL"] = proto
        return env

    def run_backend(self, body):
        proc = subprocess.Popen([self.server.backend], stdin=body,
            stdout=subprocess.PIPE, env=self.cgi_env(),
            cwd=self.server.cfg.root)
        self.server.track(proc, True)
        try:
            self.relay(proc.stdout)
        finally:
            proc.stdout.close()
            if proc.wait() != 0:
                warn("%s %s: git http-backend exited %d", self.command,
                    self.path, proc.returncode)
            self.server.track(proc, False)

    def read_cgi_headers(self, out):
        status, reason, headers = 200, "OK", []
        for _ in range(MAX_CGI_HEADERS):
            line = out.readline(MAX_LINE)
            if not line:
                raise OSError("git http-backend wrote no headers")
            line = line.rstrip(b"\r\n").decode("latin-1")
            if not line:
                return status, reason, headers
            name, _, value = line.partition(":")
            value = value.strip()
            if name.lower() == "status":
                code, _, why = value.partition(" ")
                status, reason = int(code), why or None
            else:
                headers.append((name, value))
        raise OSError("git http-backend wrote too many headers")

    def relay(self, out):
        status, reason, headers = self.read_cgi_headers(out)
        self.status = status
        self.send_response(status, reason)
        length = None
        for name, value in headers:
            if name.lower() == "content-length":
                length = value
            self.send_header(name, value)
        chunked = length is None and self.request_version == "HTTP/1.1"
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif length is None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        while True:
            data = out.read1(CHUNK)
            if not data:
                break
            if self.command == "HEAD":
                continue
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            else:
                self.wfile.write(data)
        if chunked and self.command != "HEAD":
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, cfg, backend, log):
        super().__init__(("127.0.0.1", cfg.port), Handler)
        self.cfg = cfg
        self.backend = backend
        self.log = log
        self.lock = threading.Lock()
        self.procs = set()

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError):
            warn("request from %s: %r", client_address[0], exc)

    def track(self, proc, add):
        with self.lock:
            if add:
                self.procs.add(proc)
            else:
                self.procs.discard(proc)

    def kill_backends(self):
        with self.lock:
            procs = list(self.procs)
        for proc in procs:
            try:
                proc.kill()
            except OSError:
                pass

    def log_request_line(self, h):
        if self.log is None:
            return
        fields = ["%s %s %d user=%s in=%d" % (h.command, h.path, h.status,
            h.user or "-", h.body_size), h.requestline]
        for name, value in h.headers.items():
            if name.lower() == "authorization":
                value = "[not logged]"
            fields.append("%s: %s" % (name, value))
        line = " | ".join(f.replace("\n", " ") for f in fields) + "\n"
        with self.lock:
            self.log.write(line)
            self.log.flush()


def write_port_file(path, port):
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def find_backend():
    out = subprocess.run(["git", "--exec-path"], check=True,
        capture_output=True, text=True).stdout.strip()
    path = os.path.join(out, "git-http-backend")
    if not os.access(path, os.X_OK):
        raise OSError("no git-http-backend in '%s'" % out)
    return path


def parse_args(argv):
    p = argparse.ArgumentParser(prog=PROG, description="smart-HTTP git "
        "server on 127.0.0.1 running git http-backend")
    p.add_argument("--root", required=True, metavar="DIR")
    p.add_argument("--port-file", required=True, metavar="FILE")
    p.add_argument("--port", type=int, default=0, metavar="N")
    p.add_argument("--log", metavar="FILE")
    p.add_argument("--user", metavar="USER")
    p.add_argument("--password-file", metavar="FILE")
    p.add_argument("--watch-pid", type=int, default=0, metavar="PID")
    args = p.parse_args(argv)
    if (args.user is None) != (args.password_file is None):
        p.error("--user and --password-file go together")
    args.root = os.path.abspath(args.root)
    args.password = None
    if args.password_file:
        with open(args.password_file, "rb") as f:
            args.password = f.read().rstrip(b"\r\n")
    return args


def wait_for_stop(stop, watch_pid):
    while not stop.wait(0.5):
        if not watch_pid:
            continue
        try:
            os.kill(watch_pid, 0)
        except ProcessLookupError:
            return
        except PermissionError:
            pass


def main(argv):
    try:
        args = parse_args(argv)
        backend = find_backend()
    except (OSError, subprocess.CalledProcessError) as e:
        warn("%s", e)
        return 2
    if not os.path.isdir(args.root):
        warn("'%s' is not a directory", args.root)
        return 2
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())
    log = open(args.log, "a", encoding="utf-8") if args.log else None
    try:
        srv = Server(args, backend, log)
    except OSError as e:
        warn("cannot listen on 127.0.0.1 port %d: %s", args.port, e)
        return 1
    thread = threading.Thread(target=srv.serve_forever, args=(0.1,),
        daemon=True)
    thread.start()
    write_port_file(args.port_file, srv.server_address[1])
    wait_for_stop(stop, args.watch_pid)
    srv.shutdown()
    srv.server_close()
    srv.kill_backends()
    if log is not None:
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
