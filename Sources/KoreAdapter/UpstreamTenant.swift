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
        let lowered = baseURL.lowercased()
        if !(lowered.hasPrefix("https://") || lowered.hasPrefix("http://")) {
            problems.append("baseURL must start with https:// or http://")
        } else {
            let afterScheme = baseURL.drop(while: { $0 != ":" }).dropFirst(3)
            if afterScheme.isEmpty || afterScheme.hasPrefix("/") { problems.append("baseURL has no host") }
        }
        if baseURL.contains(where: { $0 == "?" || $0 == "#" || $0 == " " }) {
            problems.append("baseURL must not contain a query, fragment or space")
        }
        if UpstreamTenant.hasControlCharacter(baseURL) { problems.append("baseURL contains a control character") }
        for (name, value) in [("streamId", streamId), ("accountId", accountId)] {
            if value.isEmpty { problems.append("\(name) is empty") }
            if UpstreamTenant.hasControlCharacter(value) { problems.append("\(name) contains a control character") }
        }
        return problems
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
