import Foundation
import JSONCore
import KoreAdapter
import Testing

/// The write rules of docs/KORE-MAPPING.md: each rule failing alone names exactly its field; several at
/// once are all reported; wrong JSON types are field errors, never crashes.
struct CampaignValidationTests {
    struct Breakage: Sendable, CustomTestStringConvertible {
        let path: String
        let value: JSONValue?
        let field: String
        var testDescription: String { "\(path) = \(value.map { JSONWriter.string($0) } ?? "<absent>")" }
        init(_ path: String, _ value: JSONValue?, field: String? = nil) {
            self.path = path
            self.value = value
            self.field = field ?? path.replacingOccurrences(of: ".[", with: "[")
        }
    }

    static let s = JSONValue.string
    static let voiceRules: [Breakage] = [
        Breakage("name", nil), Breakage("name", s(String(repeating: "n", count: 49))), Breakage("name", s("")),
        Breakage("description", s(String(repeating: "d", count: 257))), Breakage("description", nil),
        Breakage("contactLists", .array([])), Breakage("contactLists", nil),
        Breakage("contactLists.[0]", .int(7)),
        Breakage("priority", .int(0)), Breakage("priority", .int(6)), Breakage("priority", nil),
        Breakage("priority", .number("2.5")),
        Breakage("callerId", s("18123456789")), Breakage("callerId", s("+0123")), Breakage("callerId", s("+1 812 345")),
        Breakage("callerId", s("+1234567890123456")), Breakage("callerId", s("+181633xxxxx")),
        Breakage("callingHours", nil),
        Breakage("callingHours.frequency", s("monthly")), Breakage("callingHours.frequency", s("WEEKLY")),
        Breakage("callingHours.timezone", s("Mars/Olympus_Mons")), Breakage("callingHours.timezone", s("GMT+5")),
        Breakage("callingHours.timezone", s("")),
        Breakage("callingHours.days", .array([])), Breakage("callingHours.days", nil),
        Breakage("callingHours.days.[1].day", s("XX")), Breakage("callingHours.days.[1].day", s("mo")),
        Breakage("callingHours.days.[1].start", s("9:00 AM")), Breakage("callingHours.days.[1].start", s("24:00")),
        Breakage("callingHours.days.[1].start", s("9:00")), Breakage("callingHours.days.[1].start", s("09:60")),
        Breakage("callingHours.days.[1].end", s("08:00")), Breakage("callingHours.days.[1].end", s("09:00")),
        Breakage("callingHours.days.[1].end", s("garbage")),
        Breakage("voice", nil),
        Breakage("voice.dialingMode", s("predictive")), Breakage("voice.dialingMode", s("Preview")),
        Breakage("voice.dialingOrder", s("random")),
        Breakage("voice.maxAttemptsPerRecord", .int(0)), Breakage("voice.maxAttemptsPerRecord", .int(101)),
        Breakage("voice.retryPeriodMinutes", .int(0)), Breakage("voice.retryPeriodMinutes", .int(1441)),
        Breakage("voice.maxRingTimeSeconds", .int(4)), Breakage("voice.maxRingTimeSeconds", .int(121)),
        Breakage("voice.maxSkips", nil), Breakage("voice.maxSkips", .int(-1)),
        Breakage("voice.queueName", s("")),
        Breakage("voice.machineDetection", s("maybe")),
        Breakage("voice.machineDetection", s("detect")),  // v2 preview: only off
        Breakage("dncList", s("DNC")), Breakage("dncList.name", nil), Breakage("dncList.name", .int(1)),
        Breakage("schedule.enabled", nil), Breakage("schedule.recurrence", s("no")),
        Breakage("priorty", .int(5)), Breakage("voice.ringTime", .int(5)), Breakage("sms", .object(JSONObject()), field: "sms"),
    ]

    @Test("Each voice rule failing alone (v2 tenant) reports exactly its field", arguments: voiceRules)
    func voiceRuleAlone(_ breakage: Breakage) {
        let body = WriteBodies.voice().setting(Self.pathElements(breakage.path), to: breakage.value)
        let errors = writeErrors(body, .voice, .v2)
        #expect(errors.map(\.field) == [breakage.field], "\(errors)")
        #expect(errors.allSatisfy { !$0.message.isEmpty })
    }

