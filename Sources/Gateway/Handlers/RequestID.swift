import GatewayCrypto
import HTTPServer

/// `X-Request-Id`: the caller's when it is sane (1-128 of `[A-Za-z0-9._:-]`), else a new random one.
public enum RequestID {
    public static func from(_ headers: HTTPHeaders) -> String {
        if let given = headers["X-Request-Id"], isSane(given) { return given }
        return SecureRandom.hexString(byteCount: 12)
    }

    public static func isSane(_ value: String) -> Bool {
        let bytes = value.utf8
        guard (1...128).contains(bytes.count) else { return false }
        return bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b == UInt8(ascii: "-")
        }
    }
}
