import TextCoding

/// A Kore.ai campaign id taken from the gateway's path (`/campaigns/{type}/{id}`).
///
/// The raw path segment is percent-decoded first and the result must match `^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$`
///. Validating the *decoded* bytes is what makes the id inert: `/`, `.`, `?`, `#`, `%`, spaces and
/// control bytes can never survive, whether they arrive raw or as `%2F`, `%00` and the like, so an id spliced into
/// an upstream URL cannot change its path or query. Ids are deliberately not UUIDs: Kore.ai's samples have a 7-digit
/// first group (`cd-2129073-...`).
public struct CampaignID: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The decoded id; safe to place in a URL path without further escaping.
    public let value: String

    /// The longest id accepted (the pattern's 1 + 127 characters).
    public static let maxLength = 128

    /// Parses a raw (still percent-encoded) path segment; nil when it is not a well-formed id after decoding.
    public init?(pathSegment raw: String) {
        guard let decoded = PercentDecoding.decode(raw.utf8), CampaignID.isWellFormed(decoded) else {
            return nil
        }
        // All bytes are ASCII here, so this decoding is exact.
        self.value = String(decoding: decoded, as: UTF8.self)
    }

    /// The same, from the raw segment's bytes (the router reads the path in place). A segment without `%` is its
    /// own decoding: checked and made a String in one pass, without the decoder's array.
    public init?(pathSegment raw: UnsafeRawBufferPointer) {
        switch Self.plainSegment(raw) {
        case .wellFormed:
            self.value = String(decoding: raw, as: UTF8.self)
        case .malformed:
            return nil
        case .escaped:
            guard let decoded = PercentDecoding.decode(raw), CampaignID.isWellFormed(decoded) else {
                return nil
            }
            self.value = String(decoding: decoded, as: UTF8.self)
        }
    }

    enum PlainSegment: Equatable {
        case wellFormed
        case malformed
        /// Holds a `%`: only its decoding can say.
        case escaped
    }

    /// What a raw segment is without decoding it. A byte outside `A-Za-z0-9_-%` is in the decoding too (decoding
    /// only replaces `%XX` triples, whose digits are alphanumeric), so it refuses the segment whatever else it holds;
    /// so does a first byte that is neither alphanumeric nor `%`, which stays the decoding's first.
    static func plainSegment(_ raw: UnsafeRawBufferPointer) -> PlainSegment {
        guard let first = raw.first else { return .malformed }
        var escaped = first == UInt8(ascii: "%")
        guard escaped || isAlphanumeric(first) else { return .malformed }
        // The rest by iteration (no bounds check a byte) and arithmetic classes (no jump table).
        for b in UnsafeRawBufferPointer(rebasing: raw[1...]) {
            let letter = (b | 0x20) &- UInt8(ascii: "a") < 26
            let digit = b &- UInt8(ascii: "0") < 10
            if letter || digit || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") { continue }
            guard b == UInt8(ascii: "%") else { return .malformed }
            escaped = true
        }
        if escaped { return .escaped }
        return raw.count <= maxLength ? .wellFormed : .malformed
    }

    public var description: String { value }

    /// `^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$` on bytes, without a regex engine.
    static func isWellFormed(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, bytes.count <= maxLength, isAlphanumeric(first) else { return false }
        return bytes.dropFirst().allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    @inline(__always)
    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return false
        }
    }
}
