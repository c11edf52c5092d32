/// Carries a loop-confined object through a `@Sendable` closure back to its loop.
///
/// `@unchecked Sendable`: only ever created and unwrapped on the loop thread that owns `value`; the closure in
/// between merely holds it.
public struct LoopBound<T: AnyObject>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
}