    @Test("The unmodified bodies are valid")
    func baselines() {
        #expect(writeErrors(WriteBodies.voice(), .voice, .v2) == [])
        #expect(writeErrors(WriteBodies.voice(version: .v1), .voice, .v1) == [])
        #expect(writeErrors(WriteBodies.sms(), .sms, .v1) == [])
        #expect(writeErrors(WriteBodies.sms(), .sms, .v2) == [])
    }

    @Test("v1 tenants: disconnect and DNC lists cannot be expressed, so they are refused rather than dropped")
    func v1Limits() {
        let v1 = WriteBodies.voice(version: .v1)
        #expect(writeErrors(v1.setting("voice.machineDetection", to: .string("disconnect")), .voice, .v1).map(\.field)
                == ["voice.machineDetection"])
        #expect(writeErrors(v1.setting("dncList", to: .object(["name": .string("x")])), .voice, .v1).map(\.field) == ["dncList"])
        #expect(writeErrors(v1.setting("voice.useSystemMappings", to: .bool(true)), .voice, .v1).map(\.field)
                == ["voice.useSystemMappings"])
        // Asking for nothing v1 lacks is fine: no DNC list, no system mappings (what a v2 read shows for them).
        #expect(writeErrors(v1.setting("dncList", to: .null), .voice, .v1) == [])
        #expect(writeErrors(v1.setting("voice.useSystemMappings", to: .bool(false)), .voice, .v1) == [])
        #expect(writeErrors(v1.setting("voice.machineDetection", to: .string("detect")), .voice, .v1) == [])
    }

    @Test("Mode-dependent requirements: maxSkips only for preview, queueName not for agentless, agentless v2 detection")
    func modeDependent() {
        let agentless = WriteBodies.voice().setting("voice.dialingMode", to: .string("agentless"))
        #expect(writeErrors(agentless.setting("voice.queueName", to: nil).setting("voice.maxSkips", to: nil), .voice, .v2) == [])
        #expect(writeErrors(agentless.setting("voice.machineDetection", to: .string("disconnect")), .voice, .v2) == [])
        let progressive = WriteBodies.voice().setting("voice.dialingMode", to: .string("progressive"))
        #expect(writeErrors(progressive.setting("voice.maxSkips", to: nil), .voice, .v2) == [])
        // Kore.ai never shows the queue on a read: an update without one keeps it, a create must name it.
        #expect(writeErrors(progressive.setting("voice.queueName", to: nil), .voice, .v2) == [])
        #expect(writeErrors(progressive.setting("voice.queueName", to: nil), .voice, .v2, purpose: .create).map(\.field)
                == ["voice.queueName"])
        let preview = WriteBodies.voice(version: .v1).setting("voice.dialingMode", to: .string("preview"))
        #expect(writeErrors(preview.setting("voice.queueName", to: nil), .voice, .v1) == [])
        #expect(writeErrors(preview.setting("voice.queueName", to: nil), .voice, .v1, purpose: .create).map(\.field)
                == ["voice.queueName"])
        #expect(writeErrors(progressive.setting("voice.machineDetection", to: .string("disconnect")), .voice, .v2).map(\.field)
                == ["voice.machineDetection"])
    }

    @Test("SMS rules")
    func smsRules() {
        let sms = WriteBodies.sms()
        #expect(writeErrors(sms.setting("sms", to: nil), .sms, .v2).map(\.field) == ["sms"])
        #expect(writeErrors(sms.setting("sms.format", to: .string("fancy")), .sms, .v2).map(\.field) == ["sms.format"])
        #expect(writeErrors(sms.setting("sms.text", to: .int(1)), .sms, .v2).map(\.field) == ["sms.text"])
        #expect(writeErrors(sms.setting("sms.template", to: .object(JSONObject())), .sms, .v2).map(\.field) == ["sms.template"])
        #expect(writeErrors(sms.setting("sms.template.id", to: .bool(true)), .sms, .v2).map(\.field) == ["sms.template.id"])
        #expect(writeErrors(sms.setting("voice", to: .object(JSONObject())), .sms, .v2).map(\.field) == ["voice"])
        #expect(writeErrors(sms.setting("sms.experienceFlowId", to: .string("cf-1")), .sms, .v2) == [], "read-only")
        #expect(writeErrors(sms.setting("dncList", to: .object(["name": .string("x")])), .sms, .v2) == [], "optional for SMS")
        #expect(writeErrors(sms.setting("dncList", to: .object(["name": .string("x")])), .sms, .v1).map(\.field) == ["dncList"])
    }

    @Test("Several failures at once are all reported, in the shape's field order")
    func severalAtOnce() {
        var body = WriteBodies.voice()
        body = body.setting("name", to: .string(String(repeating: "x", count: 60)))
        body = body.setting("priority", to: .int(9))
        body = body.setting("callingHours.timezone", to: .string("Nowhere/Land"))
        body = body.setting(["callingHours", "days", "[2]", "start"], to: .string("25:00"))
        body = body.setting("voice.maxRingTimeSeconds", to: .int(500))
        body = body.setting("voice.queueName", to: nil)
        let errors = writeErrors(body, .voice, .v2, purpose: .create)
        #expect(errors.map(\.field) == ["name", "priority", "callingHours.timezone", "callingHours.days[2].start",
                                        "voice.maxRingTimeSeconds", "voice.queueName"])
        #expect(errors.first { $0.field == "priority" }?.message == "must be an integer from 1 to 5")
    }

    static let confusions: [Breakage] = [
        Breakage("name", .int(5)), Breakage("description", .array([])), Breakage("contactLists", s("Recent Buyers")),
        Breakage("contactLists", .object(JSONObject())), Breakage("priority", s("5")), Breakage("priority", .bool(true)),
        Breakage("priority", .number("1e0")), Breakage("priority", .number("99999999999999999999999")),
        Breakage("callerId", .number("18123456789")), Breakage("callingHours", s("weekly")),
        Breakage("callingHours.days", .object(JSONObject())), Breakage("callingHours.days.[0]", s("MO 9-5")),
        Breakage("callingHours.days.[0].start", .int(900)), Breakage("callingHours.timezone", .int(5)),
        Breakage("voice", .array([])), Breakage("voice.maxAttemptsPerRecord", s("3")),
        Breakage("voice.retryPeriodMinutes", .number("10.0")), Breakage("voice.maxRingTimeSeconds", .null, field: "voice.maxRingTimeSeconds"),
        Breakage("voice.machineDetection", .bool(false)), Breakage("voice.queueName", .array([s("q")])),
        Breakage("dncList", s("DNC")), Breakage("schedule", .bool(false)), Breakage("schedule.enabled", s("false")),
    ]

    @Test("Type confusion is a field error, not a crash", arguments: confusions)
    func typeConfusion(_ breakage: Breakage) {
        let body = WriteBodies.voice().setting(Self.pathElements(breakage.path), to: breakage.value)
        #expect(writeErrors(body, .voice, .v2).map(\.field) == [breakage.field])
    }

    @Test("A body that is not an object is one error on the body itself",
          arguments: [JSONValue.null, .array([]), .string("{}"), .int(1), .bool(true)])
    func notAnObject(_ body: JSONValue) {
        #expect(writeErrors(body, .voice, .v1).map(\.field) == [""])
    }

    @Test("Lengths count UTF-16 units as Kore.ai's JavaScript does: 48 emoji-free characters pass")
    func lengths() {
        #expect(writeErrors(WriteBodies.voice().setting("name", to: .string(String(repeating: "é", count: 48))), .voice, .v2) == [])
        #expect(writeErrors(WriteBodies.voice().setting("name", to: .string(String(repeating: "😀", count: 25))), .voice, .v2)
                .map(\.field) == ["name"])
    }

    static func pathElements(_ path: String) -> [String] {
        path.split(separator: ".").map(String.init)
    }
}
