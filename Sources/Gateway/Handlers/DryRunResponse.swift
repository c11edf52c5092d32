import HTTPServer
import JSONCore
import KoreAdapter

/// `?dryRun=true`: the exact upstream request that would be sent, with the token redacted, and nothing sent.
enum DryRunResponse {
    static func make(_ request: UpstreamRequest, version: UpstreamVersion) -> HTTPResponse {
        var headers = JSONObject()
        for header in request.headers {
            headers[header.name] = .string(header.name.lowercased() == "auth" ? "<redacted>" : header.value)
        }
        var body: JSONValue = .null
        if let bytes = request.body {
            body = (try? JSONReader.parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self))
        }
        let object: JSONObject = [
            "dryRun": .bool(true),
            "upstreamRequest": .object([
                "method": .string(request.method),
                "url": .string(request.url),
                "headers": .object(headers),
                "body": body,
            ]),
        ]
        var responseHeaders = HTTPHeaders()
        responseHeaders.add("Content-Type", "application/json")
        responseHeaders.add("Cache-Control", "no-store")
        return HTTPResponse(status: 200, headers: responseHeaders, body: JSONWriter.write(.object(object)))
    }
}
