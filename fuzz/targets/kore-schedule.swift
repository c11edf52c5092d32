import Foundation
import JSONCore
import KoreAdapter

// Target `kore-schedule`: both directions of `ScheduleTranslator`. The first byte picks the direction and the rest:
// - even: Kore.ai's schedule answer through `normalizedAnswer(upstreamBody:id:type:name:requested:)`, as enabling
//   (with a valid normalized schedule as what was sent) or disabling (nothing sent), with or without a known name;
// - odd: a caller's normalized schedule through `upstreamBody(fromNormalized:)` (inputs JSONReader rejects return early).
//
// Oracles: no crash; deterministic. Answer: `{"schedule": {id, type, enabled, start, end, recurrence}, "message"}`
// with the route's id and type, `enabled` true exactly when a schedule was sent, its details echoing what was sent
// (null when disabling), a non-empty message, and Foundation reading it alike; a failure's text stays short.
// Translation: a success is exactly `{startDateTime, endDateTime, recurrenceObject}` with `YYYY-MM-DD HH:MM:SS`
// times, start before end, and a Daily or Weekly recurrence with an interval of at least 1 (and days for Weekly); a
// failure names at least one field.

let fuzzPrefixBytes = 1
let sentSchedule: JSONValue = .object([
    "start": .string("2026-01-05T09:00"), "end": .string("2026-03-31T18:00:30"),
    "recurrence": .object(["every": .string("week"), "interval": .int(2), "days": .array([.string("MO"), .string("FR")])]),
])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= fuzzPrefixBytes else { return 0 }
    let selector = Int(data[0])
    let body = Array(UnsafeBufferPointer(start: data + fuzzPrefixBytes, count: size - fuzzPrefixBytes))
    if selector % 2 == 0 {
        answer(body, type: CampaignType.allCases[(selector / 2) % 2], requested: (selector / 4) % 2 == 0 ? sentSchedule : nil,
               name: (selector / 8) % 2 == 0 ? nil : "Known Name")
    } else {
        translate(body)
    }
    return 0
}

func answer(_ body: [UInt8], type: CampaignType, requested: JSONValue?, name: String?) {
    func run() -> Result<[UInt8], NormalizationError> {
        do {
            return .success(try ScheduleTranslator.normalizedAnswer(upstreamBody: body, id: "cd-route-id", type: type, name: name, requested: requested))
        } catch {
            return .failure(error)
        }
    }
    let result = run()
    Fuzz.check(result == run(), "normalizedAnswer is not deterministic")
    switch result {
    case .failure(.notJSON(let text)), .failure(.unexpectedShape(let text)):
        Fuzz.check(text.utf8.count <= 160, "error text of \(text.utf8.count) bytes: \(text)")
    case .success(let bytes):
        guard let envelope = try? JSONReader.parse(bytes), let object = envelope.objectValue else {
            Fuzz.fail("answer is not a JSON object: \(String(decoding: bytes, as: UTF8.self))")
        }
        Fuzz.check(object.keys == ["schedule", "message"], "answer keys \(object.keys)")
        Fuzz.check(object["message"]?.stringValue?.isEmpty == false, "message is not a non-empty string")
        guard let schedule = object["schedule"]?.objectValue else { Fuzz.fail("schedule is not an object") }
        Fuzz.check(schedule.keys == ["id", "type", "enabled", "start", "end", "recurrence"], "schedule keys \(schedule.keys)")
        Fuzz.check(schedule["id"] == .string("cd-route-id") && schedule["type"] == .string(type.rawValue), "id or type changed")
        Fuzz.check(schedule["enabled"] == .bool(requested != nil), "enabled \(String(describing: schedule["enabled"]))")
        for key in ["start", "end", "recurrence"] {
            Fuzz.check(schedule[key] == (requested?[key] ?? .null), "\(key) does not echo what was sent")
        }
        if foundationComparable(envelope) {
            let foundation = try? JSONSerialization.jsonObject(with: Data(bytes))
            Fuzz.check(foundation.map { matches(envelope, $0) } ?? false, "Foundation reads the answer differently")
        }
    }
}

func translate(_ body: [UInt8]) {
    guard let normalized = try? JSONReader.parse(body) else { return }
    let result = ScheduleTranslator.upstreamBody(fromNormalized: normalized)
    Fuzz.check(result == ScheduleTranslator.upstreamBody(fromNormalized: normalized), "translation is not deterministic")
    switch result {
    case .failure(let failure):
        Fuzz.check(!failure.errors.isEmpty, "a refusal without a field error")
    case .success(let bytes):
        guard let upstream = try? JSONReader.parse(bytes), let object = upstream.objectValue else {
            Fuzz.fail("translation is not a JSON object: \(String(decoding: bytes, as: UTF8.self))")
        }
        Fuzz.check(object.keys == ["startDateTime", "endDateTime", "recurrenceObject"], "keys \(object.keys)")
        guard let start = object["startDateTime"]?.stringValue, let end = object["endDateTime"]?.stringValue,
              isKoreDateTime(start), isKoreDateTime(end) else {
            Fuzz.fail("times \(String(describing: object["startDateTime"])) \(String(describing: object["endDateTime"]))")
        }
        Fuzz.check(start < end, "start \(start) is not before end \(end)")
        let recurrence = object["recurrenceObject"]
        switch recurrence?["recurType"]?.stringValue {
        case "Daily":
            Fuzz.check((recurrence?["dailyDetails"]?["onceEveryNdays"]?.intValue ?? 0) >= 1, "daily interval")
        case "Weekly":
            Fuzz.check((recurrence?["weeklyDetails"]?["onceEveryNweeks"]?.intValue ?? 0) >= 1, "weekly interval")
            Fuzz.check(recurrence?["weeklyDetails"]?["whichDays"]?.arrayValue?.isEmpty == false, "weekly without days")
        default:
            Fuzz.fail("recurrence \(String(describing: recurrence))")
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS`, digits where digits go.
func isKoreDateTime(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard bytes.count == 19 else { return false }
    for (i, b) in bytes.enumerated() {
        switch i {
        case 4, 7: if b != UInt8(ascii: "-") { return false }
        case 10: if b != UInt8(ascii: " ") { return false }
        case 13, 16: if b != UInt8(ascii: ":") { return false }
        default: if !(b >= 48 && b <= 57) { return false }
        }
    }
    return true
}
