import GatewayConfiguration

/// A client's scopes as one bit each, made once per configuration: asking a `Set<Scope>` hashed the scope's name on
/// every request.
struct ScopeSet: Sendable, Equatable {
    private var bits: UInt8 = 0

    init(_ scopes: Set<GatewayConfig.Scope>) {
        for scope in scopes { bits |= Self.bit(scope) }
    }

    func contains(_ scope: GatewayConfig.Scope) -> Bool { bits & Self.bit(scope) != 0 }

    private static func bit(_ scope: GatewayConfig.Scope) -> UInt8 {
        switch scope {
        case .read: return 1
        case .delete: return 2
        case .update: return 4
        case .create: return 8
        case .control: return 16
        }
    }
}
