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

    /// Two keys JSON (and JavaScript) keep apart but Swift's `String` equality calls equal: the same UTF-8 length,
    /// canonically equivalent code points. Neither merges, in an object small enough for the pairwise check or large
    /// enough for the hashed one, nor in a lookup.
    @Test(arguments: [2, 40])
    func canonicallyEquivalentKeysStayApart(members: Int) throws {
        let first = "\u{1E0B}\u{323}", second = "\u{1E0D}\u{307}"
        #expect(first == second && first.utf8.count == second.utf8.count && !first.utf8.elementsEqual(second.utf8))
        let padding = (0..<(members - 2)).map { "\"k\($0)\": 0, " }.joined()
        let text = "{\(padding)\"\(first)\": 1, \"\(second)\": 2}"
        let object = try #require(try JSONReader.parse(Array(text.utf8)).objectValue)
        #expect(object.count == members)
        #expect(object[first] == .int(1))
        #expect(object[second] == .int(2))
        #expect(JSONObject([(first, .int(1)), (second, .int(2))]).count == 2)
        #expect(JSONObject([(first, .int(1))]) != JSONObject([(second, .int(1))]))
    }
}
