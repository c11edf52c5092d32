import Synchronization

/// One value a handler keeps for the rest of a connection, handed to it with every request of that connection
/// (`HTTPRequest.connectionMemo`): what the server knows of the connection's past requests is nothing, so a handler
/// that would redo the same work for each of them (hashing the same credential, say) can keep its result here.
///
/// Requests on one connection are handled one after another, never at once, so the lock is never contended; it is
/// there so the memo is plainly `Sendable` whichever thread a handler runs on. The memo dies with the connection.
public final class HTTPConnectionMemo: Sendable {
    private let slot = Mutex<(any Sendable)?>(nil)

    public init() {}

    /// Runs `body` on the kept value (nil until a handler sets one), which `body` may read, replace or clear.
    public func withValue<R>(_ body: (inout (any Sendable)?) -> R) -> R {
        slot.withLock { body(&$0) }
    }
}
