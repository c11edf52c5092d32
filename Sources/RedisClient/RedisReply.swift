/// One RESP2 reply. RESP2's two nils (the null bulk string `$-1` and the null array `*-1`) are both `.null`.
/// An error reply nested in an array (a `MULTI`/`EXEC` result, a script's error table) stays a value here;
/// `RedisClient.send` turns a top-level one into `RedisError.server`.
public enum RedisReply: Sendable, Hashable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    case bulkString([UInt8])
    case null
    indirect case array([RedisReply])

    /// A simple or bulk string as text (bulk bytes decoded as UTF-8, invalid sequences replaced), else nil.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    public var integer: Int64? {
        if case .integer(let value) = self { value } else { nil }
    }

    public var array: [RedisReply]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    public var isNull: Bool {
        if case .null = self { true } else { false }
    }
}
