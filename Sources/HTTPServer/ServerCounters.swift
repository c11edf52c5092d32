import Synchronization

/// Counters shared by all event loops and read by `HTTPServer`'s public properties.
final class ServerCounters: Sendable {
    let openConnections = Atomic<Int>(0)
    let inFlightRequests = Atomic<Int>(0)
}
