/// The HTTP server's connection figures that `/metrics` shows (the server is created after the handler, so the
/// handler reads them through a closure the runtime sets).
public struct ServerGauges: Sendable {
    public var openConnections: Int
    public var maxConnections: Int
    public var inFlight: Int

    public init(openConnections: Int, maxConnections: Int, inFlight: Int) {
        self.openConnections = openConnections
        self.maxConnections = maxConnections
        self.inFlight = inFlight
    }
}
