import GatewayCrypto
import HTTPServer

/// The `Idempotency-Key` of a write (draft-ietf-httpapi-idempotency-key-header-07): a Structured Field String,
/// `Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324"`, or the same characters unquoted as most APIs accept
/// them. The key itself is 1-255 visible ASCII characters (`!` to `~`); anything else, or the field twice, is 400
/// `invalid_idempotency_key`, never silently ignored (the caller is counting on it).
public struct IdempotencyKey: Sendable, Equatable {
    public let value: String

    public static let fieldName = "Idempotency-Key"
    public static let maxLength = 255

    /// The key of a request, nil when it sent none.
    public static func parse(_ headers: HTTPHeaders) -> Result<IdempotencyKey?, Problem> {
        let values = headers.values(for: fieldName)
        guard let raw = values.first else { return .success(nil) }
        guard values.count == 1 else {
            return .failure(Problem(.invalidIdempotencyKey, "send Idempotency-Key once; this request has it \(values.count) times"))
        }
        let bytes = Array(raw.utf8)
        let key: [UInt8]
        if bytes.first == UInt8(ascii: "\"") {
            guard let unquoted = unquote(bytes) else {
                return .failure(Problem(.invalidIdempotencyKey, "Idempotency-Key is not a well-formed quoted string (a closing \" is missing, or something follows it)"))
            }
            key = unquoted
        } else {
            key = bytes
        }
        guard !key.isEmpty else { return .failure(Problem(.invalidIdempotencyKey, "Idempotency-Key is empty; use 1-\(maxLength) visible ASCII characters, a UUID for instance")) }
        guard key.count <= maxLength else {
            return .failure(Problem(.invalidIdempotencyKey, "Idempotency-Key is \(key.count) characters long; at most \(maxLength) are allowed"))
        }
        guard key.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
            return .failure(Problem(.invalidIdempotencyKey, "Idempotency-Key may hold only visible ASCII characters (! to ~), no spaces or control characters"))
        }
        return .success(IdempotencyKey(value: String(decoding: key, as: UTF8.self)))
    }

    /// The content of an sf-string (RFC 8941 3.3.3): `\"` and `\\` are the only escapes; nil when it does not end
    /// with its closing quote.
    static func unquote(_ bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var index = 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") || bytes[index + 1] == UInt8(ascii: "\\") else { return nil }
                out.append(bytes[index + 1])
                index += 2
            } else if byte == UInt8(ascii: "\"") {
                return index == bytes.count - 1 ? out : nil
            } else {
                out.append(byte)
                index += 1
            }
        }
        return nil
    }
}

/// One write sent with an `Idempotency-Key`: where its record lives and what identifies the request.
public struct IdempotentRequest: Sendable, Equatable {
    public let key: IdempotencyKey
    /// The record's name in a store: SHA-256 of the calling client, the tenant and the key, in hex. A key is
    /// scoped to one client and one tenant: another app's identical key is another record.
    public let storeKey: String
    /// SHA-256 of the method, the path, the tenant and the body: the same key with another request is refused.
    public let fingerprint: [UInt8]

    public init(key: IdempotencyKey, client: String, tenant: String, method: String, path: String, body: [UInt8]) {
        self.key = key
        storeKey = Hex.encode(SHA256.hash(Self.joined([client, tenant, key.value].map { Array($0.utf8) })))
        fingerprint = SHA256.hash(Self.joined([Array(method.utf8), Array(path.utf8), Array(tenant.utf8), body]))
    }

    /// Each part with its length in front, so no two different lists give the same bytes.
    static func joined(_ parts: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for part in parts {
            out.append(contentsOf: String(part.count).utf8)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: part)
        }
        return out
    }
}
