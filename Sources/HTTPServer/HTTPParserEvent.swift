/// What one `HTTPRequestParser.parse` step produced.
public enum HTTPParserEvent: Sendable {
    /// All given bytes were consumed and more are needed.
    case needMore
    /// The request line and header section are complete; the body (if any) follows.
    case head(HTTPRequestHead)
    /// A whole request, body decoded. The parser is ready for the next request.
    case request(HTTPRequest)
    /// The request is invalid; the parser stays failed and the connection must close after answering.
    case rejected(HTTPRejection)
}
