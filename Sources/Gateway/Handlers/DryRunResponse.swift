import HTTPServer
import JSONCore
import KoreAdapter
import TextCoding

/// `?dryRun=true`: the exact upstream request that would be sent, with the token redacted, and nothing sent.
/// When the gateway would read the campaign first (`If-Match`, or a schedule's name), that read is shown as
/// `upstreamReadFirst`, and the name it would learn as `{name}` in the call's URL. A write's `Idempotency-Key` is shown
/// as `idempotency`: the key, what a real request would meet in its record, and how long an answer is kept.
enum DryRunResponse {
    static let redacted = "<redacted>"

    static func make(_ request: UpstreamRequest, readFirst: UpstreamRequest? = nil, version: UpstreamVersion,
                     idempotency: JSONValue? = nil) -> HTTPResponse {
        var responseHeaders = HTTPHeaders()
        responseHeaders.add("Content-Type", "application/json")
        responseHeaders.add("Cache-Control", "no-store")
        return HTTPResponse(status: 200, headers: responseHeaders,
                            body: body(request, readFirst: readFirst, idempotency: idempotency))
    }

    /// The answer's JSON written straight to bytes: the same text as `JSONWriter.write(tree(...))` (a test holds
    /// them equal), without building the tree of objects first. Into one buffer sized once for the most the answer
    /// can take (every string escaped as `\u00XX`): an `Array.append` per piece cost more than the escaping.
    static func body(_ request: UpstreamRequest, readFirst: UpstreamRequest?, idempotency: JSONValue?) -> [UInt8] {
        let callBody = writtenBody(request)
        let readBody = readFirst.map(writtenBody)
        let shown = idempotency.map { JSONWriter.write($0) }
        var capacity = 64 + mostBytes(request, body: callBody)
        if let readFirst { capacity += 32 + mostBytes(readFirst, body: readBody ?? nil) }
        if let shown { capacity += 32 + shown.count }
        return [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
            var o = 0
            put(#"{"dryRun":true,"upstreamRequest":"#, into: out, at: &o)
            write(request, body: callBody, into: out, at: &o)
            if let readFirst {
                put(#","upstreamReadFirst":"#, into: out, at: &o)
                write(readFirst, body: readBody ?? nil, into: out, at: &o)
            }
            if let shown {
                put(#","idempotency":"#, into: out, at: &o)
                put(shown, into: out, at: &o)
            }
            put("}", into: out, at: &o)
            count = o
        }
    }

    /// The request's body as the answer shows it: its JSON rewritten, or text that is not JSON as a string; nil
    /// when it has none (`null`).
    private static func writtenBody(_ request: UpstreamRequest) -> [UInt8]? {
        guard let bytes = request.body else { return nil }
        return JSONWriter.write((try? JSONReader.parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self)))
    }

    /// The most bytes `write` can take for `request`: its fixed text, each string escaped at worst, and its body.
    private static func mostBytes(_ request: UpstreamRequest, body: [UInt8]?) -> Int {
        var total = 64 + JSONStringEscaping.maxLiteralCount(request.method)
            + JSONStringEscaping.maxLiteralCount(utf8Count: request.origin.utf8.count + request.pathAndQuery.utf8.count)
            + (body?.count ?? 4)
        for header in request.headers {
            total += 2 + JSONStringEscaping.maxLiteralCount(header.name)
                + max(JSONStringEscaping.maxLiteralCount(header.value), JSONStringEscaping.maxLiteralCount(redacted))
        }
        return total
    }

    /// `describe(request)` written into `out` at `o`, which has room for `mostBytes(request, body:)`.
    private static func write(_ request: UpstreamRequest, body: [UInt8]?, into out: UnsafeMutableBufferPointer<UInt8>,
                              at o: inout Int) {
        put(#"{"method":"#, into: out, at: &o)
        JSONStringEscaping.write(request.method, into: out, at: &o)
        put(#","url":""#, into: out, at: &o)
        // The URL's two parts escaped one after the other: the same text as the escaped `url`, without joining them
        // into a new string first (escaping goes character by character).
        writeContent(request.origin, into: out, at: &o)
        writeContent(request.pathAndQuery, into: out, at: &o)
        put(#"","headers":{"#, into: out, at: &o)
        // As a JSON object built by setting each name in turn: a name given again keeps its first place and takes
        // its last value. By index, names compared by length first (the upstream's names are all distinct).
        let headers = request.headers
        var written = 0
        for i in headers.indices {
            let name = headers[i].name
            var earlier = false
            for j in 0..<i where same(headers[j].name, name) {
                earlier = true
                break
            }
            if earlier { continue }
            var value = headers[i].value
            for k in (i + 1)..<headers.count where same(headers[k].name, name) { value = headers[k].value }
            if written > 0 { put(",", into: out, at: &o) }
            written += 1
            JSONStringEscaping.write(name, into: out, at: &o)
            put(":", into: out, at: &o)
            JSONStringEscaping.write(isRedacted(name) ? redacted : value, into: out, at: &o)
        }
        put(#"},"body":"#, into: out, at: &o)
        if let body { put(body, into: out, at: &o) } else { put("null", into: out, at: &o) }
        put("}", into: out, at: &o)
    }

    /// Fixed text copied into `out` at `o` (checked against the room left).
    @inline(__always)
    private static func put(_ text: StaticString, into out: UnsafeMutableBufferPointer<UInt8>, at o: inout Int) {
        text.withUTF8Buffer { put($0, into: out, at: &o) }
    }

    @inline(__always)
    private static func put(_ bytes: [UInt8], into out: UnsafeMutableBufferPointer<UInt8>, at o: inout Int) {
        bytes.withUnsafeBufferPointer { put($0, into: out, at: &o) }
    }

    @inline(__always)
    private static func put(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>,
                            at o: inout Int) {
        precondition(o >= 0 && out.count - o >= bytes.count, "DryRunResponse: the answer outgrew its buffer")
        if let source = bytes.baseAddress, let target = out.baseAddress {
            (target + o).initialize(from: source, count: bytes.count)
        }
        o += bytes.count
    }

    @inline(__always)
    private static func same(_ a: String, _ b: String) -> Bool { a.utf8.count == b.utf8.count && a == b }

    /// `text` escaped as a JSON string's content, without its quotes.
    private static func writeContent(_ text: String, into out: UnsafeMutableBufferPointer<UInt8>, at o: inout Int) {
        var text = text
        text.withUTF8 { JSONStringEscaping.writeContent(utf8: $0, into: out, at: &o) }
    }

    /// The token's header, whatever its case.
    private static func isRedacted(_ name: String) -> Bool { name.lowercasedASCIIEquals("auth") }

    /// The answer as a tree: what `body` writes, kept as the reference the tests compare it with.
    static func tree(_ request: UpstreamRequest, readFirst: UpstreamRequest?, idempotency: JSONValue?) -> JSONValue {
        var object: JSONObject = ["dryRun": .bool(true), "upstreamRequest": describe(request)]
        if let readFirst { object["upstreamReadFirst"] = describe(readFirst) }
        if let idempotency { object["idempotency"] = idempotency }
        return .object(object)
    }

    static func describe(_ request: UpstreamRequest) -> JSONValue {
        var headers = JSONObject()
        for header in request.headers {
            headers[header.name] = .string(isRedacted(header.name) ? redacted : header.value)
        }
        var body: JSONValue = .null
        if let bytes = request.body {
            body = (try? JSONReader.parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self))
        }
        return .object([
            "method": .string(request.method),
            "url": .string(request.url),
            "headers": .object(headers),
            "body": body,
        ])
    }
}
