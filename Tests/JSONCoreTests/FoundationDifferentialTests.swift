import Foundation
import JSONCore
import Testing
import TestSupport

/// JSONReader and JSONWriter against an independent implementation, Foundation's JSONSerialization:
/// generated documents in both directions, and Kore.ai's sample bodies.
struct FoundationDifferentialTests {
    static let seeds: [UInt64] = Array(1...400)

    // The 1,000 generated cases run as three loops on threads of their own, not as 1,000 test cases: queued on
    // Swift's cooperative pool (two threads here), they would hold up every other suite's awaits until they drained.
    // Each loop returns what disagreed, seed by seed, so a failure still names the seed that reproduces it.

    @Test("Generated documents: our reader and Foundation read the same value")
    func readerAgreesWithFoundation() async throws {
        let failures = try await OffPool.run { Self.seeds.compactMap { Self.failure(seed: $0, Self.readerAgrees) } }
        #expect(failures.isEmpty, "\(failures.count) of \(Self.seeds.count) seeds: \(failures.prefix(5))")
    }

    @Test("Generated values: what our writer writes, Foundation reads back identically (compact and pretty)")
    func writerOutputReadsBack() async throws {
        let failures = try await OffPool.run { Self.seeds.compactMap { Self.failure(seed: $0, Self.writerOutputReadsBack) } }
        #expect(failures.isEmpty, "\(failures.count) of \(Self.seeds.count) seeds: \(failures.prefix(5))")
    }

    @Test("Generated values: what Foundation writes, our reader reads identically")
    func foundationOutputReads() async throws {
        let seeds = Self.seeds.prefix(200)
        let failures = try await OffPool.run { seeds.compactMap { Self.failure(seed: $0, Self.foundationOutputReads) } }
        #expect(failures.isEmpty, "\(failures.count) of \(seeds.count) seeds: \(failures.prefix(5))")
    }

    /// Nil when `check` holds for `seed`, else what went wrong.
    static func failure(seed: UInt64, _ check: (UInt64) throws -> String?) -> String? {
        do {
            return try check(seed).map { "seed \(seed): \($0)" }
        } catch {
            return "seed \(seed): \(error)"
        }
    }

    static func readerAgrees(_ seed: UInt64) throws -> String? {
        var generator = JSONDocumentGenerator(seed: seed)
        let (text, expected) = generator.document()
        let bytes = Array(text.utf8)
        let ours = try JSONReader.parse(bytes)
        if ours != expected { return "our reader read another value than the generator wrote: \(text)" }
        let theirs = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        return FoundationJSON.matches(ours, theirs) ? nil : "Foundation read another value: \(text)"
    }

    static func writerOutputReadsBack(_ seed: UInt64) throws -> String? {
        var generator = JSONDocumentGenerator(seed: seed &* 7919)
        let (_, value) = generator.document()
        for pretty in [false, true] {
            let written = JSONWriter.write(value, pretty: pretty)
            let theirs = try JSONSerialization.jsonObject(with: Data(written), options: [.fragmentsAllowed])
            if !FoundationJSON.matches(value, theirs) { return "Foundation read our output differently (pretty \(pretty))" }
            if try JSONReader.parse(written) != value { return "our output did not read back (pretty \(pretty))" }
        }
        return nil
    }

    static func foundationOutputReads(_ seed: UInt64) throws -> String? {
        var generator = JSONDocumentGenerator(seed: seed &* 104_729)
        let (text, value) = generator.document()
        let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        let rewritten = try JSONSerialization.data(withJSONObject: theirs, options: [.fragmentsAllowed])
        let ours = try JSONReader.parse(Array(rewritten))
        if !FoundationJSON.matches(ours, theirs) { return "our reader read Foundation's output differently" }
        let reread = try JSONSerialization.jsonObject(with: rewritten, options: [.fragmentsAllowed])
        return FoundationJSON.matches(value, reread) ? nil : "Foundation's output does not hold the generated value"
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
