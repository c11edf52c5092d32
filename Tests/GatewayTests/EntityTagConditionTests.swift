@testable import Gateway
import Testing

/// `If-Match` / `If-None-Match` lists: an entity tag may hold a comma (etagc is %x21 / %x23-7E / obs-text), so the
/// list is split between tags, never inside one.
struct EntityTagConditionTests {
    @Test func aCommaInsideAQuotedTagIsPartOfTheTag() {
        #expect(EntityTagCondition.condition(#""a,b""#) == .tags([(#""a,b""#, false)]))
        #expect(EntityTagCondition.condition(#"W/"x,y" , "z",W/",""#) == .tags([(#""x,y""#, true), (#""z""#, false), (#"",""#, true)]))
        #expect(EntityTagCondition.condition(#""a,b""#).matchesStrongly(#""a,b""#))
        #expect(!EntityTagCondition.condition(#""a,b""#).matchesStrongly(#""a""#))
    }

    @Test(arguments: [#""a,b"#, #"a,b""#, #""a" "b""#, #""a"b"#, ",", #"W/"#, #""a\"b""#, "*, \"a\""])
    func malformedListsMatchNothing(_ text: String) {
        #expect(EntityTagCondition.condition(text) == .malformed, "\(text)")
    }

    @Test func emptyListElementsAreSkipped() {
        #expect(EntityTagCondition.condition(#" , "a",, "b" ,"#) == .tags([(#""a""#, false), (#""b""#, false)]))
        #expect(EntityTagCondition.condition(" * ") == .any)
    }
}
