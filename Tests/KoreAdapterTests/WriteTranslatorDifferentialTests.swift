@testable import KoreAdapter
import JSONCore
import TestSupport
import Testing

/// The write translation (Kore.ai's body written straight from the checked values) against the reference
/// (`ReferenceWriteTranslator`: the checks over the tree, Kore.ai's body built as a tree, reordered and written by
/// `JSONWriter`): the same bytes when a body is accepted, the same field errors (fields, messages, order) when it is
/// refused, for both types, both versions and both purposes, on every fixture and on generated variations of them.
struct WriteTranslatorDifferentialTests {
    static let purposes: [CampaignWriteTranslator.Purpose] = [.update, .create]

    /// The outcome of both translators for one body, type, version and purpose; nil when they agree.
    static func disagreement(_ body: JSONValue, _ type: CampaignType, _ version: UpstreamVersion,
                             _ purpose: CampaignWriteTranslator.Purpose) -> String? {
        let fast = CampaignWriteTranslator.upstreamBody(fromNormalized: body, type: type, version: version, purpose: purpose)
        let reference = ReferenceWriteTranslator.upstreamBody(fromNormalized: body, type: type, version: version,
                                                              purpose: purpose)
        let context = "\(type) \(version) \(purpose) \(JSONWriter.string(body))"
        // The body read in place from its bytes, compact and pretty: declined only for what only the tree reads.
        for text in [JSONWriter.write(body), JSONWriter.write(body, pretty: true)] {
            if let problem = bytesDisagreement(text, type, version, purpose, reference: reference) { return problem }
        }
        switch (fast, reference) {
        case (.success(let a), .success(let b)):
            if a != b {
                return "bytes differ for \(context):\n  \(String(decoding: a, as: UTF8.self))\n  \(String(decoding: b, as: UTF8.self))"
            }
            // The tree the production path hands to tests and the simulator is the reference's too.
            let tree = CampaignWriteTranslator.upstreamCampaign(fromNormalized: body, type: type, version: version,
                                                                purpose: purpose)
            guard case .success(let value) = tree, value.bytes == b else { return "tree differs for \(context)" }
            return nil
        case (.failure(let a), .failure(let b)):
            return a.errors == b.errors ? nil : "errors differ for \(context):\n  \(a.errors)\n  \(b.errors)"
        default:
            return "outcome differs for \(context): \(fast) vs \(reference)"
        }
    }

    /// The in-place reading of `text` against `reference`, the reference translator's outcome for the tree of it; a
    /// body that is an object with ASCII keys must not be declined.
    static func bytesDisagreement(_ text: [UInt8], _ type: CampaignType, _ version: UpstreamVersion,
                                  _ purpose: CampaignWriteTranslator.Purpose,
                                  reference: Result<[UInt8], CampaignValidationFailure>) -> String? {
        let context = "\(type) \(version) \(purpose) \(String(decoding: text, as: UTF8.self))"
        guard let scanned = CampaignWriteTranslator.upstreamBody(fromNormalizedJSON: text, type: type, version: version,
                                                                 purpose: purpose) else {
            let declinable = !text.contains(UInt8(ascii: "\\")) && !text.contains(where: { $0 >= 0x80 })
                && text.first == UInt8(ascii: "{")
            return declinable ? "declined by the in-place reading: \(context)" : nil
        }
        switch (scanned, reference) {
        case (.success(let a), .success(let b)):
            return a == b ? nil : "in-place bytes differ for \(context):\n  \(String(decoding: a, as: UTF8.self))\n  \(String(decoding: b, as: UTF8.self))"
        case (.failure(let a), .failure(let b)):
            return a.errors == b.errors ? nil : "in-place errors differ for \(context):\n  \(a.errors)\n  \(b.errors)"
        default:
            return "in-place outcome differs for \(context): \(scanned) vs \(reference)"
        }
    }

