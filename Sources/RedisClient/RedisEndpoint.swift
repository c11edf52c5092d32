/// Where a Redis server is: `redis://host[:port][/db]` or `rediss://...` (TLS). The port defaults to 6379, the
/// database to 0. Credentials are not part of it: a URL ends up in logs and configuration dumps, so the username
/// and password come from their own settings (the password from a secret source), and a URL carrying them is
/// refused.
public struct RedisEndpoint: Sendable, Hashable, CustomStringConvertible {
    public struct URLError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// A DNS name or an IP literal, IPv6 without brackets; lowercased.
    public var host: String
    public var port: Int
    /// The database index sent with `SELECT` after connecting (not sent when 0).
    public var database: Int
    public var usesTLS: Bool

    public static let defaultPort = 6379

    public init(host: String, port: Int = RedisEndpoint.defaultPort, database: Int = 0, usesTLS: Bool = false) {
        self.host = host
        self.port = port
        self.database = database
        self.usesTLS = usesTLS
    }

    public init(url: String) throws(URLError) {
        func refuse(_ why: String) -> URLError {
            URLError(description: "the Redis URL \(Self.quoted(url)) \(why); expected redis://host[:port][/db] or rediss://host[:port][/db]")
        }
        let bytes = Array(url.utf8)
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw refuse("has spaces, control or non-ASCII characters") }
        let lower = bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        var rest: ArraySlice<UInt8>
        if lower.starts(with: Array("rediss://".utf8)) {
            usesTLS = true
            rest = bytes[9...]
        } else if lower.starts(with: Array("redis://".utf8)) {
            usesTLS = false
            rest = bytes[8...]
        } else {
            throw refuse("does not start with redis:// or rediss://")
        }
        guard !rest.contains(UInt8(ascii: "?")), !rest.contains(UInt8(ascii: "#")) else {
            throw refuse("has a query or fragment, which are not read")
        }
        let authorityEnd = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
        let authority = rest[rest.startIndex..<authorityEnd]
        guard !authority.contains(UInt8(ascii: "@")) else {
            throw refuse("carries credentials; set the username and password in their own settings")
        }
        var hostPart: ArraySlice<UInt8>
        var portPart: ArraySlice<UInt8>?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { throw refuse("has an unclosed [") }
            hostPart = authority[(authority.startIndex + 1)..<close]
            let after = authority[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { throw refuse("has something after ] that is not a port") }
                portPart = after.dropFirst()
            }
            guard !hostPart.isEmpty, hostPart.allSatisfy({ Self.isHex($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else {
                throw refuse("has an IPv6 address that is not one")
            }
        } else {
            if let colon = authority.firstIndex(of: UInt8(ascii: ":")) {
                hostPart = authority[authority.startIndex..<colon]
                portPart = authority[(colon + 1)...]
            } else {
                hostPart = authority
            }
            guard hostPart.allSatisfy({ Self.isNameByte($0) }) else { throw refuse("has a host that is not a name or an IP address") }
        }
        guard !hostPart.isEmpty else { throw refuse("has no host") }
        host = String(decoding: hostPart, as: UTF8.self).lowercased()
        port = Self.defaultPort
        if let portPart {
            guard let value = Self.decimal(portPart, maxDigits: 5), (1...65535).contains(value) else {
                throw refuse("has a port that is not 1 to 65535")
            }
            port = value
        }
        database = 0
        let path = rest[authorityEnd...].dropFirst()
        if !path.isEmpty {
            guard let value = Self.decimal(path, maxDigits: 9) else { throw refuse("has a path that is not a database number") }
            database = value
        }
    }

    /// The URL again, for logs: no credentials were ever part of it.
    public var description: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(usesTLS ? "rediss" : "redis")://\(h):\(port)/\(database)"
    }

    /// `host:port`, for error messages.
    public var address: String {
        (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    private static func decimal(_ digits: ArraySlice<UInt8>, maxDigits: Int) -> Int? {
        guard !digits.isEmpty, digits.count <= maxDigits, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 70) || (byte >= 97 && byte <= 102)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
    }

    /// The URL with anything between `://` and `@` hidden, so a refused URL with a password does not print it.
    static func quoted(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://"), let at = url[schemeEnd.upperBound...].firstIndex(of: "@") else {
            return "\"\(url)\""
        }
        return "\"\(url[..<schemeEnd.upperBound])***\(url[at...])\""
    }
}
