import HTTPServer
import JSONCore
import KoreAdapter

/// `?dryRun=true`: the exact upstream request that would be sent, with the token redacted, and nothing sent.
/// When the gateway would read the campaign first (`If-Match`, or a schedule's name), that read is shown as
/// `upstreamReadFirst`, and the name it would learn as `{name}` in the call's URL. A write's `Idempotency-Key` is shown
/// as `idempotency`: the key, what a real request would meet in its record, and how long an answer is kept.
enum DryRunResponse {
    static let redacted = "<redacted>"

    static func make(_ request: UpstreamRequest, readFirst: UpstreamRequest? = nil, version: UpstreamVersion,
                     idempotency: JSONValue? = nil) -> HTTPResponse {
        var object: JSONObject = ["dryRun": .bool(true), "upstreamRequest": describe(request)]
        if let readFirst { object["upstreamReadFirst"] = describe(readFirst) }
        if let idempotency { object["idempotency"] = idempotency }
        var responseHeaders = HTTPHeaders()
        responseHeaders.add("Content-Type", "application/json")
        responseHeaders.add("Cache-Control", "no-store")
        return HTTPResponse(status: 200, headers: responseHeaders, body: JSONWriter.write(.object(object)))
    }

    static func describe(_ request: UpstreamRequest) -> JSONValue {
        var headers = JSONObject()
        for header in request.headers {
            headers[header.name] = .string(header.name.lowercased() == "auth" ? redacted : header.value)
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
