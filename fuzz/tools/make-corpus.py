#!/usr/bin/env python3
"""Writes the committed seed corpora under fuzz/corpus/<target>/ from the project's own tests.

Redis replies come from Tests/RedisClientTests/RedisReplyParserTests.swift (every string literal holding a CR LF, under
both limit sets of the target). HTTP requests come from Tests/HTTPServerTests/Parser*Tests.swift (every string literal that holds a request line, with
the tests' `\\(host)` interpolation filled in; the few built with String(repeating:) or byte arrays are added here by
hand, shortened so seeds stay small). Upstream bodies are the Kore.ai samples in Tests/KoreAdapterTests/Fixtures and
the inline bodies of CampaignNormalizerTests (campaigns, lists, start/stop/status, schedule answers, error bodies);
write bodies are WriteBodies.swift's. Re-run after changing those tests:

    python3 fuzz/tools/make-corpus.py
"""
import hashlib
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fuzz" / "corpus"
HOST = "Host: h\r\n"


def swift_unescape(text):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            if n == "(":  # interpolation: only \(host) occurs in the parser tests
                j = text.index(")", i)
                name = text[i + 2:j]
                out.append(HOST if name == "host" else "")
                i = j + 1
                continue
            out.append({"r": "\r", "n": "\n", "t": "\t", "\\": "\\", '"': '"', "0": "\0"}.get(n, n))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def http_literals():
    found = []
    for path in sorted((ROOT / "Tests" / "HTTPServerTests").glob("Parser*Tests.swift")):
        source = path.read_text()
        for line in source.splitlines():
            if "String(repeating" in line:
                continue
            literals = [swift_unescape(m) for m in re.findall(r'"((?:[^"\\]|\\.)*)"', line)]
            if "Case(" in line:
                literals = literals[1:]  # the case's name
            if "bytes:" in line:
                continue  # byte-array cases are spelled out below
            joined = "".join(literals)  # "a" + "b" on one line
            if re.search(r"HTTP/|^\d|^[0-9a-fA-F]+[;\r]", joined) and ("\r\n" in joined or "\n" in joined):
                found.append(joined.encode("latin-1"))
    return found


def redis_literals():
    source = (ROOT / "Tests" / "RedisClientTests" / "RedisReplyParserTests.swift").read_text()
    found = set()
    for line in source.splitlines():
        for literal in re.findall(r'"((?:[^"\\]|\\.)*)"', line):
            text = swift_unescape(literal)
            if "\r\n" in text:
                found.add(text.encode("utf-8"))
    return found


def write(target, name, data):
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)


def seed_name(data):
    return hashlib.sha1(data).hexdigest()[:12]


