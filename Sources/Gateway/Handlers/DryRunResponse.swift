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
                     idempotency: JSONValue? = nil, described: DescribedHeaders? = nil) -> HTTPResponse {
        var responseHeaders = HTTPHeaders()
        responseHeaders.add("Content-Type", "application/json")
        responseHeaders.add("Cache-Control", "no-store")
        return HTTPResponse(status: 200, headers: responseHeaders,
                            body: body(request, readFirst: readFirst, idempotency: idempotency, described: described))
    }

    /// A tenant's fixed upstream headers (the token's, redacted, then `iid`, `accountId`, `Content-Type`) as members
    /// of the answer's `headers` object, written once per tenant by the same code as every other member: they are
    /// the same for every call of the tenant, and escaping them was most of a dry run's description.
    struct DescribedHeaders: Sendable {
        /// How many of a call's first headers these are.
        let count: Int
        /// The members written for them (a name given twice among them is written once).
        let written: Int
        let names: [String]
        /// `"auth":"<redacted>","iid":"...",...` without braces.
        let members: [UInt8]

        init(_ headers: [(name: String, value: String)]) {
            count = headers.count
            names = headers.map(\.name)
            var written = 0
            members = [UInt8](unsafeUninitializedCapacity: DryRunResponse.mostMemberBytes(headers, from: 0)) { out, n in
                var o = 0
                DryRunResponse.writeMembers(headers, from: 0, written: &written, into: out, at: &o)
                n = o
            }
            self.written = written
        }

        /// Whether these are what `write` would write for `headers`: its first `count` headers are the ones these
        /// were written from (the caller built them from the same routes), and no later header repeats one of their
        /// names (which would take that member's place and value).
        func fits(_ headers: [(name: String, value: String)]) -> Bool {
            guard headers.count >= count else { return false }
            for i in count..<headers.count {
                for name in names where same(name, headers[i].name) { return false }
            }
            return true
        }
    }

    /// The answer's JSON written straight to bytes: the same text as `JSONWriter.write(tree(...))` (a test holds
    /// them equal), without building the tree of objects first. Into one buffer sized once for the most the answer
    /// can take (every string escaped as `\u00XX`): an `Array.append` per piece cost more than the escaping.
    /// `described`, when given, are the first headers of `request` and `readFirst` (`DescribedHeaders.fits` says
    /// whether they can stand for them; a request they do not fit is written member by member).
    static func body(_ request: UpstreamRequest, readFirst: UpstreamRequest?, idempotency: JSONValue?,
                     described: DescribedHeaders? = nil) -> [UInt8] {
        let callBody = writtenBody(request)
        let readBody = readFirst.map(writtenBody)
        let shown = idempotency.map { JSONWriter.write($0) }
        let callDescribed = described.flatMap { $0.fits(request.headers) ? $0 : nil }
        let readDescribed = readFirst.flatMap { read in described.flatMap { $0.fits(read.headers) ? $0 : nil } }
        var capacity = 64 + mostBytes(request, body: callBody, described: callDescribed)
        if let readFirst { capacity += 32 + mostBytes(readFirst, body: readBody ?? nil, described: readDescribed) }
        if let shown { capacity += 32 + shown.count }
        return [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
            var o = 0
            put(#"{"dryRun":true,"upstreamRequest":"#, into: out, at: &o)
            write(request, body: callBody, described: callDescribed, into: out, at: &o)
            if let readFirst {
                put(#","upstreamReadFirst":"#, into: out, at: &o)
                write(readFirst, body: readBody ?? nil, described: readDescribed, into: out, at: &o)
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
    private static func mostBytes(_ request: UpstreamRequest, body: [UInt8]?, described: DescribedHeaders?) -> Int {
        64 + JSONStringEscaping.maxLiteralCount(request.method)
            + JSONStringEscaping.maxLiteralCount(utf8Count: request.origin.utf8.count + request.pathAndQuery.utf8.count)
            + (body?.count ?? 4) + (described?.members.count ?? 0)
            + mostMemberBytes(request.headers, from: described?.count ?? 0)
    }

    /// The most bytes `writeMembers` can take for `headers` from `start`.
    private static func mostMemberBytes(_ headers: [(name: String, value: String)], from start: Int) -> Int {
        var total = 0
        for header in headers[start...] {
            total += 2 + JSONStringEscaping.maxLiteralCount(header.name)
                + max(JSONStringEscaping.maxLiteralCount(header.value), JSONStringEscaping.maxLiteralCount(redacted))
        }
        return total
    }

    /// `describe(request)` written into `out` at `o`, which has room for `mostBytes(request, body:, described:)`.
    private static func write(_ request: UpstreamRequest, body: [UInt8]?, described: DescribedHeaders?,
                              into out: UnsafeMutableBufferPointer<UInt8>, at o: inout Int) {
        put(#"{"method":"#, into: out, at: &o)
        JSONStringEscaping.write(request.method, into: out, at: &o)
        put(#","url":""#, into: out, at: &o)
        // The URL's two parts escaped one after the other: the same text as the escaped `url`, without joining them
        // into a new string first (escaping goes character by character).
        writeContent(request.origin, into: out, at: &o)
        writeContent(request.pathAndQuery, into: out, at: &o)
        put(#"","headers":{"#, into: out, at: &o)
        var written = 0
        if let described {
            put(described.members, into: out, at: &o)
            written = described.written
        }
        writeMembers(request.headers, from: described?.count ?? 0, written: &written, into: out, at: &o)
        put(#"},"body":"#, into: out, at: &o)
        if let body { put(body, into: out, at: &o) } else { put("null", into: out, at: &o) }
        put("}", into: out, at: &o)
    }

    /// The `headers` object's members for `headers` from `start` (those before it are written already, `written`
    /// members of them), as a JSON object built by setting each name in turn: a name given again keeps its first
    /// place and takes its last value. By index, names compared by length first (the upstream's names are all
    /// distinct).
    private static func writeMembers(_ headers: [(name: String, value: String)], from start: Int, written: inout Int,
                                     into out: UnsafeMutableBufferPointer<UInt8>, at o: inout Int) {
        for i in start..<headers.count {
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
