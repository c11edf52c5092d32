/// The rejections the server itself produces, one constructor per cause so codes stay stable.
extension HTTPRejection {
    /// 400: malformed or ambiguous framing (RFC 9112 smuggling defences land here too).
    public static func badRequest(_ detail: String) -> HTTPRejection {
        HTTPRejection(status: 400, code: "bad_request", detail: detail)
    }

    /// 408: the header or body did not arrive within its timeout.
    public static func requestTimeout(_ detail: String) -> HTTPRejection {
        HTTPRejection(status: 408, code: "request_timeout", detail: detail)
    }

    /// 413: declared or accumulated body larger than the limit.
    public static func bodyTooLarge(limit: Int) -> HTTPRejection {
        HTTPRejection(status: 413, code: "body_too_large", detail: "The request body exceeds \(limit) bytes.")
    }

    /// 414: request line longer than the limit.
    public static func uriTooLong(limit: Int) -> HTTPRejection {
        HTTPRejection(status: 414, code: "uri_too_long", detail: "The request line exceeds \(limit) bytes.")
    }

    /// 431: header section too large or too many fields.
    public static func headerTooLarge(_ detail: String) -> HTTPRejection {
        HTTPRejection(status: 431, code: "header_too_large", detail: detail)
    }

    /// 501: a transfer coding other than `chunked`.
    public static func unsupportedTransferEncoding() -> HTTPRejection {
        HTTPRejection(status: 501, code: "unsupported_transfer_encoding",
                      detail: "Only the chunked transfer coding is supported.")
    }

    /// 505: anything but HTTP/1.0 and HTTP/1.1.
    public static func versionNotSupported() -> HTTPRejection {
        HTTPRejection(status: 505, code: "http_version_not_supported", detail: "Only HTTP/1.0 and HTTP/1.1 are supported.")
    }

    /// 503: the connection cap was reached.
    public static func tooManyConnections() -> HTTPRejection {
        HTTPRejection(status: 503, code: "too_many_connections", detail: "The server is at its connection limit; retry later.")
    }
}
