import Synchronization

/// One value a handler keeps for the rest of a connection, handed to it with every request of that connection
/// (`HTTPRequest.connectionMemo`): what the server knows of the connection's past requests is nothing, so a handler
/// that would redo the same work for each of them (hashing the same credential, say) can keep its result here.
///
/// Requests on one connection are handled one after another, never at once, so the lock is never contended; it is
/// there so the memo is plainly `Sendable` whichever thread a handler runs on. The memo dies with the connection.
///
/// The value is an object, read through the type the handler keeps: asking whether an object is of a given class
/// is a pointer comparison, where a value kept as `any Sendable` cost a dynamic cast of the existential (and a copy
/// of what it held) on every request.
public final class HTTPConnectionMemo: Sendable {
    private let slot = Mutex<(any AnyObject & Sendable)?>(nil)

    public init() {}

    /// Runs `body` on the kept value when it is a `Kept` (nil until a handler sets one, or when another type is
    /// kept); `body` may read, replace or clear it. Replaced only when `body` leaves another object (or none).
    public func withValue<Kept: AnyObject & Sendable, R>(as _: Kept.Type, _ body: (inout Kept?) -> R) -> R {
        slot.withLock { kept in
            let before = kept as? Kept
            var value = before
            let result = body(&value)
            if value !== before { kept = value }
            return result
        }
    }
}
