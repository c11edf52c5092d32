import HTTPServer

/// One campaign API call the simulator received, as a test or the `/__sim/calls` control route sees it.
///
/// Headers are kept exactly as received (the `auth` token included) so in-process tests can inspect the JWT; the control
/// route redacts `auth` before anything leaves the process.
public struct SimulatedCall: Sendable {
    /// The request method as sent.
    public var method: String
    /// The path, still percent-encoded, without the query.
    public var path: String
    /// The raw query after `?`, or nil.
    public var query: String?
    /// Every header field in order.
    public var headers: [(String, String)]
    /// The request body.
    public var body: [UInt8]
    /// The status the simulator answered; 0 while the answer is pending and for a dropped connection.
    public var responseStatus: Int
    /// When it arrived, in seconds on the simulator's monotonic clock (the one Kore.ai's limit is counted on).
    public var receivedAt: Double

    /// Creates a call record.
    public init(method: String, path: String, query: String?, headers: [(String, String)], body: [UInt8], responseStatus: Int,
                receivedAt: Double = 0) {
        self.receivedAt = receivedAt
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.responseStatus = responseStatus
    }

    /// The first value of header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercasedASCIIEquals(name) }?.1
    }
}
