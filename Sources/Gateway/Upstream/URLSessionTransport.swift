import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KoreAdapter
import Synchronization

/// Sends upstream requests with URLSession (libcurl on Linux). Redirects are refused: following one could carry the
/// `auth` token to another host.
public final class URLSessionTransport: UpstreamTransport {
    private let session: URLSession
    /// Larger answers are refused before anything parses them. Default 4 MiB (Kore.ai's campaign bodies are ~2 KB).
    public let maxResponseBytes: Int

    public init(maxConnectionsPerHost: Int = 64, maxResponseBytes: Int = 4 << 20) {
        self.maxResponseBytes = maxResponseBytes
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maxConnectionsPerHost
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration, delegate: RedirectRefuser(), delegateQueue: nil)
    }

    deinit { session.invalidateAndCancel() }

    public func send(_ request: UpstreamRequest, timeoutSeconds: Double) async -> Result<UpstreamResponse, UpstreamTransportError> {
        guard let url = URL(string: request.url) else { return .failure(.unavailable("invalid upstream URL")) }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeoutSeconds)
        urlRequest.httpMethod = request.method
        for header in request.headers { urlRequest.setValue(header.value, forHTTPHeaderField: header.name) }
        if let body = request.body { urlRequest.httpBody = Data(body) }
        // No compressed answers: a small gzip bomb would otherwise inflate past the size limit inside libcurl.
        urlRequest.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        let limit = maxResponseBytes

        let once = Mutex<CheckedContinuation<Result<UpstreamResponse, UpstreamTransportError>, Never>?>(nil)
        let timedOut = Atomic<Bool>(false)
        return await withCheckedContinuation { continuation in
            once.withLock { $0 = continuation }
            @Sendable func finish(_ result: Result<UpstreamResponse, UpstreamTransportError>) {
                once.withLock { pending in
                    pending?.resume(returning: result)
                    pending = nil
                }
            }
            let task = session.dataTask(with: urlRequest) { data, response, error in
                if timedOut.load(ordering: .acquiring) { return finish(.failure(.timeout)) }
                if let error { return finish(.failure(Self.classify(error))) }
                guard let http = response as? HTTPURLResponse else {
                    return finish(.failure(.connectionLost("no HTTP response")))
                }
                if let data, data.count > limit { return finish(.failure(.responseTooLarge(data.count))) }
                var headers: [String: String] = [:]
                for (key, value) in http.allHeaderFields {
                    if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
                }
                finish(.success(UpstreamResponse(status: http.statusCode, headers: headers, body: data.map { [UInt8]($0) } ?? [])))
            }
            // URLSession's timeout is an idle timeout; the deadline here bounds the whole exchange.
            DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds) {
                timedOut.store(true, ordering: .releasing)
                task.cancel()
                finish(.failure(.timeout))
            }
            task.resume()
        }
    }

    static func classify(_ error: Error) -> UpstreamTransportError {
        guard let urlError = error as? URLError else { return .connectionLost("\(type(of: error))") }
        switch urlError.code {
        case .timedOut:
            return .timeout
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet,
             .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
             .clientCertificateRequired, .cannotLoadFromNetwork, .unsupportedURL, .badURL:
            return .unavailable("URLError \(urlError.code.rawValue)")
        default:
            return .connectionLost("URLError \(urlError.code.rawValue)")
        }
    }
}

/// Refuses every redirect (the completion handler then sees the 3xx itself).
private final class RedirectRefuser: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
