/// The request counters (`campaign_gateway_http_requests_total` and the duration histogram), one series per route
/// label, method label and status, found without hashing strings: a `Dictionary` hashed its key through `Hasher`
/// (seeding and finalizing SipHash cost about 300 instructions an answer) before comparing. Here the slot comes from
/// the status and the two labels' lengths mixed by a multiply, and a probe compares the status first, then the labels
/// (equal labels are usually the same literal or the same small string, which compare by their bits).
///
/// Open addressing with linear probing over a power-of-two slot array kept at most half full; the series themselves
/// sit in `series` in the order they first appeared. Label values are bounded (route templates, folded methods), so
/// the table stays small.
struct RequestSeriesTable: Sendable {
    struct Series: Sendable {
        var route: String
        var method: String
        var status: Int
        var histogram: Histogram
    }

    private(set) var series: [Series] = []
    /// Each slot is an index into `series` plus one; zero is empty.
    private var slots = [Int32](repeating: 0, count: 64)

    /// The series of `route`, `method` and `status`, made when it is new, with `seconds` observed.
    mutating func observe(route: String, method: String, status: Int, seconds: Double) {
        let mask = slots.count &- 1
        var slot = Self.mix(route: route, method: method, status: status) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            let found = entry &- 1
            if series[found].status == status && series[found].route == route && series[found].method == method {
                series[found].histogram.observe(seconds)
                return
            }
            slot = (slot &+ 1) & mask
        }
        // New: the slot found empty takes it, unless that would make the table more than half full.
        series.append(Series(route: route, method: method, status: status, histogram: Histogram()))
        series[series.count - 1].histogram.observe(seconds)
        if series.count * 2 > slots.count {
            rebuild(slotCount: slots.count * 2)
        } else {
            slots[slot] = Int32(truncatingIfNeeded: series.count)
        }
    }

    private mutating func rebuild(slotCount: Int) {
        slots = [Int32](repeating: 0, count: slotCount)
        let mask = slotCount &- 1
        for (index, entry) in series.enumerated() {
            var slot = Self.mix(route: entry.route, method: entry.method, status: entry.status) & mask
            while slots[slot] != 0 { slot = (slot &+ 1) & mask }
            slots[slot] = Int32(truncatingIfNeeded: index &+ 1)
        }
    }

    /// The slot hint: the status and the labels' byte counts, spread by a multiply (the high bits mixed down).
    @inline(__always)
    private static func mix(route: String, method: String, status: Int) -> Int {
        let key = UInt64(truncatingIfNeeded: status) &<< 16 ^ UInt64(truncatingIfNeeded: route.utf8.count) &<< 4
            ^ UInt64(truncatingIfNeeded: method.utf8.count)
        let spread = key &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: spread >> 40)
    }
}
