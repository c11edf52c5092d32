extension KoreSimulator {
    /// The v1 tenant of the embedded demo (`campaign-gateway` with no config) and of local experiments.
    ///
    /// Its secret is public on purpose: it only ever unlocks this in-memory simulator.
    public static let demoTenant = SimulatorTenant(
        streamId: "st-demo-0000-0000-0000-000000000001",
        accountId: "demo-account-0001",
        clientId: "cs-demo-client-0001",
        secret: Array("demo-client-secret-not-for-production".utf8),
        enforceJti: false
    )

    /// The demo's second app, for the v2 tenant, so deletes through v1 and v2 do not share one store.
    public static let demoV2Tenant = SimulatorTenant(
        streamId: "st-demo-0000-0000-0000-000000000002",
        accountId: "demo-account-0002",
        clientId: "cs-demo-client-0002",
        secret: Array("demo-client-secret-v2-not-for-production".utf8),
        enforceJti: false
    )

    /// The tenants `kore-sim` simulates when it is given no configuration file.
    public static let demoTenants = [demoTenant, demoV2Tenant]
}
