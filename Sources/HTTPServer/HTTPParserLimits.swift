/// The size limits the request parser enforces. Defaults match `HTTPServerConfiguration`.
public struct HTTPParserLimits: Sendable, Equatable {
    /// Request line bytes, CRLF excluded; over it: 414.
    public var maxRequestLineBytes: Int
    /// Header section bytes (field lines with their CRLF); over it: 431. Trailers of a chunked body get the same budget.
    public var maxHeaderBytes: Int
    /// Header fields; over it: 431.
    public var maxHeaderCount: Int
    /// Decoded body bytes; over it: 413.
    public var maxBodyBytes: Int

    public init(maxRequestLineBytes: Int = 8192, maxHeaderBytes: Int = 16384, maxHeaderCount: Int = 100,
                maxBodyBytes: Int = 1_048_576) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }
}