    /// Every type, version and purpose for `body`.
    static func disagreements(_ body: JSONValue) -> [String] {
        var found: [String] = []
        for type in CampaignType.allCases {
            for version in [UpstreamVersion.v1, .v2] {
                for purpose in purposes {
                    if let problem = disagreement(body, type, version, purpose) { found.append(problem) }
                }
            }
        }
        return found
    }

    /// Valid starting points: the write bodies of the validation tests, every normalized fixture, every seed
    /// answer normalized, and create-shaped variants (agentless, SMS advanced and plain text).
    static func baseBodies() throws -> [JSONValue] {
        var bodies = [WriteBodies.voice(version: .v1), WriteBodies.voice(version: .v2), WriteBodies.sms()]
        for name in ["expected-v1-sms-delete", "expected-v1-voice-delete", "expected-v1-voice-update-response",
                     "expected-v2-sms-delete", "expected-v2-voice-delete"] {
            bodies.append(try Fixtures.json(name))
        }
        for seed in Fixtures.seedResponses {
            bodies.append(try CampaignNormalizer.campaign(fromUpstream: try Fixtures.bytes(seed.name), type: seed.type,
                                                          version: seed.version))
        }
        let agentless = WriteBodies.voice().setting("voice.dialingMode", to: .string("agentless"))
            .setting("voice.experienceFlowName", to: .string("Reminder flow")).setting("voice.queueName", to: nil)
            .setting("voice.machineDetection", to: .string("disconnect")).setting("voice.useSystemMappings", to: .bool(true))
        let advanced = WriteBodies.sms().setting("sms.format", to: .string("advanced"))
            .setting("sms.experienceFlowName", to: .string("SMS flow")).setting("sms.template", to: nil)
        let plain = WriteBodies.sms().setting("sms.template", to: nil).setting("dncList", to: .object(["name": .string("d")]))
        let scheduled = WriteBodies.voice().setting("schedule", to: .object(["enabled": .bool(true)]))
        bodies += [agentless, advanced, plain, scheduled]
        return bodies
    }

    @Test("Every fixture and starting body: the same bytes or the same errors as the reference")
    func fixtures() throws {
        let bodies = try Self.baseBodies()
        var accepted = 0
        for body in bodies {
            let found = Self.disagreements(body)
            #expect(found == [], "\(found.prefix(3))")
            for type in CampaignType.allCases {
                if case .success = CampaignWriteTranslator.upstreamBody(fromNormalized: body, type: type, version: .v2) {
                    accepted += 1
                }
            }
        }
        // The comparison is only worth something if bodies of both types get through to Kore.ai's bytes.
        #expect(accepted >= 5, "only \(accepted) fixture bodies were accepted")
    }

    @Test("Not an object, empty, and members of every wrong kind: the same errors as the reference")
    func wrongShapes() {
        let shapes: [JSONValue] = [.null, .bool(true), .int(1), .string("x"), .array([]), .object(JSONObject())]
        for body in shapes {
            #expect(Self.disagreements(body) == [])
        }
        for key in ["name", "voice", "sms", "callingHours", "dncList", "schedule", "contactLists", "priority"] {
            for value in shapes {
                #expect(Self.disagreements(WriteBodies.voice().setting([key], to: value)) == [])
                #expect(Self.disagreements(WriteBodies.sms().setting([key], to: value)) == [])
            }
        }
    }

