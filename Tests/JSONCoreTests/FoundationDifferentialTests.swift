import Foundation
import JSONCore
import Testing

/// JSONReader and JSONWriter against an independent implementation, Foundation's JSONSerialization:
/// generated documents in both directions, and Kore.ai's sample bodies.
struct FoundationDifferentialTests {
    static let seeds: [UInt64] = Array(1...400)

    @Test("Generated documents: our reader and Foundation read the same value", arguments: seeds)
    func readerAgreesWithFoundation(_ seed: UInt64) throws {
        var generator = JSONDocumentGenerator(seed: seed)
        let (text, expected) = generator.document()
        let bytes = Array(text.utf8)
        let ours = try JSONReader.parse(bytes)
        #expect(ours == expected, "seed \(seed)")
        let theirs = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        #expect(FoundationJSON.matches(ours, theirs), "seed \(seed): \(text)")
    }

    @Test("Generated values: what our writer writes, Foundation reads back identically (compact and pretty)",
          arguments: seeds)
    func writerOutputReadsBack(_ seed: UInt64) throws {
        var generator = JSONDocumentGenerator(seed: seed &* 7919)
        let (_, value) = generator.document()
        for pretty in [false, true] {
            let written = JSONWriter.write(value, pretty: pretty)
            let theirs = try JSONSerialization.jsonObject(with: Data(written), options: [.fragmentsAllowed])
            #expect(FoundationJSON.matches(value, theirs), "seed \(seed) pretty \(pretty)")
            #expect(try JSONReader.parse(written) == value)
        }
    }

    @Test("Generated values: what Foundation writes, our reader reads identically", arguments: seeds.prefix(200))
    func foundationOutputReads(_ seed: UInt64) throws {
        var generator = JSONDocumentGenerator(seed: seed &* 104_729)
        let (text, value) = generator.document()
        let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        let rewritten = try JSONSerialization.data(withJSONObject: theirs, options: [.fragmentsAllowed])
        let ours = try JSONReader.parse(Array(rewritten))
        #expect(FoundationJSON.matches(ours, theirs), "seed \(seed)")
        #expect(FoundationJSON.matches(value, try JSONSerialization.jsonObject(with: rewritten, options: [.fragmentsAllowed])))
    }

    static let seedBodies = ["v1-voice-delete", "v2-voice-delete", "v1-sms-delete", "v2-sms-delete",
                             "v1-voice-update-response", "v1-voice-update-request"]

    @Test("Kore.ai's sample bodies read the same in both, and round-trip through our writer", arguments: seedBodies)
    func seedBodiesAgree(_ name: String) throws {
        // The fixtures belong to KoreAdapterTests; read them from the source tree rather than duplicating them.
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("KoreAdapterTests/Fixtures/\(name).json")
        let data = try Data(contentsOf: url)
        let ours = try JSONReader.parse(Array(data))
        #expect(FoundationJSON.matches(ours, try JSONSerialization.jsonObject(with: data)))
        #expect(try JSONReader.parse(JSONWriter.write(ours)) == ours)
        #expect(try JSONReader.parse(JSONWriter.write(ours, pretty: true)) == ours)
    }
}

/// Structural comparison of a `JSONValue` with what JSONSerialization produced.
enum FoundationJSON {
    static func matches(_ ours: JSONValue, _ theirs: Any) -> Bool {
        switch ours {
        case .null:
            return theirs is NSNull
        case .bool(let flag):
            return (theirs as? Bool) == flag
        case .number(let literal):
            guard let expected = Double(literal), let number = theirs as? NSNumber else { return false }
            let actual = number.doubleValue
            return actual == expected || abs(actual - expected) <= abs(expected) * 1e-15
        case .string(let text):
            // Scalar by scalar: Swift's String == would equate canonically equivalent spellings.
            guard let other = theirs as? String else { return false }
            return Array(text.unicodeScalars) == Array(other.unicodeScalars)
        case .array(let items):
            guard let others = theirs as? [Any], others.count == items.count else { return false }
            return zip(items, others).allSatisfy { matches($0, $1) }
        case .object(let object):
            guard let others = theirs as? [String: Any], others.count == object.count else { return false }
            return object.allSatisfy { entry in others[entry.key].map { matches(entry.value, $0) } ?? false }
        }
    }
}
