import JSONCore
import Testing

/// `JSONObject`'s lookup compares keys in place in its member array, lengths first: it must find exactly the
/// member whose key equals the one asked for, among keys of the same length and byte count; setting goes through
/// the same lookup, so it must replace that member in place, remove it, or append a new one.
@Suite struct JSONObjectLookupTests {
    @Test func findsEachKeyAndNothingElse() {
        let keys = ["", "a", "b", "ab", "ba", "é", "e\u{301}", "ee", "name", "Name", "names", "timezone", "timeZone",
                    "a-very-long-key-beyond-fifteen-bytes", "a-very-long-key-beyond-fifteen-bytez"]
        let object = JSONObject(keys.enumerated().map { ($0.element, JSONValue.int($0.offset)) })
        for (i, key) in keys.enumerated() {
            #expect(object[key] == .int(i), "\(key.debugDescription)")
        }
        for missing in ["c", "abc", "NAME", "timezonE", "a-very-long-key-beyond-fifteen-bytey", " "] {
            #expect(object[missing] == nil, "\(missing.debugDescription)")
        }
        #expect(JSONObject()["a"] == nil)
    }

    @Test func setReplacesInPlaceRemovesAndAppends() {
        var object: JSONObject = ["name": .int(1), "Name": .int(2), "names": .int(3), "ab": .int(4), "ba": .int(5)]
        object["Name"] = .int(20)
        object["ba"] = nil
        object["nam"] = .int(6)
        object["ab"] = .int(40)
        object["absent"] = nil
        #expect(object.keys == ["name", "Name", "names", "ab", "nam"])
        #expect(object.entries.map(\.value) == [.int(1), .int(20), .int(3), .int(40), .int(6)])
    }
}
