import Synchronization

/// A clock the test moves by hand, for code that takes its time as an injected closure.
public final class ManualClock<Value: Numeric & Sendable>: Sendable {
    private let value: Mutex<Value>

    public init(_ start: Value) { value = Mutex(start) }

    public var now: Value { value.withLock { $0 } }
    public func set(_ newValue: Value) { value.withLock { $0 = newValue } }
    public func advance(_ delta: Value) { value.withLock { $0 += delta } }
    /// The clock as the closure the code under test takes.
    public var closure: @Sendable () -> Value { { self.now } }
}
