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
    /// them equal), without building the tree of objects first.
    static func body(_ request: UpstreamRequest, readFirst: UpstreamRequest?, idempotency: JSONValue?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512 + (request.body?.count ?? 0))
        out.append(contentsOf: #"{"dryRun":true,"upstreamRequest":"#.utf8)
        append(request, to: &out)
        if let readFirst {
            out.append(contentsOf: #","upstreamReadFirst":"#.utf8)
            append(readFirst, to: &out)
        }
        if let idempotency {
            out.append(contentsOf: #","idempotency":"#.utf8)
            out.append(contentsOf: JSONWriter.write(idempotency))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `describe(request)` written to `out`.
    private static func append(_ request: UpstreamRequest, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"method":"#.utf8)
        JSONWriter.appendString(request.method, to: &out)
        out.append(contentsOf: #","url":""#.utf8)
        // The URL's two parts escaped one after the other: the same text as the escaped `url`, without joining them
        // into a new string first (escaping goes character by character).
        appendContent(request.origin, to: &out)
        appendContent(request.pathAndQuery, to: &out)
        out.append(contentsOf: #"","headers":{"#.utf8)
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
            if written > 0 { out.append(UInt8(ascii: ",")) }
            written += 1
            JSONWriter.appendString(name, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.appendString(isRedacted(name) ? redacted : value, to: &out)
        }
        out.append(contentsOf: #"},"body":"#.utf8)
        if let bytes = request.body {
            out.append(contentsOf: JSONWriter.write((try? JSONReader.parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self))))
        } else {
            out.append(contentsOf: "null".utf8)
        }
        out.append(UInt8(ascii: "}"))
    }

    @inline(__always)
    private static func same(_ a: String, _ b: String) -> Bool { a.utf8.count == b.utf8.count && a == b }

    /// `text` escaped as a JSON string's content, without its quotes.
    private static func appendContent(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { JSONStringEscaping.appendContent(utf8: $0, to: &out) }
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
