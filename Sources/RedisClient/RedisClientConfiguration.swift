extension RedisClient {
    /// How to reach one Redis server and how long to wait for it. `description` never shows the password.
    public struct Configuration: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
        public var endpoint: RedisEndpoint
        /// The ACL user for `AUTH username password`; without it `AUTH password` authenticates as `default`.
        /// Only used together with `password`.
        public var username: String?
        /// Sent with `AUTH` after every connect (before any command); nil: no `AUTH`.
        public var password: String?
        /// PEM bundle replacing the system trust store for `rediss://`.
        public var caFile: String?
        /// A command's whole time, from the call to its reply, connecting included when it has to wait for one.
        public var commandTimeoutSeconds: Double
        /// Resolving, connecting, the TLS handshake and the `AUTH`/`SELECT` replies together.
        public var connectTimeoutSeconds: Double = 2
        public var reconnect = ReconnectBackoff.Policy()
        public var limits = RedisReplyParser.Limits()
        /// Commands waiting or in flight on one loop's connection; beyond, a command fails at once as unavailable.
        public var maxQueuedCommandsPerLoop = 10_000

        public init(endpoint: RedisEndpoint, username: String? = nil, password: String? = nil, caFile: String? = nil,
                    commandTimeoutSeconds: Double = 1) {
            self.endpoint = endpoint
            self.username = username
            self.password = password
            self.caFile = caFile
            self.commandTimeoutSeconds = commandTimeoutSeconds
        }

        /// `url`: `redis://host[:port][/db]` or `rediss://...`, see `RedisEndpoint`.
        public init(url: String, username: String? = nil, password: String? = nil, caFile: String? = nil,
                    commandTimeoutSeconds: Double = 1) throws(RedisEndpoint.URLError) {
            self.init(endpoint: try RedisEndpoint(url: url), username: username, password: password, caFile: caFile,
                      commandTimeoutSeconds: commandTimeoutSeconds)
        }

        public var description: String {
            var parts = ["\(endpoint)"]
            if let username { parts.append("username \(username)") }
            if password != nil { parts.append("password set") }
            if let caFile { parts.append("caFile \(caFile)") }
            parts.append("timeout \(commandTimeoutSeconds) s")
            return parts.joined(separator: ", ")
        }

        public var debugDescription: String { description }

        /// What is sent on every new connection before any command: `AUTH`, then `SELECT` when the database is not 0.
        var handshake: (bytes: [UInt8], replies: Int, authenticates: Bool) {
            var bytes: [UInt8] = []
            var replies = 0
            if let password {
                var command: [RedisArgument] = ["AUTH"]
                if let username { command.append(RedisArgument(username)) }
                command.append(RedisArgument(password))
                RedisCommandEncoder.append(command, to: &bytes)
                replies += 1
            }
            if endpoint.database != 0 {
                RedisCommandEncoder.append(["SELECT", RedisArgument(endpoint.database)], to: &bytes)
                replies += 1
            }
            return (bytes, replies, password != nil)
        }
    }
}
