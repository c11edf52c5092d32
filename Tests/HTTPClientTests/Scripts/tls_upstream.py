"""A TLS upstream for the client's tests: answers every request 200 "tls-ok" with keep-alive.

Usage: tls_upstream.py CERT KEY VERSIONS LOGFILE      (VERSIONS: "modern" = TLS 1.2+, "tls11" = TLS 1.1 only,
"modern-close" = TLS 1.2+ answering with Connection: close, so that every request needs a new handshake)
Prints "PORT <n>". Appends "handshake-ok", "handshake-failed <reason>" and "bytes <n>" (application bytes received on
the connection, written when it ends) to LOGFILE, so a test can show that no request byte arrived.
"""
import socket, ssl, sys, threading, warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)  # TLS 1.1 is the point of the "tls11" mode

cert, key, versions, logpath = sys.argv[1:5]
lock = threading.Lock()


def log(line):
    with lock, open(logpath, "a") as f:
        f.write(line + "\n")


context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
if versions == "tls11":
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    context.minimum_version = ssl.TLSVersion.TLSv1_1
    context.maximum_version = ssl.TLSVersion.TLSv1_1
context.set_alpn_protocols(["http/1.1"])


def handle(raw):
    received = 0
    try:
        conn = context.wrap_socket(raw, server_side=True)
    except (ssl.SSLError, OSError) as error:
        log("handshake-failed %s" % error)
        log("bytes 0")
        raw.close()
        return
    log("handshake-ok reused=%s" % conn.session_reused)
    data = b""
    try:
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            received += len(chunk)
            data += chunk
            while b"\r\n\r\n" in data:
                _, data = data.split(b"\r\n\r\n", 1)
                close = versions == "modern-close"
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n%s\r\ntls-ok" % (b"Connection: close\r\n" if close else b""))
                if close:
                    return
    except (ssl.SSLError, OSError):
        pass
    finally:
        log("bytes %d" % received)
        conn.close()


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(64)
print("PORT %d" % listener.getsockname()[1], flush=True)
while True:
    c, _ = listener.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
