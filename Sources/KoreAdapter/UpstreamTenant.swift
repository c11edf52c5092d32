/// What the adapter needs to know of a tenant to address Kore.ai on its behalf. Credentials are not here: the token
/// is minted elsewhere and handed to `UpstreamScheme.request` ready to use.
public struct UpstreamTenant: Sendable, Equatable {
    /// `http(s)://host[:port][/prefix]`; a trailing slash is tolerated and dropped when URLs are built.
    public var baseURL: String
    public var version: UpstreamVersion
    /// Kore.ai's stream (bot / application) id: the `{streamId}` path segment and the `iid` header.
    public var streamId: String
    /// Kore.ai's account id: the `accountId` header, and in v2 also the `accountId` query parameter.
    public var accountId: String

    public init(baseURL: String, version: UpstreamVersion, streamId: String, accountId: String) {
        self.baseURL = baseURL
        self.version = version
        self.streamId = streamId
        self.accountId = accountId
    }

    /// Reasons this tenant cannot be used safely, for the config loader to report (empty when fine).
    ///
    /// `UpstreamScheme.request` cannot fail, so anything that would let configuration inject into a header or URL
    /// (CR, LF, other control bytes) or address the wrong thing (no scheme, query or fragment in the base URL) has to
    /// be refused when the configuration is loaded. This is where that rule lives.
    public func configurationProblems() -> [String] {
        var problems: [String] = []
        if let problem = Self.baseURLProblem(baseURL) { problems.append("baseURL " + problem) }
        for (name, value) in [("streamId", streamId), ("accountId", accountId)] {
            if value.isEmpty { problems.append("\(name) is empty") }
            if UpstreamTenant.hasControlCharacter(value) { problems.append("\(name) contains a control character") }
        }
        return problems
    }

    /// What is wrong with `url` as a tenant's base URL, or nil: `http(s)://host[:port][/prefix]` with no query,
    /// fragment, credentials, spaces or control bytes. The one rule, used by the loader to name the field.
    public static func baseURLProblem(_ url: String) -> String? {
        let lowered = url.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else { return "must start with https:// or http://" }
        if url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            return "must not contain spaces, control characters, a query or a fragment"
        }
        let rest = url.drop(while: { $0 != "/" }).dropFirst(2)
        if rest.isEmpty || rest.hasPrefix("/") { return "has no host" }
        if rest.prefix(while: { $0 != "/" }).contains("@") { return "must not carry credentials" }
        return nil
    }

    static func hasControlCharacter(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }

    /// The base URL without trailing slashes, ready for a path to be appended.
    var trimmedBaseURL: String {
        var base = Substring(baseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        return String(base)
    }
}
