import JSONCore
/// One tenant's campaigns, in memory. Kore.ai scopes campaigns to a stream, so each tenant gets its own copy of the
/// seeds and a delete in one tenant is invisible in another.
struct CampaignStore: Sendable {
    private var records: [String: CampaignRecord]

    /// A store holding the seed campaigns.
    static func seeded() -> CampaignStore {
        var records: [String: CampaignRecord] = [:]
        for record in SeedCampaigns.records { records[record.id] = record }
        return CampaignStore(records: records)
    }

    /// The record with this id, whatever its type.
    func record(id: String) -> CampaignRecord? { records[id] }

    /// Stores (or replaces) a record under its id.
    mutating func put(_ record: CampaignRecord) { records[record.id] = record }

    /// Removes and returns the record with this id.
    mutating func remove(id: String) -> CampaignRecord? { records.removeValue(forKey: id) }

    /// Every record, in id order (the list's base order before Kore.ai's sorting).
    var all: [CampaignRecord] { records.keys.sorted().compactMap { records[$0] } }

    /// The records with exactly this name (Kore.ai keys schedules by name).
    func records(named name: String) -> [CampaignRecord] { all.filter { $0.fields["name"]?.stringValue == name } }

    /// Kore.ai prepares a new campaign asynchronously; in the simulator preparation ends before the next call.
    mutating func finishPreparing() {
        for (id, record) in records where record.status == "Preparing" {
            var ready = record
            ready.set("status", .string("Ready"))
            records[id] = ready
        }
    }

    /// How many campaigns the tenant has.
    var count: Int { records.count }

    /// Every id, sorted, for diagnostics.
    var ids: [String] { records.keys.sorted() }
}
