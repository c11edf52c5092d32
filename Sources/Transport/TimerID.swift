/// Identifies a scheduled timer so it can be cancelled.
public struct TimerID: Sendable, Hashable {
    let value: UInt64
}
