#!/usr/bin/env python3
"""ferry-testd: the HTTP/1.1 server the integration tests mirror from.

It owns: listening on several loopback addresses on one port, one
docroot per address (DIR/<address>/), keep-alive, GET and HEAD of files
read from disk on every request, strong ETags, Last-Modified, 304s,
single byte ranges, on-the-fly gzip, faults switched per path from
DIR/_rules.json, and a JSON request log that tests read back.

With --tls-cert it also serves the same hosts over TLS (HTTP/1.1 by
ALPN) on a port of its own, written to --tls-port-file.

It deliberately does not: cache file contents (only ETags, keyed by the
file's identity), list directories, speak HTTP/2 or multi-part ranges,
or accept request bodies beyond discarding small ones.

Usage:
  ferry-testd.py --site DIR --port-file FILE --log FILE
                 [--hosts 127.0.0.1,127.0.0.2,127.0.0.3] [--latency MS]
                 [--idle-exit SECONDS] [--watch-pid PID]

Rules (DIR/_rules.json, re-read whenever it changes) map "HOST/path"
(the path as requested or percent-decoded, without the query; a
trailing "*" matches a prefix) to an object whose keys combine freely:
  redirect, status, body, content_type, retry_after, times, headers,
  no_validators, only_last_modified, weak_etag, reset_after,
  truncate_after, drip, delay_ms, gzip_bomb, chunked (send the body
  chunked, without Content-Length, even when its length is known),
  cookie ("name=value": without it, a 302 to the same URL that sets it)
"""

import argparse
import asyncio
import email.utils
import errno
import hashlib
import html
import http
import itertools
import json
import logging
import os
import re
import signal
import socket
import ssl
import struct
import sys
import time
import urllib.parse
import zlib

CHUNK = 64 * 1024
SENDFILE_MIN = 1024 * 1024
GZIP_IN_MEMORY_MAX = 8 * 1024 * 1024
KEEPALIVE_IDLE = 60.0
MAX_HEADER_LINES = 100
MAX_LINE = 16 * 1024
MAX_DISCARDED_BODY = 1024 * 1024
RECENT_SECONDS = 2.0
PROG = "ferry-testd"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".css": "text/css",
    ".js": "application/javascript",
    ".json": "application/json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".pptx": "application/vnd.openxmlformats-officedocument."
        "presentationml.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument."
        "wordprocessingml.document",
}

COMPRESSIBLE = ("application/javascript", "application/json",
    "image/svg+xml")

TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
REQUEST_LINE = re.compile(r"^(\S+) (\S+) HTTP/(\d)\.(\d)$")
RANGE = re.compile(r"^bytes=\s*(\d*)\s*-\s*(\d*)\s*$", re.I)


def warn(fmt, *args):
    sys.stderr.write("%s: %s\n" % (PROG, fmt % args))
    sys.stderr.flush()


def reason(status):
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Status %d" % status


def http_date(ts):
    return email.utils.formatdate(ts, usegmt=True)


