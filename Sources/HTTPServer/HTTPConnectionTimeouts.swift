/// The time limits a connection state machine enforces, in seconds.
public struct HTTPConnectionTimeouts: Sendable, Equatable {
    /// From a request's first byte to the end of its header section (not extended by trickling bytes).
    public var header: Double
    /// From the end of the header section to the end of the body.
    public var body: Double
    /// Keep-alive idle time between requests; also the longest a response write may stall.
    public var idle: Double
    /// After a closing response: how long to keep reading and discarding before the final close (see `lingering`).
    public var linger: Double

    public init(header: Double = 10, body: Double = 30, idle: Double = 60, linger: Double = 2) {
        self.header = header
        self.body = body
        self.idle = idle
        self.linger = linger
    }
}
