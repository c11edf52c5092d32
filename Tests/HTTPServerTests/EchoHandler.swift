import HTTPServer

/// Echoes what it received; `/slow` takes 300 ms; `/close` asks for the connection to close; `/big` answers 4 MiB.
struct EchoHandler: HTTPHandler {
    /// Built once: 4 Mi elements mapped in a debug build take seconds of CPU, which a handler on a loop must not spend.
    static let big: [UInt8] = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 % 251) }

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        if request.path == "/slow" {
            try? await Task.sleep(nanoseconds: 300_000_000)
        }
        var headers: HTTPHeaders = ["Content-Type": "text/plain", "X-Method": request.method, "X-Path": request.path]
        if request.path == "/close" { headers.add("Connection", "close") }
        if request.path == "/big" {
            // Far more than a socket buffer: forces partial writes and EPOLLOUT.
            return HTTPResponse(status: 200, headers: headers, body: Self.big)
        }
        let body = request.body.isEmpty ? Array("\(request.method) \(request.target)".utf8) : request.body
        return HTTPResponse(status: 200, headers: headers, body: body)
    }
}