def parse_http_date(text):
    """Seconds since the epoch, or None when TEXT is not a date."""
    if not text:
        return None
    try:
        parts = email.utils.parsedate_tz(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parts is None:
        return None
    try:
        return email.utils.mktime_tz(parts)
    except (OverflowError, ValueError):
        return None


def content_type_for(path):
    return CONTENT_TYPES.get(os.path.splitext(path)[1].lower(),
        "application/octet-stream")


def is_compressible(ctype):
    base = ctype.split(";")[0].strip().lower()
    return base.startswith("text/") or base in COMPRESSIBLE


def accepts_gzip(value):
    """Whether an Accept-Encoding value allows gzip."""
    if not value:
        return False
    gzip_q = star_q = None
    for item in value.split(","):
        fields = item.strip().split(";")
        name = fields[0].strip().lower()
        q = 1.0
        for param in fields[1:]:
            k, _, v = param.strip().partition("=")
            if k.strip().lower() == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        if name in ("gzip", "x-gzip"):
            gzip_q = q
        elif name == "*":
            star_q = q
    if gzip_q is not None:
        return gzip_q > 0
    return star_q is not None and star_q > 0


def strip_weak(tag):
    tag = tag.strip()
    if tag.startswith("W/") or tag.startswith("w/"):
        return tag[2:]
    return tag


def inm_matches(value, etag):
    """Weak comparison of an If-None-Match list against ETAG."""
    if value.strip() == "*":
        return True
    if etag is None:
        return False
    want = strip_weak(etag)
    for item in value.split(","):
        if item.strip() and strip_weak(item) == want:
            return True
    return False


class EtagCache:
    """Strong ETags keyed by the file's identity; recent files re-hashed."""

    def __init__(self):
        self.tags = {}

    @staticmethod
    def _hash(fd, size):
        h = hashlib.sha1()
        off = 0
        while off < size:
            block = os.pread(fd, min(1024 * 1024, size - off), off)
            if not block:
                break
            h.update(block)
            off += len(block)
        return '"' + h.hexdigest()[:16] + '"'

    async def get(self, path, fd, st):
        key = (path, st.st_dev, st.st_ino, st.st_mtime_ns,
            st.st_ctime_ns, st.st_size)
        tag = self.tags.get(key)
        if tag is not None:
            return tag
        if st.st_size > SENDFILE_MIN:
            loop = asyncio.get_running_loop()
            tag = await loop.run_in_executor(None, self._hash, fd,
                st.st_size)
        else:
            tag = self._hash(fd, st.st_size)
        recent = time.time() - max(st.st_mtime, st.st_ctime)
        if recent > RECENT_SECONDS:
            if len(self.tags) > 100000:
                self.tags.clear()
            self.tags[key] = tag
        return tag


class Rules:
    """DIR/_rules.json, re-read when its identity changes."""

    def __init__(self, path):
        self.path = path
        self.key = None
        self.bad_key = None
        self.rules = {}
        self.counts = {}

    def refresh(self):
        try:
            st = os.stat(self.path)
        except OSError:
            if self.key is not None:
                self.key = None
                self.rules = {}
                self.counts = {}
            return
        key = (st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size)
        if key == self.key:
            return
        try:
            with open(self.path, "rb") as f:
                text = f.read().decode("utf-8")
            rules = json.loads(text) if text.strip() else {}
            if not isinstance(rules, dict):
                raise ValueError("not a JSON object")
            for k, v in rules.items():
                if not isinstance(v, dict):
                    raise ValueError("rule '%s' is not an "
                        "object" % k)
        except (OSError, ValueError) as e:
            if key != self.bad_key:
                warn("cannot read '%s': %s (previous rules "
                    "kept)", self.path, e)
                self.bad_key = key
            return
        self.key = key
        self.rules = rules
        self.counts = {}

    def _active(self, key):
        rule = self.rules[key]
        times = rule.get("times")
        return times is None or self.counts.get(key, 0) < int(times)

    def match(self, host, paths):
        """The rule for HOST and any of PATHS, counted as used."""
        self.refresh()
        if not self.rules:
            return None
        wanted = [host + p for p in paths]
        found = None
        for w in wanted:
            if w in self.rules and self._active(w):
                found = w
                break
        if found is None:
            best = -1
            for k in self.rules:
                if not k.endswith("*") or len(k) <= best:
                    continue
                prefix = k[:-1]
                if any(w.startswith(prefix) for w in wanted) \
                    and self._active(k):
                    found, best = k, len(k)
        if found is None:
            return None
        self.counts[found] = self.counts.get(found, 0) + 1
        return self.rules[found]


class Request:
    def __init__(self):
        self.method = None
        self.target = None
        self.version = (1, 1)
        self.headers = {}
        self.bad = None

    def header(self, name):
        return self.headers.get(name)


class Response:
    def __init__(self, status):
        self.status = status
        self.headers = []
        self.body = None    # bytes, or an iterator of bytes
        self.length = None    # known body length, else None
        self.file = None    # (fileobj, offset, count) for sendfile
        self.close = False
        self.reset_after = None
        self.truncate_after = None
        self.drip = None
        self.rule = {}

    def set(self, name, value):
        low = name.lower()
        self.headers = [(n, v) for n, v in self.headers
            if n.lower() != low]
        self.headers.append((name, value))

    def get(self, name):
        low = name.lower()
        for n, v in self.headers:
            if n.lower() == low:
                return v
        return None


def html_page(status, text=None):
    body = "<!DOCTYPE html>\n<html><head><title>%d %s</title></head>" \
        "<body><h1>%s</h1></body></html>\n" % (status, reason(status),
        html.escape(text or reason(status)))
    return body.encode("utf-8")


def file_chunks(f, offset, count):
    f.seek(offset)
    left = count
    while left > 0:
        block = f.read(min(CHUNK, left))
        if not block:
            break
        left -= len(block)
        yield block


def gzip_stream(chunks):
    z = zlib.compressobj(6, zlib.DEFLATED, 31)
    for block in chunks:
        out = z.compress(block)
        if out:
            yield out
    yield z.flush()


def bomb_stream(size):
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1024 * 1024)
    left = size
    while left > 0:
        n = min(len(zeros), left)
        out = z.compress(zeros if n == len(zeros) else zeros[:n])
        left -= n
        if out:
            yield out
    yield z.flush()


