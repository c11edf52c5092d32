/// Everything the simulator changes while it runs, kept in one value behind one lock so a request's checks and its
/// effect on the store (a jti being used, a record deleted) happen atomically.
struct SimulatorState: Sendable {
    /// Campaigns per tenant, keyed by stream id.
    var stores: [String: CampaignStore]
    /// Accepted jtis per tenant, keyed by stream id.
    var jtis: [String: JTIRegistry] = [:]
    var faults = FaultSchedule()
    var log = CallLog()
    /// The calls of the last 60 seconds per account, for Kore.ai's limit.
    var rate = AccountRateLimiter()

    /// The state at start and after `reset()`: every tenant holds the seeds; no faults, calls, jtis or counted calls.
    init(streamIds: [String]) {
        stores = [:]
        for streamId in streamIds { stores[streamId] = CampaignStore.seeded() }
    }
}
