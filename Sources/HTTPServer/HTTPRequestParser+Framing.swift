import HTTPCore
/// Message framing decided at the end of the header section (RFC 9112 6.3), where request smuggling is defeated.
extension HTTPRequestParser {
    mutating func finishHead() -> Result<HTTPRequestHead, HTTPRejection> {
        guard let requestLine = pendingRequestLine else { return .failure(.badRequest("Missing request line.")) }
        var hostCount = 0
        var contentLength: Int?
        var contentLengthCount = 0
        var transferCodingCount = 0
        var emptyTransferCoding = false
        var onlyCodingIsChunked = false
        var sawTransferEncoding = false
        var connectionClose = false
        var connectionKeepAlive = false
        var expectsContinue = false

        for field in fields {
            let name = field.name
            // The length picks the one name a field can be, so most fields are never compared at all.
            let length = name.utf8.count
            if length == 4 && name.lowercasedASCIIEquals("host") {
                hostCount += 1
                guard HTTPHostField.isValid(field.value) else { return .failure(.badRequest("Invalid Host header.")) }
            } else if length == 14 && name.lowercasedASCIIEquals("content-length") {
                contentLengthCount += 1
                // RFC 9110 8.6: a list of identical values may be accepted; strictness (llhttp) says reject any repeat.
                guard contentLengthCount == 1 else { return .failure(.badRequest("Duplicate Content-Length.")) }
                guard let value = Self.parseContentLength(field.value) else {
                    return .failure(.badRequest("Invalid Content-Length."))
                }
                contentLength = value
            } else if length == 17 && name.lowercasedASCIIEquals("transfer-encoding") {
                sawTransferEncoding = true
                HTTPFieldList.forEachElement(field.value) { coding in
                    transferCodingCount += 1
                    if coding.isEmpty { emptyTransferCoding = true }
                    onlyCodingIsChunked = transferCodingCount == 1 && HTTPByteClass.equalsLowercase(coding, "chunked")
                    return true
                }
            } else if length == 10 && name.lowercasedASCIIEquals("connection") {
                HTTPFieldList.forEachElement(field.value) { option in
                    if HTTPByteClass.equalsLowercase(option, "close") { connectionClose = true }
                    if HTTPByteClass.equalsLowercase(option, "keep-alive") { connectionKeepAlive = true }
                    return true
                }
            } else if length == 6 && name.lowercasedASCIIEquals("expect") {
                if String(Self.trimOWS(Substring(field.value))).lowercasedASCIIEquals("100-continue") {
                    expectsContinue = true
                }
            }
        }

        // RFC 9112 3.2: a 1.1 request carries exactly one Host; more than one is never acceptable.
        if hostCount > 1 { return .failure(.badRequest("Duplicate Host header.")) }
        if hostCount == 0 && requestLine.minor >= 1 { return .failure(.badRequest("Missing Host header.")) }

        let framing: HTTPBodyFraming
        if sawTransferEncoding {
            // RFC 9112 6.1: Content-Length with Transfer-Encoding is how requests are smuggled; refuse outright.
            if contentLengthCount > 0 {
                return .failure(.badRequest("Content-Length and Transfer-Encoding together."))
            }
            // RFC 9112 6.1: Transfer-Encoding in a 1.0 request means faulty framing.
            if requestLine.minor == 0 { return .failure(.badRequest("Transfer-Encoding in an HTTP/1.0 request.")) }
            if emptyTransferCoding {
                return .failure(.badRequest("Empty transfer coding."))
            }
            guard transferCodingCount == 1, onlyCodingIsChunked else {
                return .failure(.unsupportedTransferEncoding())
            }
            framing = .chunked
        } else if let contentLength {
            if contentLength > limits.maxBodyBytes { return .failure(.bodyTooLarge(limit: limits.maxBodyBytes)) }
            framing = .contentLength(contentLength)
        } else {
            framing = .none
        }

        let keepAlive = connectionClose ? false : (requestLine.minor >= 1 || connectionKeepAlive)
        let head = HTTPRequestHead(method: requestLine.method, target: requestLine.target, path: requestLine.path,
                                   query: requestLine.query, versionMajor: requestLine.major,
                                   versionMinor: requestLine.minor, headers: HTTPHeaders(fieldList: fields),
                                   framing: framing, expectsContinue: expectsContinue, keepAlive: keepAlive)
        self.head = head
        return .success(head)
    }

    /// 1*DIGIT and nothing else: `+5`, `-5`, `0x10`, `5, 5`, empty and overflow are all invalid.
    static func parseContentLength(_ value: String) -> Int? {
        var result = 0
        var digits = 0
        for b in value.utf8 {
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return nil }
            let (times10, o1) = result.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(b - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            result = sum
            digits += 1
        }
        return digits > 0 ? result : nil
    }

    static func trimOWS(_ s: Substring) -> Substring {
        var view = s
        while let f = view.utf8.first, f == HTTPByteClass.space || f == HTTPByteClass.tab { view = view.dropFirst() }
        while let l = view.utf8.last, l == HTTPByteClass.space || l == HTTPByteClass.tab { view = view.dropLast() }
        return view
    }
}
