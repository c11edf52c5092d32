import GatewayCrypto

/// SMS message text as Kore.ai stores it (Base64 of UTF-8) versus as the gateway shows it (plain text):
/// decoded on reads, encoded again on writes.
enum SMSTextCoding {
    /// The outcome of reading Kore.ai's `message.message`.
    enum Decoded: Equatable {
        /// The plain text to show as `sms.text`.
        case text(String)
        /// The value cannot be shown as text without guessing: `sms.text` is null and the raw value goes to
        /// `extensions` (so it is visible and counted, never silently lost or mangled).
        case undecodable
    }

    /// v2 always sends Base64; v1 usually does, though one of Kore.ai's v1 pages shows plain text. So: the decoded
    /// text when the value is strict standard Base64 of valid UTF-8; otherwise v1 shows the value as is
    /// and v2 reports it undecodable (showing Base64 as if it were the message would be worse: an
    /// edit-and-PUT would encode it twice).
    ///
    /// One spelling quirk is tolerated: Kore.ai's own create-SMS sample percent-encodes the padding (`...Lg%3D%3D`),
    /// so trailing `%3D` is read as `=`.
    static func decode(_ value: String, version: UpstreamVersion) -> Decoded {
        if let text = decodedText(value) { return .text(text) }
        switch version {
        case .v1: return .text(value)
        case .v2: return .undecodable
        }
    }

    /// Plain text to Kore.ai's form, for both versions.
    static func encode(_ text: String) -> String {
        Base64.encode(Array(text.utf8))
    }

    private static func decodedText(_ value: String) -> String? {
        var candidate = Substring(value)
        var padding = 0
        while candidate.hasSuffix("%3D") || candidate.hasSuffix("%3d") {
            candidate = candidate.dropLast(3)
            padding += 1
        }
        let spelled = String(candidate) + String(repeating: "=", count: padding)
        guard let bytes = Base64.decode(spelled) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
