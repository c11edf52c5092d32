import KoreAdapter

/// What came back from Kore.ai (or a stand-in). Header names are lowercased.
public struct UpstreamResponse: Sendable {
    public var status: Int
    /// Lowercase names; the HTTP transport carries only the fields the gateway reads (`EventLoopHTTPTransport.readFields`).
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Why no HTTP response came back. The distinction decides retries: only a request that certainly did not arrive may be sent again.
public enum UpstreamTransportError: Error, Sendable, Equatable {
    /// The deadline passed with no complete answer.
    case timeout
    /// The request certainly did not reach Kore.ai's application (refused, DNS, TLS): safe to retry.
    case unavailable(String)
    /// The egress proxy could not be reached or refused the tunnel itself: nothing reached Kore.ai, and nothing is
    /// known of Kore.ai's health. Safe to retry.
    case proxyFailed(String)
    /// The connection broke after the request may have been sent: never retried for writes.
    case connectionLost(String)
    /// The answer exceeded the transport's size limit (a campaign is a few KB; megabytes mean something is wrong).
    case responseTooLarge(Int)
    /// The answer was not HTTP the gateway reads: malformed, a head over 64 KiB, a `Content-Encoding` other than
    /// identity. The request may have been acted on.
    case badResponse(String)
}

/// The seam between the gateway and the network: `EventLoopHTTPTransport` in production, stand-ins in tests.
public protocol UpstreamTransport: Sendable {
    /// `nonisolated(nonsending)`: runs on the caller's executor (the request's loop), no switch per call.
    nonisolated(nonsending) func send(_ request: UpstreamRequest, timeoutSeconds: Double) async -> Result<UpstreamResponse, UpstreamTransportError>
}
