/// The immutable parts of a running server every connection needs, plus the shared counters.
final class ServerShared: Sendable {
    let configuration: HTTPServerConfiguration
    let handler: any HTTPHandler
    let errorResponder: @Sendable (HTTPRejection) -> HTTPResponse
    let counters = ServerCounters()
    let limits: HTTPParserLimits
    let timeouts: HTTPConnectionTimeouts

    init(configuration: HTTPServerConfiguration, handler: any HTTPHandler,
         errorResponder: @escaping @Sendable (HTTPRejection) -> HTTPResponse) {
        self.configuration = configuration
        self.handler = handler
        self.errorResponder = errorResponder
        self.limits = configuration.parserLimits
        self.timeouts = HTTPConnectionTimeouts(header: configuration.headerTimeoutSeconds,
                                               body: configuration.bodyTimeoutSeconds,
                                               idle: configuration.idleTimeoutSeconds)
    }
}
