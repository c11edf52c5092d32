/// One route's upstream call for one tenant and campaign type with everything but the campaign id (or name), the
/// token and the body already in place: built once per tenant, not per call.
///
/// A class: taken out of the tenant's table on every call, a struct of four strings was four retains and releases
/// and an outlined copy and destroy; a reference is one of each.
final class UpstreamRequestTemplate: Sendable {
    /// Which part of the URL a call fills in.
    enum Variable: Sendable, Equatable {
        case none
        /// The validated campaign id, a path segment (safe as it is; see `CampaignID`).
        case campaignID
        /// The campaign name, a query value (percent-encoded per call).
        case campaignName
    }

    let method: String
    /// `scheme://host[:port]` of the tenant's base URL.
    let origin: String
    /// The path and query up to the variable part (all of them when there is none).
    let before: String
    /// The path and query after the variable part.
    let after: String
    let variable: Variable
    let sendsBody: Bool

    init(method: String, origin: String, before: String, after: String, variable: Variable, sendsBody: Bool) {
        self.method = method
        self.origin = origin
        self.before = before
        self.after = after
        self.variable = variable
        self.sendsBody = sendsBody
    }

    /// Whether `pathAndQuery` gives a path for these arguments.
    func accepts(id: CampaignID?, campaignName: String?) -> Bool {
        switch variable {
        case .none: return true
        case .campaignID: return id != nil
        case .campaignName: return campaignName != nil
        }
    }

    /// The path and query of one call; nil when the row needs an id or a name that is not given.
    func pathAndQuery(id: CampaignID?, campaignName: String?) -> String? {
        guard let middle = middle(id: id, campaignName: campaignName) else { return nil }
        if variable == .none { return before }
        return Self.joined(before, middle, after)
    }

    /// What goes between `before` and `after` for one call (empty when nothing varies); nil when the row needs an
    /// id or a name that is not given.
    func middle(id: CampaignID?, campaignName: String?) -> String? {
        switch variable {
        case .none: return ""
        case .campaignID: return id?.value
        case .campaignName: return campaignName.map(UpstreamRoute.escapeQueryValue)
        }
    }

    /// The three strings' bytes copied into one string's storage (three `+=` on a reserved String cost about 1,400
    /// instructions a call, most of it in the appends' generic paths).
    static func joined(_ first: String, _ second: String, _ third: String) -> String {
        var first = first, second = second, third = third
        let capacity = first.utf8.count + second.utf8.count + third.utf8.count
        return first.withUTF8 { a in
            second.withUTF8 { b in
                third.withUTF8 { c in
                    String(unsafeUninitializedCapacity: capacity) { buffer in
                        // The capacity is the three counts' sum: each copy fits; `copy` checks anyway.
                        copy(c, into: buffer, at: copy(b, into: buffer, at: copy(a, into: buffer, at: 0)))
                    }
                }
            }
        }
    }

    /// Copies `part` into `buffer` from `index` when it fits (nothing otherwise); the index after what was copied.
    private static func copy(_ part: UnsafeBufferPointer<UInt8>, into buffer: UnsafeMutableBufferPointer<UInt8>,
                             at index: Int) -> Int {
        guard let source = part.baseAddress, let target = buffer.baseAddress, index >= 0,
              part.count <= buffer.count - index else { return index }
        (target + index).initialize(from: source, count: part.count)
        return index + part.count
    }
}
