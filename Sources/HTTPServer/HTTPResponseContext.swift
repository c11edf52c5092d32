/// What the encoder needs to know about the request a response answers.
public struct HTTPResponseContext: Sendable, Equatable {
    /// The request was HEAD: send headers (with the Content-Length the body would have) but no body.
    public var isHEAD: Bool
    /// The connection closes after this response: send `Connection: close`.
    public var close: Bool
    /// An HTTP/1.0 client asked for keep-alive and gets it: confirm with `Connection: keep-alive`.
    public var confirmKeepAlive: Bool

    public init(isHEAD: Bool = false, close: Bool = false, confirmKeepAlive: Bool = false) {
        self.isHEAD = isHEAD
        self.close = close
        self.confirmKeepAlive = confirmKeepAlive
    }
}