class Server:
    def __init__(self, args):
        self.args = args
        self.site = os.path.abspath(args.site)
        self.hosts = [h.strip() for h in args.hosts.split(",")
            if h.strip()]
        self.rules = Rules(os.path.join(self.site, "_rules.json"))
        self.etags = EtagCache()
        self.log = open(args.log, "a", encoding="utf-8")
        self.port = None
        self.tls_port = None
        self.servers = []
        self.writers = set()
        self.conn_ids = itertools.count(1)
        self.last_activity = time.monotonic()
        self.inflight = 0
        self.stop = None

    # --- listening -----------------------------------------------------

    async def listen_all(self, ssl_ctx=None):
        """One port on every host, free on all of them: (servers, port)."""
        last = None
        for _ in range(50):
            port = 0
            started = []
            try:
                for host in self.hosts:
                    srv = await asyncio.start_server(
                        self.connection, host, port, ssl=ssl_ctx,
                        limit=MAX_LINE, backlog=256)
                    started.append(srv)
                    if port == 0:
                        port = srv.sockets[0] \
                            .getsockname()[1]
            except OSError as e:
                for srv in started:
                    srv.close()
                    await srv.wait_closed()
                if e.errno != errno.EADDRINUSE:
                    raise
                last = e
                continue
            return started, port
        raise OSError(errno.EADDRINUSE, "no port free on all of %s "
            "(%s)" % (",".join(self.hosts), last))

    async def listen(self):
        self.servers, self.port = await self.listen_all()
        if self.args.tls_cert:
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(self.args.tls_cert, self.args.tls_key)
            ctx.set_alpn_protocols(["http/1.1"])
            servers, self.tls_port = await self.listen_all(ctx)
            self.servers += servers

    @staticmethod
    def write_file(path, port):
        tmp = "%s.%d.tmp" % (path, os.getpid())
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)

    def write_port_file(self):
        # The TLS port first: whoever waits for the port file finds both.
        if self.args.tls_cert:
            self.write_file(self.args.tls_port_file, self.tls_port)
        self.write_file(self.args.port_file, self.port)

    # --- connections ---------------------------------------------------

    async def connection(self, reader, writer):
        conn = next(self.conn_ids)
        self.writers.add(writer)
        sock = writer.get_extra_info("socket")
        local = writer.get_extra_info("sockname")
        local_host = local[0] if local else self.hosts[0]
        try:
            if sock is not None:
                sock.setsockopt(socket.IPPROTO_TCP,
                    socket.TCP_NODELAY, 1)
        except OSError:
            pass
        try:
            while not self.stop.is_set():
                try:
                    req = await asyncio.wait_for(
                        self.read_request(reader),
                        KEEPALIVE_IDLE)
                except asyncio.TimeoutError:
                    break
                if req is None:
                    break
                keep = await self.respond(conn, local_host,
                    req, writer)
                if not keep:
                    break
        except (ConnectionError, asyncio.IncompleteReadError,
            OSError):
            pass
        except asyncio.CancelledError:
            pass
        except Exception as e:    # a bug here: say it once, go on
            warn("connection %d: %s: %s", conn,
                type(e).__name__, e)
        finally:
            self.writers.discard(writer)
            if not writer.transport.is_closing():
                writer.close()

    async def read_request(self, reader):
        req = Request()
        line = b""
        for _ in range(8):
            try:
                line = await reader.readline()
            except (ValueError, asyncio.LimitOverrunError):
                req.bad = "request line too long"
                return req
            if not line:
                return None
            if line.strip():
                break
        if not line.endswith(b"\n"):
            return None
        self.last_activity = time.monotonic()
        try:
            text = line.decode("ascii").rstrip("\r\n")
        except UnicodeDecodeError:
            req.bad = "request line is not ASCII"
            return req
        m = REQUEST_LINE.match(text)
        if not m or not TOKEN.match(m.group(1)):
            req.bad = "malformed request line"
            req.target = text[:200]
            return req
        req.method = m.group(1)
        req.target = m.group(2)
        req.version = (int(m.group(3)), int(m.group(4)))
        if req.version[0] != 1:
            req.bad = "unsupported HTTP version"
            return req
        for _ in range(MAX_HEADER_LINES + 1):
            try:
                line = await reader.readline()
            except (ValueError, asyncio.LimitOverrunError):
                req.bad = "header line too long"
                return req
            if not line:
                return None
            if line in (b"\r\n", b"\n"):
                break
            try:
                text = line.decode("latin-1").rstrip("\r\n")
            except UnicodeDecodeError:
                req.bad = "bad header"
                return req
            name, sep, value = text.partition(":")
            if not sep or not TOKEN.match(name):
                req.bad = "malformed header line"
                return req
            name = name.lower()
            value = value.strip()
            if name in req.headers:
                req.headers[name] += ", " + value
            else:
                req.headers[name] = value
        else:
            req.bad = "too many header lines"
            return req
        if "transfer-encoding" in req.headers:
            req.bad = "request bodies are not accepted"
            return req
        length = req.headers.get("content-length")
        if length is not None:
            try:
                n = int(length)
            except ValueError:
                req.bad = "bad Content-Length"
                return req
            if n < 0 or n > MAX_DISCARDED_BODY:
                req.bad = "request body too large"
                return req
            if n:
                await reader.readexactly(n)
        return req

    # --- answering -----------------------------------------------------

    def choose_host(self, req, local_host):
        value = req.header("host")
        if req.target and "://" in req.target:
            value = urllib.parse.urlsplit(req.target).netloc
        name = None
        if value:
            value = value.strip().lower()
            if value.startswith("["):
                name = value[1:].partition("]")[0]
            else:
                name = value.rpartition(":")[0] \
                    if value.count(":") == 1 else value
        if name in self.hosts:
            return name
        return local_host

    async def respond(self, conn, local_host, req, writer):
        self.inflight += 1
        self.last_activity = time.monotonic()
        try:
            return await self._respond(conn, local_host, req,
                writer)
        finally:
            self.inflight -= 1
            self.last_activity = time.monotonic()

    async def _respond(self, conn, local_host, req, writer):
        host = local_host
        local = writer.get_extra_info("sockname")
        entry = {
            "t": time.time(), "host": host,
            "port": local[1] if local else self.port,
            "tls": writer.get_extra_info("ssl_object") is not None,
            "method": req.method, "path": req.target,
            "status": None, "bytes": 0,
            "inm": req.header("if-none-match"),
            "ims": req.header("if-modified-since"),
            "range": req.header("range"),
            "ae": req.header("accept-encoding"),
            "ua": req.header("user-agent"),
            "conn": conn,
        }
        if req.bad:
            resp = Response(400)
            resp.body = html_page(400, req.bad)
            resp.close = True
            return await self.send(writer, req, resp, entry)
        host = self.choose_host(req, local_host)
        entry["host"] = host
        if req.header("host") is not None:
            entry["hosthdr"] = req.header("host")
        keep = self.keep_alive(req)
        try:
            resp = await self.build(host, req)
        except Exception as e:  # most likely a bad value in a rule
            warn("%s %s: %s: %s", req.method, req.target,
                type(e).__name__, e)
            resp = Response(500)
            resp.set("Content-Type", "text/html; charset=utf-8")
            resp.body = html_page(500, "ferry-testd: %s" % e)
        if not keep:
            resp.close = True
        delay = self.args.latency / 1000.0
        rule = resp.rule
        if rule.get("delay_ms"):
            delay += float(rule["delay_ms"]) / 1000.0
        if delay > 0:
            await asyncio.sleep(delay)
        return await self.send(writer, req, resp, entry)

    @staticmethod
    def keep_alive(req):
        tokens = [t.strip().lower() for t in
            (req.header("connection") or "").split(",")]
        if req.version >= (1, 1):
            return "close" not in tokens
        return "keep-alive" in tokens

    def split_target(self, target):
        if "://" in target:
            parts = urllib.parse.urlsplit(target)
            path = parts.path or "/"
            return path, parts.query
        path, _, query = target.partition("?")
        path = path.partition("#")[0]
        return path, query

    async def build(self, host, req):
        if req.method not in ("GET", "HEAD"):
            resp = Response(501)
            resp.body = html_page(501)
            resp.set("Allow", "GET, HEAD")
            return resp
        raw, query = self.split_target(req.target)
        if not raw.startswith("/"):
            resp = Response(400)
            resp.body = html_page(400, "request target must be "
                "an absolute path")
            return resp
        try:
            decoded = urllib.parse.unquote_to_bytes(raw) \
                .decode("utf-8")
        except UnicodeDecodeError:
            resp = Response(400)
            resp.body = html_page(400, "path is not UTF-8")
            return resp
        if "\0" in decoded:
            resp = Response(400)
            resp.body = html_page(400, "NUL in path")
            return resp
        paths = [raw] if raw == decoded else [raw, decoded]
        rule = self.rules.match(host, paths) or {}
        resp = await self.apply_rule(host, req, raw, query, decoded,
            rule)
        resp.rule = rule
        for name, value in (rule.get("headers") or {}).items():
            resp.set(str(name), str(value))
        if "retry_after" in rule:
            resp.set("Retry-After", str(rule["retry_after"]))
        if rule.get("reset_after") is not None:
            resp.reset_after = int(rule["reset_after"])
        if rule.get("truncate_after") is not None:
            resp.truncate_after = int(rule["truncate_after"])
        if rule.get("drip"):
            resp.drip = max(1, int(rule["drip"]))
        return resp

    async def apply_rule(self, host, req, raw, query, decoded, rule):
        status = rule.get("status")
        status = int(status) if status is not None else None
        want = rule.get("cookie")
        if want and want not in [c.strip() for c in
                                 (req.header("cookie") or "").split(";")]:
            resp = Response(302)
            resp.set("Set-Cookie", "%s; Path=/; HttpOnly" % want)
            resp.set("Location", raw + ("?" + query if query else ""))
            resp.body = html_page(302, "Checking your browser")
            return resp
        if "redirect" in rule:
            resp = Response(status or 301)
            resp.set("Location", str(rule["redirect"]))
            resp.body = html_page(resp.status, "Moved")
            return resp
        if "gzip_bomb" in rule:
            resp = Response(status or 200)
            resp.set("Content-Type", rule.get("content_type") or
                content_type_for(decoded))
            resp.set("Content-Encoding", "gzip")
            resp.body = bomb_stream(int(rule["gzip_bomb"]))
            return resp
        if status is not None and status != 200:
            resp = Response(status)
            if "body" in rule:
                resp.body = str(rule["body"]).encode("utf-8")
            elif status not in (204, 304):
                resp.body = html_page(status)
            if resp.body is not None:
                resp.set("Content-Type",
                    rule.get("content_type") or
                    "text/html; charset=utf-8")
            return resp
        if "body" in rule:
            data = str(rule["body"]).encode("utf-8")
            ctype = rule.get("content_type") or \
                "text/html; charset=utf-8"
            etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
            return self.entity(req, rule, ctype, data=data,
                etag=etag)
        return await self.serve_file(host, req, raw, query, decoded,
            rule)

    def not_found(self):
        resp = Response(404)
        resp.set("Content-Type", "text/html; charset=utf-8")
        resp.body = b"<!DOCTYPE html>\n<html><head><title>404 Not " \
            b"Found</title></head><body><h1>Not Found</h1></body>" \
            b"</html>\n"
        return resp

    def forbidden(self):
        resp = Response(403)
        resp.set("Content-Type", "text/html; charset=utf-8")
        resp.body = html_page(403)
        return resp

    async def serve_file(self, host, req, raw, query, decoded, rule):
        root = os.path.join(self.site, host)
        stack = []
        for seg in decoded.split("/"):
            if seg in ("", "."):
                continue
            if seg == "..":
                if not stack:
                    return self.forbidden()
                stack.pop()
                continue
            stack.append(seg)
        path = os.path.join(root, *stack) if stack else root
        real_root = os.path.realpath(root)
        real = os.path.realpath(path)
        if real != real_root and not real.startswith(real_root +
            os.sep):
            return self.forbidden()
        if os.path.isdir(path):
            if not decoded.endswith("/"):
                resp = Response(301)
                resp.set("Location", raw + "/" +
                    ("?" + query if query else ""))
                resp.set("Content-Type",
                    "text/html; charset=utf-8")
                resp.body = html_page(301, "Moved")
                return resp
            path = os.path.join(path, "index.html")
        try:
            f = open(path, "rb")
        except (FileNotFoundError, NotADirectoryError,
            IsADirectoryError):
            return self.not_found()
        except PermissionError:
            return self.forbidden()
        except OSError:
            return self.not_found()
        st = os.fstat(f.fileno())
        if not os.path.isfile(path):
            f.close()
            return self.not_found()
        ctype = rule.get("content_type") or content_type_for(path)
        etag = None
        if not rule.get("no_validators") and \
            not rule.get("only_last_modified"):
            etag = await self.etags.get(path, f.fileno(), st)
        return self.entity(req, rule, ctype, f=f, st=st, etag=etag)

    def entity(self, req, rule, ctype, data=None, f=None, st=None,
        etag=None):
        """A 200 (or 206, 304, 416) for DATA or the open file F."""
        size = len(data) if data is not None else st.st_size
        mtime = int(st.st_mtime) if st is not None else None
        validators = not rule.get("no_validators")
        if not validators:
            etag = None
            mtime = None
        if etag is not None and rule.get("weak_etag"):
            etag = "W/" + etag
        gzip_ok = is_compressible(ctype)
        use_gzip = gzip_ok and accepts_gzip(req.header("accept-encoding"))

        def finish(resp):
            if etag is not None:
                resp.set("ETag", etag)
            if mtime is not None:
                resp.set("Last-Modified", http_date(mtime))
            if gzip_ok:
                resp.set("Vary", "Accept-Encoding")
            return resp

        inm = req.header("if-none-match")
        ims = req.header("if-modified-since")
        not_modified = False
        if validators:
            if inm is not None:
                not_modified = etag is not None and \
                    inm_matches(inm, etag)
            elif ims is not None and mtime is not None:
                since = parse_http_date(ims)
                not_modified = since is not None and \
                    mtime <= since
        if not_modified:
            if f is not None:
                f.close()
            return finish(Response(304))

        resp = Response(200)
        resp.set("Content-Type", ctype)
        if not use_gzip:
            resp.set("Accept-Ranges", "bytes")
            rng = self.byte_range(req, size, etag, mtime)
            if rng == "unsatisfiable":
                if f is not None:
                    f.close()
                resp = Response(416)
                resp.set("Content-Range", "bytes */%d" % size)
                resp.set("Content-Type",
                    "text/html; charset=utf-8")
                resp.body = html_page(416)
                return finish(resp)
            start, count = 0, size
            if rng is not None:
                start, count = rng
                resp.status = 206
                resp.set("Content-Range", "bytes %d-%d/%d" %
                    (start, start + count - 1, size))
            resp.length = count
            if data is not None:
                resp.body = data[start:start + count]
            else:
                resp.file = (f, start, count)
                resp.body = file_chunks(f, start, count)
            return finish(resp)

        resp.set("Content-Encoding", "gzip")
        if data is not None:
            resp.body = self.gzip_bytes(data)
            resp.length = len(resp.body)
        elif size <= GZIP_IN_MEMORY_MAX:
            raw = f.read()
            f.close()
            resp.body = self.gzip_bytes(raw)
            resp.length = len(resp.body)
        else:
            resp.body = gzip_stream(file_chunks(f, 0, size))
            resp.file = (f, 0, None)
        return finish(resp)

    @staticmethod
    def gzip_bytes(data):
        z = zlib.compressobj(6, zlib.DEFLATED, 31)
        return z.compress(data) + z.flush()

    @staticmethod
    def byte_range(req, size, etag, mtime):
        """(start, count), "unsatisfiable", or None for the whole."""
        value = req.header("range")
        if value is None or "," in value:
            return None
        m = RANGE.match(value)
        if not m or (m.group(1) == "" and m.group(2) == ""):
            return None
        cond = req.header("if-range")
        if cond is not None:
            cond = cond.strip()
            if cond.startswith('"') or cond.startswith("W/"):
                if etag is None or cond.startswith("W/") or \
                    etag.startswith("W/") or cond != etag:
                    return None
            else:
                when = parse_http_date(cond)
                if when is None or mtime is None or \
                    when != mtime:
                    return None
        first, last = m.group(1), m.group(2)
        if first == "":
            n = int(last)
            if n == 0 or size == 0:
                return "unsatisfiable"
            n = min(n, size)
            return (size - n, n)
        start = int(first)
        if start >= size:
            return "unsatisfiable"
        end = size - 1 if last == "" else min(int(last), size - 1)
        if end < start:
            return None
        return (start, end - start + 1)

    # --- sending -------------------------------------------------------

    async def send(self, writer, req, resp, entry):
        """Write RESP; log it; return whether to keep the connection."""
        entry["status"] = resp.status
        head_only = req.method == "HEAD"
        no_body = head_only or resp.status in (204, 304) or \
            100 <= resp.status < 200
        chunked = False
        if isinstance(resp.body, bytes) and resp.length is None:
            resp.length = len(resp.body)
        if resp.rule.get("chunked") and req.version >= (1, 1):
            resp.length = None
        if resp.status in (204, 304) or 100 <= resp.status < 200:
            pass
        elif resp.length is not None:
            resp.set("Content-Length", str(resp.length))
        elif req.version >= (1, 1):
            resp.set("Transfer-Encoding", "chunked")
            chunked = True
        else:
            resp.close = True
        limit = None
        if resp.reset_after is not None:
            limit = resp.reset_after
        if resp.truncate_after is not None:
            limit = resp.truncate_after if limit is None \
                else min(limit, resp.truncate_after)
        if limit is not None:
            resp.close = True
        resp.set("Date", http_date(time.time()))
        resp.set("Server", PROG)
        if resp.close:
            resp.set("Connection", "close")
        elif req.version < (1, 1):
            resp.set("Connection", "keep-alive")
        lines = ["HTTP/1.1 %d %s" % (resp.status, reason(resp.status))]
        order = ["Date", "Server"]
        for name in order:
            lines.append("%s: %s" % (name, resp.get(name)))
        for name, value in resp.headers:
            if name not in order:
                lines.append("%s: %s" % (name, value))
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1",
            "replace")
        st = {"sent": 0, "cut": False, "logged": False}

        def log():
            # Called right after the last byte is handed to the socket,
            # before any await: a client that has read the whole
            # response finds it in the log.
            if st["logged"]:
                return
            st["logged"] = True
            entry["bytes"] = st["sent"]
            entry["ms"] = round((time.time() - entry["t"]) * 1000.0, 1)
            if st["cut"]:
                entry["cut"] = True
            self.write_log(entry)

        try:
            writer.write(head)
            if no_body or resp.body is None:
                log()
            else:
                await writer.drain()
                await self.send_body(writer, resp, chunked, limit, st,
                    log)
            await writer.drain()
        except (ConnectionError, OSError):
            st["cut"] = True
            resp.close = True
        finally:
            if resp.file is not None:
                try:
                    resp.file[0].close()
                except OSError:
                    pass
            log()
        if limit is not None and resp.reset_after is not None and \
            (resp.truncate_after is None or
            resp.reset_after <= resp.truncate_after):
            await asyncio.sleep(0.05)
            self.reset(writer)
            return False
        return not resp.close and not st["cut"]

    async def send_body(self, writer, resp, chunked, limit, st, log):
        """Write the body, counting into ST; LOG after the last byte."""
        plain = not chunked and limit is None and resp.drip is None
        if plain and resp.file is not None and resp.file[2] is not None \
            and resp.file[2] >= SENDFILE_MIN:
            f, offset, count = resp.file
            loop = asyncio.get_running_loop()
            n = await loop.sendfile(writer.transport, f, offset,
                count - 1)
            st["sent"] = n
            if n < count - 1:
                st["cut"] = True
                return
            last = os.pread(f.fileno(), 1, offset + count - 1)
            writer.write(last)
            st["sent"] += len(last)
            log()
            return
        body = resp.body
        chunks = iter([body] if isinstance(body, bytes) else body)
        block = next(chunks, None)
        while block is not None:
            following = next(chunks, None)
            final = following is None and not chunked
            if limit is not None and st["sent"] + len(block) >= limit:
                block = block[:limit - st["sent"]]
                final = True
                st["cut"] = True
            await self.write_block(writer, block, chunked, resp.drip, st,
                log if final else None)
            if limit is not None and st["sent"] >= limit:
                return
            block = following
        if chunked:
            writer.write(b"0\r\n\r\n")
        log()

    async def write_block(self, writer, block, chunked, drip, st, log):
        step = len(block) if drip is None else max(1, drip // 10)
        pos = 0
        while True:
            piece = block[pos:pos + step]
            pos += len(piece)
            if drip is not None:
                await asyncio.sleep(len(piece) / float(drip))
            if chunked and piece:
                writer.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
            elif piece:
                writer.write(piece)
            st["sent"] += len(piece)
            if pos >= len(block):
                if log is not None:
                    log()
                await writer.drain()
                return
            await writer.drain()

    @staticmethod
    def reset(writer):
        sock = writer.get_extra_info("socket")
        try:
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET,
                    socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        writer.transport.abort()

    def write_log(self, entry):
        try:
            self.log.write(json.dumps(entry, ensure_ascii=False) +
                "\n")
            self.log.flush()
        except (OSError, ValueError):
            pass

    # --- lifetime ------------------------------------------------------

    async def watchdog(self):
        while not self.stop.is_set():
            try:
                await asyncio.wait_for(self.stop.wait(), 0.5)
            except asyncio.TimeoutError:
                pass
            idle = time.monotonic() - self.last_activity
            if self.inflight == 0 and idle >= self.args.idle_exit:
                warn("no request for %d seconds, exiting",
                    self.args.idle_exit)
                self.stop.set()
            if self.args.watch_pid:
                try:
                    os.kill(self.args.watch_pid, 0)
                except ProcessLookupError:
                    self.stop.set()
                except PermissionError:
                    pass

    async def run(self):
        self.stop = asyncio.Event()
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(self.loop_exception)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            loop.add_signal_handler(sig, self.stop.set)
        await self.listen()
        self.write_port_file()
        warn("listening on %s port %d", ",".join(self.hosts),
            self.port)
        dog = asyncio.ensure_future(self.watchdog())
        await self.stop.wait()
        dog.cancel()
        for srv in self.servers:
            srv.close()
        for writer in list(self.writers):
            writer.transport.abort()
        for srv in self.servers:
            try:
                await asyncio.wait_for(srv.wait_closed(), 2)
            except (asyncio.TimeoutError, Exception):
                pass
        self.log.close()

    @staticmethod
    def loop_exception(loop, context):
        exc = context.get("exception")
        if isinstance(exc, (ConnectionError, OSError,
            asyncio.CancelledError)):
            return
        warn("%s", context.get("message") or repr(exc))


def parse_args(argv):
    p = argparse.ArgumentParser(prog=PROG, description="HTTP/1.1 test "
        "server with one docroot per loopback address")
    p.add_argument("--site", required=True, metavar="DIR")
    p.add_argument("--port-file", required=True, metavar="FILE")
    p.add_argument("--log", required=True, metavar="FILE")
    p.add_argument("--hosts", default="127.0.0.1,127.0.0.2,127.0.0.3")
    p.add_argument("--latency", type=float, default=0.0, metavar="MS")
    p.add_argument("--idle-exit", type=float, default=900.0,
        metavar="SECONDS")
    p.add_argument("--watch-pid", type=int, default=0, metavar="PID")
    p.add_argument("--tls-cert", metavar="PEM",
        help="also serve TLS (HTTP/1.1 by ALPN) on a port of its own")
    p.add_argument("--tls-key", metavar="PEM")
    p.add_argument("--tls-port-file", metavar="FILE")
    args = p.parse_args(argv)
    if args.tls_cert and not (args.tls_key and args.tls_port_file):
        p.error("--tls-cert needs --tls-key and --tls-port-file")
    return args


def main(argv):
    args = parse_args(argv)
    if not os.path.isdir(args.site):
        warn("'%s' is not a directory", args.site)
        return 2
    try:
        asyncio.run(Server(args).run())
    except OSError as e:
        warn("cannot listen: %s", e)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
