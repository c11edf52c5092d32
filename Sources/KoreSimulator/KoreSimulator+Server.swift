import HTTPServer

extension KoreSimulator {
    /// An HTTP server for this simulator (demo, `kore-sim`, tests). Its handler never blocks, so it runs on the loop;
    /// requests the server refuses before routing are answered in Kore.ai's error format, like everything else.
    public func makeServer(host: String, port: Int) -> HTTPServer {
        var configuration = HTTPServerConfiguration(host: host, port: port)
        configuration.runsHandlersOnEventLoop = true
        return HTTPServer(configuration: configuration, handler: self, errorResponder: Self.rejectionResponse)
    }

    /// A request the server refused (malformed, too large, too slow), as Kore.ai's `{"errors":[...]}` body.
    @Sendable public static func rejectionResponse(_ rejection: HTTPRejection) -> HTTPResponse {
        KoreError(status: rejection.status, message: rejection.detail).response
    }
}
