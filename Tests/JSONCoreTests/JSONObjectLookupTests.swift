import JSONCore
import Testing

/// `JSONObject`'s lookup compares keys in place in its member array, lengths first: it must find exactly the
/// member whose key equals the one asked for, among keys of the same length and byte count.
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
}
