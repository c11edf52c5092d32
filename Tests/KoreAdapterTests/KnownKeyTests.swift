@testable import KoreAdapter
import Testing

/// An object's members are resolved to the names the writers ask for once, by a perfect hash of the key's first eight
/// bytes and length (the candidate's word and length then compared, the rest for longer names): every name must be found from its spelling wherever it sits in
/// the answer, and no other key may be taken for it (a changed byte anywhere, a byte more or less), since a lookup
/// is then one read of the cursor's slots.
@Suite struct KnownKeyTests {
    static func identify(_ key: [UInt8], paddedBy padding: Int) -> KnownKey? {
        // The key inside a buffer, as in an answer: with bytes after it (the word is one load) or at its very end.
        let text = Array("\"".utf8) + key + Array(repeating: UInt8(ascii: "\""), count: padding)
        let range = 1..<(1 + key.count)
        return text.withUnsafeBufferPointer { KnownKey.identify($0, range, prefix: ScannedMember.prefix($0, range)) }
    }

    /// The hash's tables: each name's slot holds that name, and its word and length are its spelling's.
    @Test func everyNameHasItsOwnSlotAndItsSpellingsWord() {
        var slots: Set<Int> = []
        for key in KnownKey.allCases {
            let spelling = key.spelling.withUTF8Buffer { Array($0) }
            let word = spelling.withUnsafeBufferPointer { ScannedMember.prefix($0) }
            let slot = KnownKey.slot(prefix: word, length: spelling.count)
            #expect(slot >= 0 && slot < 128 && slots.insert(slot).inserted, "\(key): slot \(slot)")
            #expect(KnownKey.candidate(slot: slot) == key && key.prefixWord == word && key.length == spelling.count,
                    "\(key): slot \(slot) holds \(String(describing: KnownKey.candidate(slot: slot)))")
        }
        #expect(slots.count == KnownKey.allCases.count)
    }

    @Test func everyNameIsFoundFromItsSpelling() {
        for key in KnownKey.allCases {
            let spelling = key.spelling.withUTF8Buffer { Array($0) }
            for padding in [0, 1, 8] {
                #expect(Self.identify(spelling, paddedBy: padding) == key, "\(spelling) padded by \(padding)")
            }
        }
        #expect(KnownKey.allCases.count <= 64, "a cursor's slots hold at most 64 names")
    }

    @Test func nearMissesAreNotTakenForAName() {
        for key in KnownKey.allCases {
            let spelling = key.spelling.withUTF8Buffer { Array($0) }
            for position in spelling.indices {
                for replacement: UInt8 in [UInt8(ascii: "X"), spelling[position] ^ 0x20, 0x00, 0xC3] {
                    var changed = spelling
                    changed[position] = replacement
                    guard changed != spelling else { continue }
                    let found = Self.identify(changed, paddedBy: 8)
                    #expect(found == nil || found?.spelling.withUTF8Buffer({ Array($0) }) == changed,
                            "\(String(decoding: changed, as: UTF8.self)) taken for \(key)")
                }
            }
            #expect(Self.identify(Array(spelling.dropLast()), paddedBy: 8).map { $0 != key } ?? true)
            #expect(Self.identify(spelling + [UInt8(ascii: "s")], paddedBy: 8).map { $0 != key } ?? true)
        }
        #expect(Self.identify([], paddedBy: 8) == nil)
        #expect(Self.identify(Array("unknownMember".utf8), paddedBy: 0) == nil)
    }
}
