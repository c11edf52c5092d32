"""An HTTP upstream that misbehaves on purpose, for the client's tests.

Usage: hostile_upstream.py MODE LOGFILE
Prints "PORT <n>" once listening on 127.0.0.1. Appends one line per accepted connection ("conn"), per request
head read ("req <request line>") and per connection the client closed ("eof") to LOGFILE, flushed at once, so a test
can count what reached it.
"""
import gzip, socket, sys, threading, time

mode, logpath = sys.argv[1], sys.argv[2]
log_lock = threading.Lock()


def log(line):
    with log_lock, open(logpath, "a") as f:
        f.write(line + "\n")


def read_request(conn, buffered):
    """Reads one request head and its Content-Length body; returns (request line, leftover) or (None, b"")."""
    data = buffered
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None, b""
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.split(b"\r\n")
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None, b""
        rest += chunk
    log("req " + lines[0].decode("latin-1"))
    return lines[0], rest[length:]


def ok(conn, body=b"ok", extra=b""):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), extra, body))


def forever(conn, piece):
    while True:
        conn.sendall(piece)


def handle(conn):
    log("conn")
    buffered = b""
    served = 0
    try:
        while True:
            line, buffered = read_request(conn, buffered)
            if line is None:
                log("eof")
                return
            served += 1
            if mode == "ok":
                ok(conn)
            elif mode == "gzip":
                body = gzip.compress(b"\0" * (1 << 20))
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
            elif mode == "huge-length":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % (100 << 20))
                forever(conn, b"\0" * 65536)
            elif mode == "huge-close":
                conn.sendall(b"HTTP/1.1 200 OK\r\n\r\n")
                forever(conn, b"\0" * 65536)
            elif mode == "endless-chunked":
                conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                forever(conn, b"400\r\n" + b"x" * 1024 + b"\r\n")
            elif mode == "ok-then-trickle":
                if served == 1:
                    ok(conn)
                else:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
                    while True:
                        conn.sendall(b"x")
                        time.sleep(0.1)
            elif mode == "trickle":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
                while True:
                    conn.sendall(b"x")
                    time.sleep(0.1)
            elif mode == "garbage":
                conn.sendall(b"SSH-2.0-OpenSSH_9.2p1\r\n")
                time.sleep(5)
                return
            elif mode == "big-headers":
                conn.sendall(b"HTTP/1.1 200 OK\r\n" + b"X-Filler: " + b"a" * 1000 + b"\r\n" * 1)
                forever(conn, b"X-Filler: " + b"a" * 1000 + b"\r\n")
            elif mode == "close-mid-body":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789")
                return
            elif mode == "close-after-read":
                return
            elif mode == "ok-then-close-idle":
                ok(conn)
                time.sleep(0.2)
                return
            elif mode == "ok-then-drop-next":
                if served == 1:
                    ok(conn)
                else:
                    return
            elif mode == "list-overflow":
                # A list answer whose total no count can be: the gateway must refuse it, not overflow on it.
                ok(conn, b'{"status":"success","data":{"results":[],"limit":20,"totalResults":9223372036854775807}}')
            elif mode in ("proxy403", "proxy502"):
                # An egress proxy that answers every request itself (CONNECT or not), as a filtering or broken one does.
                status = b"403 Forbidden" if mode == "proxy403" else b"502 Bad Gateway"
                page = b"<html><body>Proxy says no</body></html>"
                conn.sendall(b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(page) + page)
            elif mode == "proxy407":
                conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\n"
                             b"Content-Length: 0\r\n\r\n")
            else:
                conn.sendall(b"HTTP/1.1 500 Unknown Mode\r\nContent-Length: 0\r\n\r\n")
    except OSError:
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(64)
print("PORT %d" % listener.getsockname()[1], flush=True)
while True:
    c, _ = listener.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
