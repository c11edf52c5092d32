import GatewayCrypto
import HTTPServer
import JSONCore

/// The answer a write with an `Idempotency-Key` gave, as it is replayed: its status, the headers a caller needs,
/// and its body. `encoded()` and `decode(_:)` are its form in a shared store; a decoded record is checked like any
/// input (a store can hold anything), so a broken one is refused rather than replayed.
public struct StoredAnswer: Sendable, Equatable {
    public var status: Int
    public var headers: [Header]
    public var body: [UInt8]

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The response fields a replay carries. The rest is either the replay's own (`X-Request-Id`, `Date`,
    /// `Content-Length`) or stale by then (`RateLimit`, `RateLimit-Policy`).
    public static let keptFields: Set<String> = ["content-type", "cache-control", "location", "etag", "retry-after", "x-upstream-version"]

    public init(status: Int, headers: [Header], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The answer of `response`, with only the fields worth replaying.
    public init(_ response: HTTPResponse) {
        status = response.status
        headers = response.headers.fields.filter { Self.keptFields.contains($0.name.lowercased()) }
            .map { Header(name: $0.name, value: $0.value) }
        body = response.body
    }

    /// The replay: the stored answer, marked `Idempotent-Replayed: true`.
    public var replay: HTTPResponse {
        var fields = HTTPHeaders()
        for header in headers { fields.add(header.name, header.value) }
        fields.replace("Idempotent-Replayed", "true")
        return HTTPResponse(status: status, headers: fields, body: body)
    }

    /// What the record costs to keep, roughly: the body, the fields and a fixed overhead.
    public var byteCount: Int {
        headers.reduce(body.count + 128) { $0 + $1.name.utf8.count + $1.value.utf8.count + 16 }
    }

    /// `{"status":201,"headers":[["Location","/campaigns/voice/cd-1"]],"body":"<Base64>"}`.
    public func encoded() -> [UInt8] {
        JSONWriter.write(.object([
            "status": .int(status),
            "headers": .array(headers.map { .array([.string($0.name), .string($0.value)]) }),
            "body": .string(Base64.encode(body)),
        ]))
    }

    /// The answer in `bytes`, or nil when they are not a well-formed record (not JSON, a status outside 100-599, a
    /// field name that is not a token, a value with a control character, a body that is not Base64).
    public static func decode(_ bytes: [UInt8]) -> StoredAnswer? {
        guard case .object(let object)? = try? JSONReader.parse(bytes),
              let status = object["status"]?.intValue, (100...599).contains(status),
              case .array(let pairs)? = object["headers"], pairs.count <= 64,
              let bodyText = object["body"]?.stringValue, let body = Base64.decode(bodyText) else { return nil }
        var headers: [Header] = []
        for pair in pairs {
            guard case .array(let parts) = pair, parts.count == 2, let name = parts[0].stringValue, let value = parts[1].stringValue,
                  !name.isEmpty, name.utf8.allSatisfy(Self.isTokenByte), value.utf8.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) })
            else { return nil }
            headers.append(Header(name: name, value: value))
        }
        return StoredAnswer(status: status, headers: headers, body: body)
    }

    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
