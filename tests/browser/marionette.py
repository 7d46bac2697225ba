#!/usr/bin/env python3
"""Drive a Firefox started with --marionette, from the command line.

Marionette is Firefox's own remote protocol: one TCP connection, each
message "LENGTH:JSON", a command [0, id, name, params] answered by
[1, id, error, result].  This client knows the few commands a page test
needs; every wait is bounded.

Usage: marionette.py [--port N] [--timeout S] COMMAND ARGS...

  ready                     wait until Firefox answers commands
  dom URL OUT               open URL, write the DOM as the browser has it
  still URL OUT             the same, without waiting for the page's timers
                            (for a browser with scripts off: none run)
  type URL SELECTOR TEXT OUT
                            open URL, type TEXT into SELECTOR as a person
                            would, wait for the page to settle, write the DOM
  choose URL SELECTOR VALUE OUT
                            open URL, pick the option VALUE of the select
                            SELECTOR with a click, write the DOM
  js URL SCRIPT             open URL, run SCRIPT (a function body) in the
                            page, print its JSON result (a string as is)
  chrome SCRIPT [ARG...]    run SCRIPT with the browser's privileges
                            (set a preference...), each ARG a JSON value
                            passed in arguments[], print its JSON result
  viewport WIDTH HEIGHT     size the page's viewport (not the window, which
                            has a minimum width), as WebDriver BiDi does
  shot URL OUT [full]       open URL, save a PNG of what the viewport shows
                            (with "full": of the whole page)
  quit                      ask Firefox to quit

Opening a URL always starts from about:blank, so that a URL differing
only in its fragment is a fresh load, as when a person opens it.  Exit
status: 0 done, 1 the command failed, 2 usage, 3 Firefox did not answer.
"""

import base64
import json
import socket
import sys
import time


class Error(Exception):
    pass


class Marionette:
    def __init__(self, port, timeout):
        self.port = port
        self.timeout = timeout
        self.sock = None
        self.buf = b""
        self.next_id = 1

    def connect(self):
        """Connect and start driving Firefox, retrying until the timeout."""
        deadline = time.monotonic() + self.timeout
        last = None
        while time.monotonic() < deadline:
            try:
                self.sock = socket.create_connection(("127.0.0.1", self.port),
                                                     timeout=2)
                self.sock.settimeout(self.timeout)
                hello = self.recv()
                if not isinstance(hello, dict) or \
                        hello.get("applicationType") != "gecko":
                    raise Error("not Marionette: %r" % (hello,))
                self.call("WebDriver:NewSession",
                          {"strictFileInteractability": True,
                           "pageLoadStrategy": "normal",
                           "timeouts": {"pageLoad": 20000,
                                        "script": 10000}})
                return
            except (OSError, Error) as e:
                last = e
                if self.sock is not None:
                    self.sock.close()
                    self.sock = None
                self.buf = b""
                time.sleep(0.2)
        raise TimeoutError("no Marionette on 127.0.0.1:%d after %g s (%s)"
                           % (self.port, self.timeout, last))

    def recv(self):
        while b":" not in self.buf:
            self.more()
        head, _, rest = self.buf.partition(b":")
        n = int(head)
        self.buf = rest
        while len(self.buf) < n:
            self.more()
        msg, self.buf = self.buf[:n], self.buf[n:]
        return json.loads(msg.decode("utf-8"))

    def more(self):
        data = self.sock.recv(65536)
        if not data:
            raise Error("Firefox closed the connection")
        self.buf += data

    def call(self, name, params=None):
        ident = self.next_id
        self.next_id += 1
        body = json.dumps([0, ident, name, params or {}]).encode("utf-8")
        self.sock.sendall(b"%d:%s" % (len(body), body))
        while True:
            msg = self.recv()
            if isinstance(msg, list) and len(msg) == 4 and msg[1] == ident:
                break
        if msg[2]:
            err = msg[2]
            raise Error("%s: %s: %s" % (name, err.get("error"),
                                        err.get("message")))
        res = msg[3]
        if isinstance(res, dict) and set(res) == {"value"}:
            return res["value"]
        return res

    def run(self, script, args=None):
        return self.call("WebDriver:ExecuteScript",
                         {"script": script, "args": args or []})

    def open(self, url):
        self.call("WebDriver:Navigate", {"url": "about:blank"})
        self.call("WebDriver:Navigate", {"url": url})

    def settle(self):
        """Wait for pending timers of the page (two animation frames and
        a zero timeout after them), bounded by the script timeout."""
        self.call("WebDriver:ExecuteAsyncScript", {"script": """
            var done = arguments[arguments.length - 1];
            requestAnimationFrame(function () {
                requestAnimationFrame(function () {
                    setTimeout(function () { done(true); }, 50);
                });
            });""", "args": []})

    def dom(self):
        return self.run("""
            var d = document, t = d.doctype;
            return (t ? "<!DOCTYPE " + t.name + ">\\n" : "") +
                d.documentElement.outerHTML;""")

    def find(self, selector):
        return self.call("WebDriver:FindElement",
                         {"using": "css selector", "value": selector})

    def chrome(self, script, args=None):
        self.call("Marionette:SetContext", {"value": "chrome"})
        try:
            return self.run(script, args)
        finally:
            self.call("Marionette:SetContext", {"value": "content"})

    def viewport(self, width, height):
        """The window keeps a minimum width (about 500 pixels); the
        browser element inside it can be narrower, and the page's
        viewport follows it."""
        self.call("WebDriver:SetWindowRect",
                  {"width": max(width + 200, 1000), "height": height + 200})
        self.chrome("""
            var b = gBrowser.selectedBrowser, w = arguments[0],
                h = arguments[1];
            b.style.setProperty("width", w + "px");
            b.style.setProperty("min-width", w + "px");
            b.style.setProperty("max-width", w + "px");
            b.style.setProperty("height", h + "px");
            b.style.setProperty("min-height", h + "px");
            b.style.setProperty("max-height", h + "px");
            return true;""", [width, height])
        self.call("WebDriver:ExecuteAsyncScript", {"script": """
            var done = arguments[arguments.length - 1], w = arguments[0],
                n = 0;
            (function poll() {
                if (innerWidth === w || ++n > 100) done(innerWidth);
                else setTimeout(poll, 20);
            })();""", "args": [width]})

    def quit(self):
        try:
            self.call("Marionette:Quit", {"flags": ["eForceQuit"]})
        except (OSError, Error):
            pass


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def element_id(el):
    if isinstance(el, dict):
        for v in el.values():
            return v
    return el


