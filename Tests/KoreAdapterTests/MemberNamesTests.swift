@testable import KoreAdapter
import Testing

/// The member-name lookup of write bodies: by bytes for ASCII keys, as `Set<String>` decides for every key.
struct MemberNamesTests {
    static let names = ["id", "name", "day", "start", "end", "dialingMode", "dialingOrder", "maxSkips", "experienceFlowName",
                        "experienceFlowId", "", "a\u{301}"]

    @Test("Found exactly where Set<String>.contains finds it: near misses, prefixes, case, non-ASCII equivalents")
    func agreesWithSet() {
        let table = MemberNames(Self.names)
        let set = Set(Self.names)
        var keys = Self.names + ["i", "ids", "Id", "nam", "namex", "nbme", "dialingModf", "dialingMod", "experienceFlowIdx",
                                 "experienceFlow", "\u{E1}", "a", "d\u{61}y", "da\u{301}y", "\u{212A}", "end\u{0}", " end"]
        for name in Self.names { keys += [name + "x", String(name.dropLast()), name.uppercased()] }
        for key in keys {
            #expect(table.contains(key) == set.contains(key), "\(Array(key.unicodeScalars))")
        }
        // Precomposed á (U+00E1) equals a + combining acute as Swift strings do: found through the set.
        #expect(table.contains("\u{E1}"))
        #expect(!MemberNames([]).contains(""))
    }
}
