import GatewayCrypto

/// The id Kore.ai shows for an experience flow written by name. The simulator has no flow catalogue, so the id is
/// derived from the name (the same name always gives the same `cf-` id), in the `cf-8-4-4-4-12` form of Kore.ai's samples.
enum ExperienceFlowID {
    static func id(forName name: String) -> String {
        let hex = Array(Hex.encode(SHA256.hash(Array(name.utf8))).prefix(32))
        func part(_ range: Range<Int>) -> String { String(hex[range]) }
        return "cf-\(part(0..<8))-\(part(8..<12))-\(part(12..<16))-\(part(16..<20))-\(part(20..<32))"
    }
}
