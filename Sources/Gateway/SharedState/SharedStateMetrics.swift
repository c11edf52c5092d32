import Synchronization

/// The shared state's two series on `/metrics`, owned by the `GatewayObserver` so that they outlive a reload that
/// replaces the `SharedStateLink` (the counter stays monotonic):
///
/// - `campaign_gateway_shared_state_up`: 1 while the shared stores use Redis, 0 while they use their fallbacks.
/// - `campaign_gateway_shared_state_fallback_total`: pacing decisions made by the fallback window instead of Redis.
///   (Idempotent writes refused while Redis is down are counted as `problems_total{code="idempotency_unavailable"}`.)
///
/// Without a `redis` block neither is emitted: there is no shared state to be up or down, and a constant 1 or 0
/// would make an alert on it either lie or fire. A process that has a `SharedStateLink` emits both, from its start.
public final class SharedStateMetrics: Sendable {
    /// -1 while no link is attached; else 1 (up, or not yet heard from: decisions still go to Redis) or 0.
    private let up = Atomic<Int>(-1)
    private let fallbackDecisions = Atomic<Int>(0)

    public init() {}

    /// A link now reports here (its current state).
    func attach(up isUp: Bool) { up.store(isUp ? 1 : 0, ordering: .relaxed) }

    /// No shared state any more (a reload removed the `redis` block): the series are no longer emitted.
    public func detach() { up.store(-1, ordering: .relaxed) }

    func set(up isUp: Bool) { up.store(isUp ? 1 : 0, ordering: .relaxed) }

    func countFallbackDecision() { fallbackDecisions.add(1, ordering: .relaxed) }

    /// 1 or 0, nil when no link reports here.
    public var upValue: Int? {
        let value = up.load(ordering: .relaxed)
        return value < 0 ? nil : value
    }

    public var fallbackDecisionCount: Int { fallbackDecisions.load(ordering: .relaxed) }

    func render(into lines: inout [String]) {
        guard let upValue else { return }
        lines.append("# HELP campaign_gateway_shared_state_up 1 while pacing and Idempotency-Key records are shared through Redis, 0 while this process uses its fallback.")
        lines.append("# TYPE campaign_gateway_shared_state_up gauge")
        lines.append("campaign_gateway_shared_state_up \(upValue)")
        lines.append("# HELP campaign_gateway_shared_state_fallback_total Pacing decisions made by this process's fallback window because Redis could not be used.")
        lines.append("# TYPE campaign_gateway_shared_state_fallback_total counter")
        lines.append("campaign_gateway_shared_state_fallback_total \(fallbackDecisionCount)")
    }
}
