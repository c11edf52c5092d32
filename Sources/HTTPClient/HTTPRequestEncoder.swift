import HTTPCore

/// Serialises a request into the one buffer that is written: request line, `Host`, the caller's fields, the
/// client's framing fields, body.
enum HTTPRequestEncoder {
    /// Fields the client writes itself; a caller's copy is dropped.
    private static func isReserved(_ name: String) -> Bool {
        switch name.lowercased() {
        case "host", "content-length", "transfer-encoding", "connection", "accept-encoding", "te", "upgrade",
             "proxy-connection", "keep-alive":
            return true
        default:
            return false
        }
    }

    /// nil when the target is not writable, a header name is not a token or a value holds CR, LF or another control
    /// byte: such a request is never written (it could split into two requests on the wire).
    static func encode(_ request: HTTPClientRequest) -> [UInt8]? {
        guard !request.method.isEmpty, request.method.utf8.allSatisfy(HTTPByteClass.isToken), request.target.isWritable else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(256 + (request.body?.count ?? 0))
        out.append(contentsOf: request.method.utf8)
        out.append(HTTPByteClass.space)
        out.append(contentsOf: request.target.pathAndQuery.utf8)
        out.append(contentsOf: " HTTP/1.1\r\nHost: ".utf8)
        out.append(contentsOf: request.target.hostHeader.utf8)
        out.append(contentsOf: "\r\n".utf8)
        for (name, value) in request.headers where !isReserved(name) {
            guard !name.isEmpty, name.utf8.allSatisfy(HTTPByteClass.isToken),
                  value.utf8.allSatisfy(HTTPByteClass.isFieldValue) else { return nil }
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        // Never a compressed answer: the client does not decompress, and refuses one that comes anyway.
        out.append(contentsOf: "Accept-Encoding: identity\r\n".utf8)
        if let body = request.body {
            out.append(contentsOf: "Content-Length: \(body.count)\r\n\r\n".utf8)
            out.append(contentsOf: body)
        } else {
            if request.method == "POST" || request.method == "PUT" || request.method == "PATCH" {
                out.append(contentsOf: "Content-Length: 0\r\n".utf8)
            }
            out.append(contentsOf: "\r\n".utf8)
        }
        return out
    }

    /// `CONNECT host:port HTTP/1.1` for a tunnel through an egress proxy, with the proxy's credentials if any.
    static func connect(_ target: HTTPRequestTarget, credentials: ProxyCredentials?) -> [UInt8] {
        let authority = target.authorityWithPort
        let authorization = credentials.map { "Proxy-Authorization: \($0.basicAuthorization)\r\n" } ?? ""
        return Array("CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n\(authorization)\r\n".utf8)
    }
}