def main():
    requests = http_literals()
    requests += [
        b"GET /a?b=c HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 20 + b"Host: h\r\n\r\n",
        b"GET /" + b"a" * 300 + b" HTTP/1.1\r\nHost: h\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + b"b" * 300 + b"\r\n\r\n",
        b"OPTIONS * HTTP/1.1\r\nHost: h\r\nX-Latin: caf\xe9\tok\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: h\r\nX-A: b\x00c\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: h\r\nX-A: b\x7f\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: h\r\nX-A: \x1b\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\x01\r\nhello\r\n0\r\n\r\n",
        b"GET /\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n",
        b"POST /u HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbody",
        b"TRACE / HTTP/1.1\r\nHost: h\r\nMax-Forwards: 0\r\n\r\n",
        b"HEAD /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\nGET /never HTTP/1.1\r\nHost: h\r\n\r\n",
        b"".join(b"GET /%d HTTP/1.1\r\nHost: h\r\n\r\n" % i for i in range(10)),
        b"PUT /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: v\r\n\r\n"
        b"GET /next HTTP/1.1\r\nHost: h\r\n\r\n",
    ]
    requests = sorted(set(requests))
    for data in requests:
        write("http-parser", seed_name(data), data)
        write("http-connection", seed_name(data), data)

    # Chunked bodies: whatever follows the head of a chunked request in the seeds, plus a few of our own.
    bodies = set()
    for data in requests:
        if b"Transfer-Encoding: chunked\r\n" in data and b"\r\n\r\n" in data:
            bodies.add(data.split(b"\r\n\r\n", 1)[1])
    bodies |= {
        b"0\r\n\r\n",
        b"5\r\nhello\r\n0\r\n\r\n",
        b"5;name=value\r\nhello\r\n6 ; x\r\n world\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\nY: z\r\n\r\n",
        b"000000000000005\r\nhello\r\n0\r\n\r\n",
        b"1\r\na\r\n" * 40 + b"0\r\n\r\n",
        b"400\r\n" + b"x" * 1024 + b"\r\n0\r\n\r\n",
        b"401\r\n" + b"x" * 1025 + b"\r\n0\r\n\r\n",
        b"0\r\n" + b"X-T: v\r\n" * 40 + b"\r\n",
        b"5\t;\text\r\nhello\r\n0;last\r\n\r\n",
    }
    for data in sorted(bodies):
        write("http-chunked", seed_name(data), data)

    # Replies: the parser tests' literals, a pipelined run of them, and a few large ones; byte 0 picks the limits.
    replies = redis_literals()
    replies |= {
        b"$" + str(300).encode() + b"\r\n" + bytes(range(256)) + b"x" * 44 + b"\r\n",
        b"*3\r\n" + b"*2\r\n:1\r\n$-1\r\n" * 3,
        b"".join(sorted(r for r in redis_literals() if r.count(b"\r\n") <= 2))[:1500],
        b"-NOSCRIPT No matching script. Please use EVAL.\r\n",
        b"-WRONGPASS invalid username-password pair or user is disabled.\r\n",
    }
    for data in sorted(replies):
        for selector in (0, 1):
            seed = bytes([selector]) + data
            write("redis-reply", seed_name(seed), seed)

    fixtures = ROOT / "Tests" / "KoreAdapterTests" / "Fixtures"
    operations, types, versions = ["delete", "update", "get"], ["voice", "sms"], ["v1", "v2"]

    def normalizer_selector(operation, kind, version):
        return bytes([operations.index(operation) + 3 * types.index(kind) + 6 * versions.index(version)])

    samples = {}
    for path in sorted(fixtures.glob("*.json")):
        samples[path.stem] = path.read_bytes()
    for name, body in samples.items():
        write("json-differential", name + ".json", body)
        if name.startswith("expected-") or name.endswith("-request"):
            continue
        parts = name.split("-")
        if len(parts) < 3 or parts[2] not in operations:
            continue  # lists, start/stop/status, schedules and creates have targets (or shapes) of their own
        version, kind, operation = parts[0:3]
        write("kore-normalizer", name, normalizer_selector(operation, kind, version) + body)
    inline = [
        ("default-message", "delete", b'{"status":"success","data":{"_id":"cd-1","name":"Spring","priority":"2"}}'),
        ("nameless", "delete", b'{"status":"success","message":"","data":{"_id":"cd-1"}}'),
        ("sms-base64", "get", b'{"status":"success","data":{"_id":"cd-1","message":{"message":"SGVsbG8sIHfDtnJsZCE="}}}'),
        ("sms-percent", "get", b'{"status":"success","data":{"_id":"cd-1","message":{"message":"SGk%3D"}}}'),
        ("flat-get", "get", b'{"_id":"cd-2","name":"Flat","campaignType":"voice","message":"ok","status":"active"}'),
        ("failure", "get", b'{"status":"failure","message":"nope"}'),
        ("drift", "get", b'{"status":"success","requestId":"r-1","data":{"_id":"cd-9","priority":"high","newThing":{"a":1},'
         b'"dialingStrategy":{"callerId":{"phoneNumber":"+1555","ext":"12"},"callingHours":{"days":[{"day":"MO",'
         b'"start":"9:00 AM","end":"25:00 PM","tz":"x"},7]},"pacing":2},"enableMachineDetect":"maybe",'
         b'"schedule":{"isSchedulingEnabled":true,"startDate":"2026-01-01"}}}'),
    ]
    for name, operation, body in inline:
        for kind in types:
            for version in versions:
                write("kore-normalizer", f"{name}-{version}-{kind}", normalizer_selector(operation, kind, version) + body)
        write("json-differential", name + ".json", body)

    # The byte-to-byte normalizer against the tree one: the campaign answers under each operation (as sent and
    # compact), the lists (selector bit 0x10) and the inline bodies above.
    differential_operations = ["delete", "update", "create", "stop"]

    def differential_selector(operation, kind, version, list_page=None):
        base = types.index(kind) * 4 + versions.index(version) * 8
        if list_page is not None:
            return bytes([0x10 + base + 32 * list_page])
        return bytes([differential_operations.index(operation) + base])

    def compact(body):
        return json.dumps(json.loads(body), separators=(",", ":"), ensure_ascii=False).encode()

    for name in ["v1-voice-delete", "v2-voice-delete", "v1-sms-delete", "v2-sms-delete", "v1-voice-update-response",
                 "v2-voice-get-agentless", "v1-voice-create-preview"]:
        version, kind = name.split("-")[0:2]
        for operation in differential_operations:
            write("kore-normalizer-differential", f"{name}-{operation}",
                  differential_selector(operation, kind, version) + samples[name])
        write("kore-normalizer-differential", f"{name}-compact", differential_selector("delete", kind, version) + compact(samples[name]))
    for name in ["v1-voice-list", "v2-voice-list", "v1-sms-list", "v2-sms-list"]:
        version, kind = name.split("-")[0:2]
        write("kore-normalizer-differential", f"{name}", differential_selector(None, kind, version, 0) + samples[name])
        write("kore-normalizer-differential", f"{name}-compact-p2", differential_selector(None, kind, version, 1) + compact(samples[name]))
    for name, _, body in inline:
        write("kore-normalizer-differential", f"{name}-v2-sms", differential_selector("delete", "sms", "v2") + body)
        write("kore-normalizer-differential", f"{name}-v1-voice", differential_selector("update", "voice", "v1") + body)

    # The list, run-state, schedule and error-body targets: Kore.ai's samples with their selector bytes.
    for name in ["v2-voice-list", "v2-sms-list"]:
        kind = name.split("-")[1]
        for version in versions:
            for page, limit in [(0, 49), (3, 0)]:  # page 1 with limit 50; page 999,999,999 with limit 1
                selector = bytes([types.index(kind) + 2 * versions.index(version) + 4 * page, limit])
                write("kore-list", f"{name}-{version}-p{page}", selector + samples[name])
    write("kore-list", "totals-only", bytes([0, 19]) + b'{"status":"success","data":{"totalResults":41,"hasMore":true}}')
    run_operations = ["start", "stop", "status"]
    for name, operation, kind in [("v1-voice-start", "start", "voice"), ("v2-sms-stop", "stop", "sms"), ("v2-status", "status", "voice")]:
        for known in [0, 1]:
            selector = bytes([run_operations.index(operation) + 3 * types.index(kind) + 6 * known])
            write("kore-run-state", f"{name}-known{known}", selector + samples[name])
    write("kore-run-state", "data-start", bytes([0]) + b'{"status":"success","message":"ok","data":{"_id":"cd-1","status":"Active","totalCallsCompleted":"12"}}')
    for selector in [0, 4, 8, 14]:
        write("kore-schedule", f"answer-{selector}", bytes([selector]) + samples["v2-schedule-weekly-response"])
    for name, text in [
        ("weekly", '{"start":"2026-01-05T09:00","end":"2026-03-31T18:00","recurrence":{"every":"week","interval":1,"days":["MO","WE","FR"]}}'),
        ("daily", '{"start":"2026-01-05T09:00:30","end":"2026-01-06T09:00","recurrence":{"every":"day","interval":3}}'),
        ("leap", '{"start":"2028-02-29T23:59:59","end":"2028-03-01T00:00","recurrence":{"every":"day","interval":1,"days":[]}}'),
    ]:
        write("kore-schedule", f"translate-{name}", bytes([1]) + text.encode())
    for name, status, body in [
        ("errors", 0, b'{"errors":[{"msg":"Campaign not found","code":404},{"message":"second","code":"NOT_FOUND"}]}'),
        ("failure", 5, b'{"status":"failure","message":"dialingMode is invalid"}'),
        ("msg-only", 1, b'{"msg":"Unauthorized"}'),
        ("odd-shape", 7, b'{"error":{"reason":"boom"},"errors":[]}'),
        ("strings", 8, b'{"errors":["plain text error", {"code": ""}]}'),
        ("html", 9, b"<html><body><h1>502 Bad Gateway</h1><p>Cannot DELETE /campaign/api/v2/public/st-1/campaign/x</p></body></html>"),
        ("empty", 10, b" \r\n"),
    ]:
        write("kore-upstream-error", name, bytes([status]) + body)

    write_bodies = (ROOT / "Tests" / "KoreAdapterTests" / "WriteBodies.swift").read_text()
    texts = re.findall(r'static let (\w+)Text = #"""\n(.*?)\n\s*"""#', write_bodies, re.S)
    for kind, text in texts:
        document = json.loads(text)
        for version in versions:
            body = dict(document)
            if version == "v1":
                body["dncList"] = None
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
            selector = bytes([types.index(kind) + 2 * versions.index(version)])
            write("kore-write-translator", f"{kind}-{version}", selector + data)
        if kind == "voice":
            # The voice branches the sample body does not reach: agentless with machine detection, system mappings,
            # an experience flow, progressive without skips; v1 with detection.
            variants = {
                "agentless-v2": ("v2", {"dialingMode": "agentless", "machineDetection": "disconnect",
                                        "useSystemMappings": True, "experienceFlowName": "Flow"}),
                "progressive-v2": ("v2", {"dialingMode": "progressive", "machineDetection": "detect", "maxSkips": None}),
                "detect-v1": ("v1", {"machineDetection": "detect", "dialingOrder": "lifo"}),
            }
            for name, (version, changes) in variants.items():
                body = dict(document)
                body["voice"] = {**document["voice"], **changes}
                if version == "v1":
                    body["dncList"] = None
                data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
                selector = bytes([types.index(kind) + 2 * versions.index(version)])
                write("kore-write-translator", f"{kind}-{name}", selector + data)
        write("json-differential", f"write-{kind}.json", text.encode())

    for name, text in [
        ("scalars", '[0,-0,1.5e3,-2E-2,true,false,null,"",12345678901234567890]'),
        ("escapes", r'["\"\\\/\b\f\n\r\t","\u00e9\u20ac\ud83d\ude00","\u0000"]'),
        ("nested", '{"a":{"b":[[{"c":[]}],{}]},"a":1}'),
        ("whitespace", ' \t\n\r{ "k" : [ 1 , 2 ] } \n'),
        ("utf8", '"caf\u00e9 \u2713 \U0001F600"'),
    ]:
        write("json-differential", name + ".json", text.encode())


if __name__ == "__main__":
    main()