def command(m, cmd, args):
    if cmd == "ready" and not args:
        return None
    if cmd in ("dom", "still") and len(args) == 2:
        m.open(args[0])
        if cmd == "dom":
            m.settle()
        write(args[1], m.dom())
        return None
    if cmd == "type" and len(args) == 4:
        m.open(args[0])
        el = element_id(m.find(args[1]))
        m.call("WebDriver:ElementClick", {"id": el})
        m.call("WebDriver:ElementSendKeys", {"id": el, "text": args[2]})
        m.settle()
        write(args[3], m.dom())
        return None
    if cmd == "choose" and len(args) == 4:
        m.open(args[0])
        sel = args[1] + " option[value=" + json.dumps(args[2]) + "]"
        m.call("WebDriver:ElementClick", {"id": element_id(m.find(sel))})
        m.settle()
        write(args[3], m.dom())
        return None
    if cmd == "js" and len(args) == 2:
        m.open(args[0])
        m.settle()
        return m.run(args[1])
    if cmd == "chrome" and len(args) >= 1:
        return m.chrome(args[0], [json.loads(a) for a in args[1:]])
    if cmd == "viewport" and len(args) == 2:
        m.viewport(int(args[0]), int(args[1]))
        return None
    if cmd == "shot" and len(args) in (2, 3) and args[2:] in ([], ["full"]):
        m.open(args[0])
        m.settle()
        png = m.call("WebDriver:TakeScreenshot", {"full": len(args) == 3})
        with open(args[1], "wb") as f:
            f.write(base64.b64decode(png))
        return None
    if cmd == "quit" and not args:
        m.quit()
        return None
    raise ValueError(cmd)


def main(argv):
    port, timeout = 2828, 30.0
    while len(argv) > 1 and argv[0] in ("--port", "--timeout"):
        if argv[0] == "--port":
            port = int(argv[1])
        else:
            timeout = float(argv[1])
        argv = argv[2:]
    if not argv:
        sys.stderr.write(__doc__)
        return 2
    m = Marionette(port, timeout)
    try:
        m.connect()
    except (TimeoutError, OSError) as e:
        sys.stderr.write("marionette: %s\n" % e)
        return 3
    try:
        out = command(m, argv[0], argv[1:])
    except ValueError:
        sys.stderr.write(__doc__)
        return 2
    except (Error, OSError) as e:
        sys.stderr.write("marionette: %s\n" % e)
        return 1
    finally:
        if m.sock is not None and argv[0] != "quit":
            try:
                m.call("WebDriver:DeleteSession")
            except (Error, OSError):
                pass
            m.sock.close()
    if isinstance(out, str):
        print(out)
    elif out is not None:
        print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
