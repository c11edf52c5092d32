import HTTPServer

/// Echoes what it received; `/slow` takes 300 ms; `/close` asks for the connection to close; `/big` answers 4 MiB.
struct EchoHandler: HTTPHandler {
    /// Built once, and cheaply: a `map` over 4 Mi elements took seconds in a debug build on a loaded machine, spent on
    /// the loop of the first request that asked (then a client's 5 s receive timeout could expire).
    static let big: [UInt8] = [UInt8](unsafeUninitializedCapacity: 4 << 20) { buffer, count in
        var value: UInt8 = 0
        for index in buffer.indices {
            buffer[index] = value
            value = value == 250 ? 0 : value + 1
        }
        count = buffer.count
    }

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