    @Test("Bodies as text: keys given twice, escapes, spacing, number spellings; escaped and non-ASCII keys declined")
    func texts() throws {
        let voice = String(decoding: JSONWriter.write(WriteBodies.voice()), as: UTF8.self)
        let sms = String(decoding: JSONWriter.write(WriteBodies.sms()), as: UTF8.self)
        let inner = String(voice.dropFirst().dropLast())
        let smsInner = String(sms.dropFirst().dropLast())
        let deep = String(repeating: "{\"a\":", count: 70) + "1" + String(repeating: "}", count: 71)
        var texts: [String] = [
            "{\"name\":\"first\"," + inner + "}",
            "{" + inner + ",\"name\":\"last\"}",
            "{" + inner + ",\"priorty\":1,\"priorty\":2,\"zz\":0,\"priorty\":3}",
            "{" + inner + ",\"voice\":{\"dialingMode\":\"preview\",\"dialingMode\":\"agentless\"}}",
            "{" + inner + ",\"name\":\"\\u0041\\u00e9\\ud83d\\ude00 \\\" \\\\ \\/ \\b\\f\\n\\r\\t\"}",
            "{" + inner + ",\"priority\":5.0}", "{" + inner + ",\"priority\":5e0}", "{" + inner + ",\"priority\":-0}",
            "{" + inner + ",\"priority\":99999999999999999999}", "{" + inner + ",\"priority\":\"5\"}",
            " \n\t{ \"name\" : \"spaced\" ,\r\n" + inner + " } \n",
            "{" + inner + ",\"na\\u006de\":\"escaped key\"}",
            "{" + inner + ",\"nämé\":\"non-ASCII key\"}",
            "{" + inner + ",\"description\":\"Grüße ✓ 😀\"}",
            "{" + inner + ",\"contactLists\":[\"a\",\"a\\\"b\",\"\"]}",
            "{" + inner + ",\"callingHours\":{\"days\":[{\"day\":\"MO\",\"day\":\"TU\",\"start\":\"09:00\",\"end\":\"10:00\"}],\"frequency\":\"daily\",\"timezone\":\"UTC\"}}",
            "{}", "[]", "{\"name\":1,}", "{\"name\":\"x\"} x", String(repeating: "[", count: 70),
            "{\"voice\":" + deep,
            sms, "{" + smsInner + ",\"sms\":{\"format\":\"simple\",\"text\":\"\\u00fc\"}}",
        ]
        texts.append(voice)
        var handled = 0, json = 0
        for text in texts {
            let bytes = Array(text.utf8)
            guard let tree = try? JSONReader.parse(bytes) else {
                #expect(CampaignWriteTranslator.upstreamBody(fromNormalizedJSON: bytes, type: .voice, version: .v2) == nil,
                        "\(text) is not JSON: the tree's reader must answer")
                continue
            }
            json += 1
            for type in CampaignType.allCases {
                for version in [UpstreamVersion.v1, .v2] {
                    for purpose in Self.purposes {
                        let reference = ReferenceWriteTranslator.upstreamBody(fromNormalized: tree, type: type,
                                                                              version: version, purpose: purpose)
                        #expect(Self.bytesDisagreement(bytes, type, version, purpose, reference: reference) == nil)
                    }
                }
            }
            if CampaignWriteTranslator.upstreamBody(fromNormalizedJSON: bytes, type: .voice, version: .v2) != nil { handled += 1 }
        }
        // Declined among the JSON texts: the array, the escaped key, the non-ASCII key.
        #expect(json == texts.count - 4 && handled == json - 3, "handled \(handled) of \(json) JSON texts")
    }

    /// Values a mutation puts somewhere: valid alternatives for most fields (so many variants are still accepted and
    /// their bytes compared), wrong kinds, bounds, and strings the writer must escape.
    static let values: [JSONValue] = {
        var pool: [JSONValue] = [
            .null, .bool(true), .bool(false), .int(0), .int(1), .int(3), .int(5), .int(6), .int(-1), .int(100), .int(101),
            .int(1440), .int(120), .int(4), .number("1.5"), .number("1e2"), .number("12345678901234567890"),
            .string(""), .string("x"), .string("Default Queue"), .string("+18123456789"), .string("+0123"),
            .string("Asia/Kolkata"), .string("GMT+5"), .string("09:00"), .string("23:59"), .string("24:00"),
            .string("9:00"), .string("00:00"), .string("MO"), .string("SU"), .string("XX"),
            .string("agentless"), .string("progressive"), .string("preview"), .string("Preview"),
            .string("fifo"), .string("lifo"), .string("off"), .string("detect"), .string("disconnect"),
            .string("weekly"), .string("daily"), .string("custom"), .string("simple"), .string("basic"), .string("advanced"),
            .string("quote \" backslash \\ slash / tab \t newline \n nul \u{0} del \u{7F}"),
            .string("Grüße, <First Name>! ✓ 😀 \u{2028}"), .string(String(repeating: "n", count: 48)),
            .string(String(repeating: "n", count: 49)), .string(String(repeating: "😀", count: 24)),
            .string(String(repeating: "😀", count: 25)), .string(String(repeating: "d", count: 257)),
            .array([]), .array([.string("A list")]), .array([.string("one"), .string("two"), .int(3)]),
            .array([.string("MO"), .string("TU")]), .array([.string("MO"), .string("MO")]),
            .object(JSONObject()), .object(["name": .string("dnc")]), .object(["id": .string("i"), "name": .string("n")]),
            .object(["id": .string("t")]), .object(["enabled": .bool(true), "recurrence": .bool(true)]),
            .object(["day": .string("FR"), "start": .string("08:15"), "end": .string("12:45")]),
            .object(["day": .string("SA"), "start": .string("13:00"), "end": .string("12:00")]),
        ]
        pool.append(.array([.object(["day": .string("WE"), "start": .string("00:00"), "end": .string("00:01")]),
                            .object(["day": .string("TH"), "start": .string("12:00"), "end": .string("23:59")])]))
        return pool
    }()

    /// Every path in `value` (object keys, and `[n]` for array elements), the root's members included.
    static func paths(_ value: JSONValue, _ prefix: [String] = []) -> [[String]] {
        var found: [[String]] = []
        switch value {
        case .object(let object):
            for (key, member) in object {
                found.append(prefix + [key])
                found += paths(member, prefix + [key])
            }
        case .array(let items):
            for (index, item) in items.enumerated() {
                found.append(prefix + ["[\(index)]"])
                found += paths(item, prefix + ["[\(index)]"])
            }
        default: break
        }
        return found
    }

    static let unknownKeys = ["priorty", "voice", "sms", "id", "extensions", "queue_name", "experienceFlowId", "text",
                              "template", "recurrence", "day", "name", "id\u{301}", "na\"me"]

    /// Changes that keep a body valid for most types, versions and purposes: so that many generated bodies are
    /// accepted and their bytes compared, with escapes, non-ASCII text and every optional member in play.
    static let validEdits: [(path: String, values: [JSONValue])] = [
        ("name", [.string("Quote \" and \\ and /"), .string("Grüße ✓ 😀"), .string("tab\there"), .string("N")]),
        ("description", [.string("line\nbreak \u{1} \u{7F} \u{2028}"), .string(String(repeating: "d", count: 256))]),
        ("contactLists", [.array([.string("a"), .string("b\"c"), .string("ü")]), .array([.string("x")])]),
        ("priority", [.int(1), .int(2), .int(5)]),
        ("callerId", [.string("+1"), .string("+123456789012345"), .string("+918123456789")]),
        ("callingHours.frequency", [.string("daily"), .string("custom"), .string("weekly")]),
        ("callingHours.timezone", [.string("UTC"), .string("US/Eastern"), .string("Etc/GMT+5"), .string("Asia/\u{212A}olkata")]),
        ("callingHours.days", [.array([.object(["day": .string("SU"), "start": .string("00:00"), "end": .string("23:59")])]),
                               .array([.object(["day": .string("TH"), "start": .string("11:59"), "end": .string("12:00")]),
                                       .object(["day": .string("FR"), "start": .string("12:01"), "end": .string("13:00")])])]),
        ("voice.dialingOrder", [.string("lifo"), .string("fifo")]),
        ("voice.maxAttemptsPerRecord", [.int(1), .int(100)]),
        ("voice.retryPeriodMinutes", [.int(1), .int(1440)]),
        ("voice.maxRingTimeSeconds", [.int(5), .int(120)]),
        ("voice.maxSkips", [.int(0), .int(7), .null]),
        ("voice.queueName", [.string("Q \"1\""), .null]),
        ("voice.useSystemMappings", [.bool(false), .null]),
        ("voice.experienceFlowName", [.string("Flow ✓"), .null]),
        ("voice.machineDetection", [.string("off"), .string("detect"), .null]),
        ("sms.format", [.string("simple"), .string("basic")]),
        ("sms.text", [.string("Hi \"there\" ✓"), .string("x"), .null]),
        ("sms.template", [.object(["id": .string("t-1")]), .object(["name": .string("W\\n")]), .null]),
        ("sms.experienceFlowName", [.string("F"), .null]),
        ("dncList", [.null, .object(["name": .string("d\u{0}")]), .object(["id": .string("i"), "name": .string("n")])]),
        ("schedule", [.null, .object(["enabled": .bool(true)]), .object(["enabled": .bool(false), "recurrence": .bool(true)])]),
        ("id", [.string("cd-1"), .null]),
        ("extensions", [.object(["x": .int(1)])]),
    ]

    /// One to three random changes to `body`: a valid edit, a value replaced, a member removed, a member added.
    static func mutated(_ body: JSONValue, _ random: inout SeededGenerator) -> JSONValue {
        var result = body
        for _ in 0..<(1 + random.below(3)) {
            let all = paths(result)
            switch random.below(10) {
            case 0...5:
                let edit = validEdits[random.below(validEdits.count)]
                result = result.setting(edit.path, to: edit.values[random.below(edit.values.count)])
            case 6, 7:
                guard !all.isEmpty else { continue }
                result = result.setting(all[random.below(all.count)], to: values[random.below(values.count)])
            case 8:
                guard !all.isEmpty else { continue }
                result = result.setting(all[random.below(all.count)], to: nil)
            default:
                let objects = [[]] + all.filter { if case .object? = value(result, at: $0) { return true } else { return false } }
                let parent = objects[random.below(objects.count)]
                let key = unknownKeys[random.below(unknownKeys.count)]
                result = result.setting(parent + [key], to: values[random.below(values.count)])
            }
        }
        return result
    }

    static func value(_ root: JSONValue, at path: [String]) -> JSONValue? {
        var current: JSONValue? = root
        for element in path {
            if element.hasPrefix("["), let index = Int(element.dropFirst().dropLast()), case .array(let items)? = current {
                current = items.indices.contains(index) ? items[index] : nil
            } else {
                current = current?[element]
            }
        }
        return current
    }

    @Test("Generated variations of every starting body: the same bytes or the same errors as the reference")
    func generated() throws {
        var random = SeededGenerator(seed: 0x5EED_F00D)
        let bases = try Self.baseBodies()
        var accepted = 0, refused = 0, disagreements: [String] = []
        for round in 0..<2_000 {
            let body = Self.mutated(bases[round % bases.count], &random)
            // Mostly the body's own type, the version its DNC list allows, and updates: so many are accepted.
            let ownType: CampaignType = body["sms"] != nil ? .sms : .voice
            let type = random.below(10) == 0 ? (ownType == .sms ? .voice : .sms) : ownType
            let version: UpstreamVersion = body["dncList"] == nil || body["dncList"] == .null
                ? (random.below(2) == 0 ? .v1 : .v2) : (random.below(10) == 0 ? .v1 : .v2)
            let purpose = Self.purposes[random.below(4) == 0 ? 1 : 0]
            if let problem = Self.disagreement(body, type, version, purpose) { disagreements.append(problem) }
            switch CampaignWriteTranslator.upstreamBody(fromNormalized: body, type: type, version: version, purpose: purpose) {
            case .success: accepted += 1
            case .failure: refused += 1
            }
        }
        #expect(disagreements == [], "\(disagreements.count) disagreements, first: \(disagreements.prefix(2))")
        // Both sides of the comparison must be exercised in numbers: accepted bodies (bytes) and refused ones (errors).
        #expect(accepted >= 300, "only \(accepted) generated bodies were accepted")
        #expect(refused >= 300, "only \(refused) generated bodies were refused")
    }
}
