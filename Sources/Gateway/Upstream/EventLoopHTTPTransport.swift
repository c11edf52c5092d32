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
    /// per call. Bounded, though tenants are few: beyond the cap an origin is parsed every time. The origin used last
    /// is compared before the table is hashed into (usually the very string storage the last call carried).
    private let origins = Mutex<(table: [String: HTTPRequestTarget], last: (origin: String, target: HTTPRequestTarget)?)>(([:], nil))
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
            // Eight bytes at a time (a byte-by-byte loop was most of this function's cost).
            return HTTPRequestTarget.isVisibleASCIIWithoutHash(bytes)
        }
        guard valid else { return nil }
        let origin = request.origin
        var target: HTTPRequestTarget
        let known = origins.withLock { state -> HTTPRequestTarget? in
            if let last = state.last, last.origin == origin { return last.target }
            guard let found = state.table[origin] else { return nil }
            state.last = (origin, found)
            return found
        }
        if let known {
            target = known
        } else {
            guard let parsed = HTTPRequestTarget(absoluteURL: origin) else { return nil }
            origins.withLock { state in
                if state.table.count < Self.maxCachedOrigins { state.table[origin] = parsed }
                state.last = (origin, parsed)
            }
            target = parsed
        }
        target.pathAndQuery = pathAndQuery.utf8.first == UInt8(ascii: "?") ? "/" + pathAndQuery
            : pathAndQuery.isEmpty ? "/" : pathAndQuery
        return target
    }

    /// What the client is given for `request` (its fields passed on as they are); nil when its URL is not a valid
    /// http(s) URL.
    func outgoing(_ request: UpstreamRequest) -> HTTPClientRequest? {
        guard let target = target(of: request) else { return nil }
        return HTTPClientRequest(method: request.method, target: target, fields: request.fields, body: request.body)
    }

    nonisolated(nonsending) public func send(_ request: UpstreamRequest, timeoutSeconds: Double) async -> Result<UpstreamResponse, UpstreamTransportError> {
        guard let outgoing = outgoing(request) else {
            return .failure(.unavailable("the upstream URL is not a valid http(s) URL"))
        }
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
