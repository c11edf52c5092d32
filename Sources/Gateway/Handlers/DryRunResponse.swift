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

    static func make(_ call: Call, readFirst: Call? = nil, version: UpstreamVersion,
                     idempotency: JSONValue? = nil) -> HTTPResponse {
        var responseHeaders = HTTPHeaders()
        responseHeaders.add("Content-Type", "application/json")
        responseHeaders.add("Cache-Control", "no-store")
        return HTTPResponse(status: 200, headers: responseHeaders,
                            body: body(call, readFirst: readFirst, idempotency: idempotency))
    }

    /// One upstream call as the answer shows it: what `describe` shows of a request, taken from its parts. The
    /// gateway's dry run describes the call from the tenant's prebuilt routes without building it
    /// (`UpstreamTenantRoutes.sketch`): the URL in its pieces, and the tenant's leading headers written once.
    struct Call {
        let method: String
        /// Escaped one after the other: the same text as their concatenation escaped (escaping goes character by
        /// character), without joining them first.
        let url: (String, String, String, String)
        /// The URL's text escaped once for the tenant's route (`url`'s first, second and fourth pieces); nil when
        /// `url` is escaped here.
        let escapedURL: (prefix: [UInt8], after: [UInt8])?
        /// The call's first headers, written once for the tenant; nil when `headers` are all of them.
        let described: DescribedHeaders?
        /// The headers after `described`'s.
        let headers: [(name: String, value: String)]
        let body: [UInt8]?

        init(_ request: UpstreamRequest) {
            method = request.method
            url = (request.origin, request.pathAndQuery, "", "")
            escapedURL = nil
            described = nil
            headers = request.headers
            body = request.body
        }

        /// A call whose URL is the four pieces joined and whose headers are `described`'s then `headers`. When a
        /// header of `headers` repeats one of `described`'s names (which would take that member's place and value),
        /// all of them are written member by member instead.
        init(method: String, url: (String, String, String, String), escapedURL: (prefix: [UInt8], after: [UInt8])? = nil,
             described: DescribedHeaders, headers: [(name: String, value: String)], body: [UInt8]?) {
            self.method = method
            self.url = url
            self.escapedURL = escapedURL
            self.body = body
            if described.fits(headers) {
                self.described = described
                self.headers = headers
            } else {
                self.described = nil
                self.headers = described.headers + headers
            }
        }
    }

    /// A tenant's routes' URLs around the campaign id or name, escaped once: by route index
    /// (`UpstreamCallSketch.route`), the escaped text of the origin and the path before it, and of what follows it.
    struct DescribedURLs: Sendable {
        let routes: [(prefix: [UInt8], after: [UInt8])?]

        init(_ table: UpstreamTenantRoutes) {
            routes = (0..<table.routeCount).map { index in
                table.routePieces(index).map { pieces in
                    (prefix: DryRunResponse.escapedContent(pieces.origin + pieces.before),
                     after: DryRunResponse.escapedContent(pieces.after))
                }
            }
        }

        /// The texts for `route`, nil for an index without them.
        subscript(route: Int) -> (prefix: [UInt8], after: [UInt8])? {
            routes.indices.contains(route) ? routes[route] : nil
        }
    }

    /// `text` escaped as a JSON string's content, by the writer every piece goes through.
    static func escapedContent(_ text: String) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: JSONStringEscaping.maxLiteralCount(text)) { out, n in
            var o = 0
            writeContent(text, into: out, at: &o)
            n = o
        }
    }

    /// A tenant's leading upstream headers (the token's, redacted, then `iid`, `accountId`, `Content-Type`) as
    /// members of the answer's `headers` object, written once per tenant by the same code as every other member:
    /// they are the same for every call of the tenant, and escaping them was most of a dry run's description.
    struct DescribedHeaders: Sendable {
        let headers: [(name: String, value: String)]
        /// The members written for them (a name given twice among them is written once).
        let written: Int
        /// `"auth":"<redacted>","iid":"...",...` without braces.
        let members: [UInt8]

        init(_ headers: [(name: String, value: String)]) {
            self.headers = headers
            var written = 0
            members = [UInt8](unsafeUninitializedCapacity: DryRunResponse.mostMemberBytes(headers)) { out, n in
                var o = 0
                DryRunResponse.writeMembers(headers, written: &written, into: out, at: &o)
                n = o
            }
            self.written = written
        }

        /// Whether these members stand for themselves followed by `later`: no header of `later` repeats one of
        /// their names.
        func fits(_ later: [(name: String, value: String)]) -> Bool {
            for header in later {
                for leading in headers where DryRunResponse.same(leading.name, header.name) { return false }
            }
            return true
        }
    }

    /// The answer's JSON written straight to bytes: the same text as `JSONWriter.write(tree(...))` (a test holds
    /// them equal), without building the tree of objects first. Into one buffer sized once for the most the answer
    /// can take (every string escaped as `\u00XX`): an `Array.append` per piece cost more than the escaping.
    static func body(_ request: UpstreamRequest, readFirst: UpstreamRequest?, idempotency: JSONValue?) -> [UInt8] {
        body(Call(request), readFirst: readFirst.map(Call.init), idempotency: idempotency)
    }

    static func body(_ call: Call, readFirst: Call?, idempotency: JSONValue?) -> [UInt8] {
        let callBody = writtenBody(call)
        let readBody = readFirst.map(writtenBody)
        let shown = idempotency.map { JSONWriter.write($0) }
        var capacity = 64 + mostBytes(call, body: callBody)
        if let readFirst { capacity += 32 + mostBytes(readFirst, body: readBody ?? nil) }
        if let shown { capacity += 32 + shown.count }
        return [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
            var o = 0
            put(#"{"dryRun":true,"upstreamRequest":"#, into: out, at: &o)
            write(call, body: callBody, into: out, at: &o)
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

    /// The call's body as the answer shows it: its JSON rewritten, or text that is not JSON as a string; nil
    /// when it has none (`null`).
    private static func writtenBody(_ call: Call) -> [UInt8]? {
        guard let bytes = call.body else { return nil }
        return JSONWriter.write((try? JSONReader.parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self)))
    }

    /// The most bytes `write` can take for `call`: its fixed text, each string escaped at worst, and its body.
    private static func mostBytes(_ call: Call, body: [UInt8]?) -> Int {
        let urlCount: Int
        if let escaped = call.escapedURL {
            urlCount = escaped.prefix.count + escaped.after.count + JSONStringEscaping.maxLiteralCount(call.url.2)
        } else {
            urlCount = JSONStringEscaping.maxLiteralCount(utf8Count: call.url.0.utf8.count + call.url.1.utf8.count
                                                          + call.url.2.utf8.count + call.url.3.utf8.count)
        }
        return 64 + JSONStringEscaping.maxLiteralCount(call.method) + urlCount
            + (body?.count ?? 4) + (call.described?.members.count ?? 0) + mostMemberBytes(call.headers)
    }

    /// The most bytes `writeMembers` can take for `headers`.
    private static func mostMemberBytes(_ headers: [(name: String, value: String)]) -> Int {
        var total = 0
        for header in headers {
            total += 2 + JSONStringEscaping.maxLiteralCount(header.name)
                + max(JSONStringEscaping.maxLiteralCount(header.value), JSONStringEscaping.maxLiteralCount(redacted))
        }
        return total
    }

    /// `describe` of the call written into `out` at `o`, which has room for `mostBytes(call, body:)`.
    private static func write(_ call: Call, body: [UInt8]?, into out: UnsafeMutableBufferPointer<UInt8>,
                              at o: inout Int) {
        put(#"{"method":"#, into: out, at: &o)
        JSONStringEscaping.write(call.method, into: out, at: &o)
        put(#","url":""#, into: out, at: &o)
        if let escaped = call.escapedURL {
            put(escaped.prefix, into: out, at: &o)
            if !call.url.2.isEmpty { writeContent(call.url.2, into: out, at: &o) }
            put(escaped.after, into: out, at: &o)
        } else {
            writeContent(call.url.0, into: out, at: &o)
            writeContent(call.url.1, into: out, at: &o)
            if !call.url.2.isEmpty { writeContent(call.url.2, into: out, at: &o) }
            if !call.url.3.isEmpty { writeContent(call.url.3, into: out, at: &o) }
        }
        put(#"","headers":{"#, into: out, at: &o)
        var written = 0
        if let described = call.described {
            put(described.members, into: out, at: &o)
            written = described.written
        }
        writeMembers(call.headers, written: &written, into: out, at: &o)
        put(#"},"body":"#, into: out, at: &o)
        if let body { put(body, into: out, at: &o) } else { put("null", into: out, at: &o) }
        put("}", into: out, at: &o)
    }

    /// The `headers` object's members for `headers` (after `written` members already written for headers that
    /// share none of their names), as a JSON object built by setting each name in turn: a name given again keeps
    /// its first place and takes its last value. By index, names compared by length first (the upstream's names
    /// are all distinct).
    private static func writeMembers(_ headers: [(name: String, value: String)], written: inout Int,
                                     into out: UnsafeMutableBufferPointer<UInt8>, at o: inout Int) {
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
