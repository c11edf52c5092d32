/// One seed campaign, as a test argument.
struct SeedCase: Sendable, CustomStringConvertible {
    var id: String
    var type: String
    var otherType: String { type == "voice" ? "sms" : "voice" }
    var description: String { "\(type) \(id)" }
}
