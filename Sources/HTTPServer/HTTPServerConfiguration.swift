/// Limits and timeouts of an `HTTPServer`. Every knob states its default.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind, numeric IPv4/IPv6 or `localhost`. Default `127.0.0.1`.
    public var host: String
    /// Port to bind; 0 picks an ephemeral port (returned by `start()`). Default 8080.
    public var port: Int
    /// Longest request line (method, target, version) in bytes; longer is 414. Default 8192.
    public var maxRequestLineBytes: Int
    /// Largest header section in bytes (each field line plus CRLF); larger is 431. Default 16384.
    public var maxHeaderBytes: Int
    /// Most header fields; more is 431. Default 100.
    public var maxHeaderCount: Int
    /// Largest request body, declared by Content-Length or accumulated from chunks; larger is 413. Default 1 MiB.
    public var maxBodyBytes: Int
    /// Time allowed from a request's first byte to the end of its header section; then 408 and close.
    /// Measured from the first byte, so trickling bytes cannot extend it. Default 10 s.
    public var headerTimeoutSeconds: Double
    /// Time allowed from the end of the header section to the end of the body; then 408 and close. Default 30 s.
    public var bodyTimeoutSeconds: Double
    /// Keep-alive idle time between requests (and the longest a response write may stall); then a silent close.
    /// Default 60 s.
    public var idleTimeoutSeconds: Double
    /// Most open connections. Connections beyond it are accepted, answered 503 with `Connection: close`, and closed.
    /// Default 10 000.
    public var maxConnections: Int
    /// Event-loop threads. The listener lives on the first; accepted connections are spread round-robin. Default 1.
    public var eventLoopCount: Int
    /// Run handlers with their event loop as task executor preference instead of on Swift's global pool. Saves the
    /// pool wake-up per request; only for handlers that never block and do little CPU work per await, since the loop
    /// serves all its connections meanwhile. The handler then starts at once, within the read that completed its
    /// request, and runs until it first suspends. Not part of `init` (kept identical for callers). Default false.
    public var runsHandlersOnEventLoop: Bool = false

    public init(host: String = "127.0.0.1", port: Int = 8080, maxRequestLineBytes: Int = 8192,
                maxHeaderBytes: Int = 16384, maxHeaderCount: Int = 100, maxBodyBytes: Int = 1_048_576,
                headerTimeoutSeconds: Double = 10, bodyTimeoutSeconds: Double = 30, idleTimeoutSeconds: Double = 60,
                maxConnections: Int = 10_000, eventLoopCount: Int = 1) {
        self.host = host
        self.port = port
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.headerTimeoutSeconds = headerTimeoutSeconds
        self.bodyTimeoutSeconds = bodyTimeoutSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxConnections = maxConnections
        self.eventLoopCount = eventLoopCount
    }

    /// The parser's share of the configuration.
    public var parserLimits: HTTPParserLimits {
        HTTPParserLimits(maxRequestLineBytes: maxRequestLineBytes, maxHeaderBytes: maxHeaderBytes,
                         maxHeaderCount: maxHeaderCount, maxBodyBytes: maxBodyBytes)
    }
}
