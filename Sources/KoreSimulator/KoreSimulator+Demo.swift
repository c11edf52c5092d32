extension KoreSimulator {
    /// The tenant of the embedded demo (`campaign-gateway` with no config) and of local experiments.
    ///
    /// Its secret is public on purpose: it only ever unlocks this in-memory simulator.
    public static let demoTenant = SimulatorTenant(
        streamId: "st-demo-0000-0000-0000-000000000001",
        accountId: "demo-account-0001",
        clientId: "cs-demo-client-0001",
        secret: Array("demo-client-secret-not-for-production".utf8),
        enforceJti: false
    )
}
