import GatewayConfiguration
import HTTPClient
import KoreAdapter
import Synchronization

/// The gateway's upstream transport: the project's HTTP/1.1 client, on the event loop the request's handler runs
/// on. Redirects are never followed (the 3xx comes back as it is): following one could carry the `auth` token to
/// another host.
public final class EventLoopHTTPTransport: UpstreamTransport {
    public let client: HTTPClient

    public init(client: HTTPClient) {
        self.client = client
    }

    /// A client configured from the `upstream` section (the CA file, the body cap) and the proxy settings
    /// `EgressProxy.settings` made of it and the environment.
    public convenience init(upstream: GatewayConfig.Upstream, proxy: ProxySettings) {
        var configuration = HTTPClient.Configuration()
        configuration.caFile = upstream.caFile
        configuration.limits.maxBodyBytes = upstream.maxResponseBytes
        configuration.proxy = proxy
        self.init(client: HTTPClient(configuration: configuration))
    }

    /// Each tenant's origin parsed once: requests carry the tenant's one origin string, so the URL is not read again
    /// per call. Bounded, though tenants are few: beyond the cap an origin is parsed every time.
    private let origins = Mutex<[String: HTTPRequestTarget]>([:])
    private static let maxCachedOrigins = 256
    /// The upstream's fields the gateway reads (lowercase): `retry-after`, for pacing and for 429 and 503 answers.
    /// Others are not carried into `UpstreamResponse` (an answer without them makes no table at all).
    static let readFields = ["retry-after"]

    /// Where `request` goes; nil when its URL is not a valid http(s) URL (the same verdict as parsing it whole).
    func target(of request: UpstreamRequest) -> HTTPRequestTarget? {
        var pathAndQuery = request.pathAndQuery
        let valid = pathAndQuery.withUTF8 { bytes in
            guard let first = bytes.first else { return true }
            guard first == UInt8(ascii: "/") || first == UInt8(ascii: "?") else { return false }
            for b in bytes where !(b > 0x20 && b < 0x7F && b != UInt8(ascii: "#")) { return false }
            return true
        }
        guard valid else { return nil }
        var target: HTTPRequestTarget
        if let known = origins.withLock({ $0[request.origin] }) {
            target = known
        } else {
            guard let parsed = HTTPRequestTarget(absoluteURL: request.origin) else { return nil }
            origins.withLock { if $0.count < Self.maxCachedOrigins { $0[request.origin] = parsed } }
            target = parsed
        }
        target.pathAndQuery = pathAndQuery.utf8.first == UInt8(ascii: "?") ? "/" + pathAndQuery
            : pathAndQuery.isEmpty ? "/" : pathAndQuery
        return target
    }

    nonisolated(nonsending) public func send(_ request: UpstreamRequest, timeoutSeconds: Double) async -> Result<UpstreamResponse, UpstreamTransportError> {
        guard let target = target(of: request) else {
            return .failure(.unavailable("the upstream URL is not a valid http(s) URL"))
        }
        let outgoing = HTTPClientRequest(method: request.method, target: target, headers: request.headers, body: request.body)
        switch await client.execute(outgoing, timeoutSeconds: timeoutSeconds) {
        case .success(let response):
            // Only the fields the gateway reads become Strings (a String per name and value of every field, `date`
            // and `server` included, was most of the client's cost per answer); the first of repeated fields wins.
            var headers: [String: String] = [:]
            for name in Self.readFields {
                if let value = response.header(name) { headers[name] = value }
            }
            return .success(UpstreamResponse(status: response.status, headers: headers, body: response.body))
        case .failure(let error):
            switch error {
            case .timeout: return .failure(.timeout)
            case .unavailable(let detail): return .failure(.unavailable(detail))
            case .proxyFailed(let detail): return .failure(.proxyFailed(detail))
            case .connectionLost(let detail): return .failure(.connectionLost(detail))
            case .responseTooLarge(let size): return .failure(.responseTooLarge(size))
            case .badResponse(let detail): return .failure(.badResponse(detail))
            }
        }
    }
}
