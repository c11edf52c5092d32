import HTTPCore

/// Serialises a request into the one buffer that is written: request line, `Host`, the caller's fields, the
/// client's framing fields, body.
enum HTTPRequestEncoder {
    /// Fields the client writes itself; a caller's copy is dropped. Compared as bytes, ASCII-case-insensitively
    /// (a lowercased copy of every name was a String allocation per header per request).
    static func isReserved(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            switch bytes.count {
            case 2: return HTTPByteClass.equalsLowercase(bytes, "te")
            case 4: return HTTPByteClass.equalsLowercase(bytes, "host")
            case 7: return HTTPByteClass.equalsLowercase(bytes, "upgrade")
            case 10: return HTTPByteClass.equalsLowercase(bytes, "connection") || HTTPByteClass.equalsLowercase(bytes, "keep-alive")
            case 14: return HTTPByteClass.equalsLowercase(bytes, "content-length")
            case 15: return HTTPByteClass.equalsLowercase(bytes, "accept-encoding")
            case 16: return HTTPByteClass.equalsLowercase(bytes, "proxy-connection")
            case 17: return HTTPByteClass.equalsLowercase(bytes, "transfer-encoding")
            default: return false
            }
        }
    }

    /// The decimal digits of `n` (>= 0) without a String in between.
    static func appendDecimal(_ n: Int, to out: inout [UInt8]) {
        var divisor = 1
        while divisor <= n / 10 { divisor *= 10 }  // divisor * 10 <= n: cannot overflow
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8((n / divisor) % 10))
            divisor /= 10
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
            out.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(body.count, to: &out)
            out.append(contentsOf: "\r\n\r\n".utf8)
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
