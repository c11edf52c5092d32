import JSONCore
import TextCoding

/// Kore.ai's write body as the checks left it: each member's value, typed, or nil when it is not sent. The checks
/// (`CampaignWriteTranslator` and its section writers) fill it; it is then written once, in Kore.ai's member order,
/// either straight to bytes (the request body: no tree built, freed or reordered) or as a `JSONValue` (tests, the
/// simulator). Both writers follow one member list per type, so they cannot disagree on order.
struct UpstreamCampaignFields {
    /// `dncLists`: `[]` (v2 voice without a DNC list) or the object `{id?, name}`.
    enum DNCLists {
        case none
        case object(id: String?, name: String)
    }

    /// `dialingStrategy.callingHours`.
    struct CallingHours {
        var frequency: String?
        var timezone: String?
        /// Each day: its code and Kore.ai's 12-hour `start` and `end`.
        var days: [(code: String, start: TimeOfDay, end: TimeOfDay)]?
    }

    /// `enableMachineDetect`: a boolean on v1, a string on v2 agentless.
    enum MachineDetection {
        case flag(Bool)
        case setting(String)
    }

    /// `message {message, templateId, template_name}` of an SMS campaign.
    struct SMSMessage {
        var text: String?
        var templateID: String?
        var templateName: String?
        var isEmpty: Bool { text == nil && templateID == nil && templateName == nil }
    }

    var name: String?
    var description: String?
    var contactLists: [String]?
    var dncLists: DNCLists?
    var priority: Int?
    var dialingMode: String?
    var format: String?
    // dialingStrategy, in Kore.ai's member order.
    var callerID: String?
    var callingHours: CallingHours?
    var dialingOrder: String?
    var maxAttemptsPerRecord: Int?
    var defaultRetryPeriod: Int?
    var maxRingTime: Int?
    var useSystemMappings: Bool?
    var message: SMSMessage?
    /// `schedule {isSchedulingEnabled, isRecurrenceEnabled}`: present whenever the caller sent a schedule object.
    var schedule: (enabled: Bool?, recurrence: Bool?)?
    var queueName: String?
    var experienceFlowName: String?
    var machineDetection: MachineDetection?
    var maxSkips: Int?

    /// Kore.ai's top-level members in its samples' order (seed 004 for voice), which makes bodies easy to compare
    /// by eye.
    enum Member {
        case name, description, contactLists, dncLists, priority, dialingMode, format, dialingStrategy, message
        case schedule, queueName, experienceFlowName, enableMachineDetect, maxSkips, campaignType
    }

    static func order(_ type: CampaignType) -> [Member] {
        switch type {
        case .voice: return voiceOrder
        case .sms: return smsOrder
        }
    }
    private static let voiceOrder: [Member] = [
        .name, .description, .contactLists, .dncLists, .priority, .dialingMode, .dialingStrategy, .schedule, .queueName,
        .experienceFlowName, .enableMachineDetect, .maxSkips, .campaignType,
    ]
    private static let smsOrder: [Member] = [
        .name, .description, .contactLists, .dncLists, .priority, .format, .dialingStrategy, .message, .schedule,
        .experienceFlowName, .campaignType,
    ]
}

// MARK: - Bytes

extension UpstreamCampaignFields {
    /// Kore.ai's body as compact JSON, exactly the bytes `JSONWriter` writes for `tree(type:)`: sized once (room for
    /// every string at its longest escaped form, and the keys and numbers), written in place, cut to length.
    func bytes(type: CampaignType) -> [UInt8] {
        let room = byteRoom
        let written = [UInt8](unsafeUninitializedCapacity: room) { buffer, initialized in
            var out = BoundedBytes(buffer)
            write(type: type, into: &out)
            initialized = out.overflowed ? 0 : out.count
        }
        // Cannot happen with the room above; should it ever, the tree's writer gives the same bytes.
        return written.isEmpty ? tree(type: type).bytes : written
    }

    /// An upper bound on the body's length: each string's longest literal, and 1,024 for every key, bracket,
    /// number and literal Kore.ai's body can hold besides (about 700 at most).
    private var byteRoom: Int {
        var room = 1_024
        func add(_ text: String?) {
            if let text { room += JSONStringEscaping.maxLiteralCount(utf8Count: text.utf8.count) }
        }
        add(name)
        add(description)
        for list in contactLists ?? [] { room += 1 + JSONStringEscaping.maxLiteralCount(utf8Count: list.utf8.count) }
        if case .object(let id, let name)? = dncLists { add(id); add(name) }
        add(dialingMode)
        add(format)
        add(callerID)
        add(callingHours?.frequency)
        add(callingHours?.timezone)
        // A day is at most `{"day":,"start":"12:00 PM","end":"12:00 PM"},` and its code.
        for day in callingHours?.days ?? [] { room += 48 + JSONStringEscaping.maxLiteralCount(utf8Count: day.code.utf8.count) }
        add(dialingOrder)
        add(message?.text)
        add(message?.templateID)
        add(message?.templateName)
        add(queueName)
        add(experienceFlowName)
        if case .setting(let setting)? = machineDetection { add(setting) }
        return room
    }

    private func write(type: CampaignType, into out: inout BoundedBytes) {
        out.append(UInt8(ascii: "{"))
        var first = true
        func key(_ name: StaticString, _ out: inout BoundedBytes) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(name)
            out.append("\":")
        }
        for member in Self.order(type) {
            switch member {
            case .name:
                if let name { key("name", &out); out.appendLiteral(name) }
            case .description:
                if let description { key("description", &out); out.appendLiteral(description) }
            case .contactLists:
                if let contactLists {
                    key("contactLists", &out)
                    out.append(UInt8(ascii: "["))
                    for (index, list) in contactLists.enumerated() {
                        if index > 0 { out.append(UInt8(ascii: ",")) }
                        out.appendLiteral(list)
                    }
                    out.append(UInt8(ascii: "]"))
                }
            case .dncLists:
                switch dncLists {
                case nil: break
                case .none?:
                    key("dncLists", &out)
                    out.append("[]")
                case .object(let id, let name)?:
                    key("dncLists", &out)
                    if let id {
                        out.append("{\"id\":")
                        out.appendLiteral(id)
                        out.append(",\"name\":")
                    } else {
                        out.append("{\"name\":")
                    }
                    out.appendLiteral(name)
                    out.append(UInt8(ascii: "}"))
                }
            case .priority:
                if let priority {
                    key("priority", &out)
                    out.append(UInt8(ascii: "\""))
                    out.append(decimal: priority)
                    out.append(UInt8(ascii: "\""))
                }
            case .dialingMode:
                if let dialingMode { key("dialingMode", &out); out.appendLiteral(dialingMode) }
            case .format:
                if let format { key("format", &out); out.appendLiteral(format) }
            case .dialingStrategy:
                key("dialingStrategy", &out)
                writeDialingStrategy(&out)
            case .message:
                if let message, !message.isEmpty {
                    key("message", &out)
                    var inner = ObjectMembers()
                    if let text = message.text { inner.key("message", &out); out.appendLiteral(text) }
                    if let id = message.templateID { inner.key("templateId", &out); out.appendLiteral(id) }
                    if let name = message.templateName { inner.key("template_name", &out); out.appendLiteral(name) }
                    inner.close(&out)
                }
            case .schedule:
                if let schedule {
                    key("schedule", &out)
                    var inner = ObjectMembers()
                    if let enabled = schedule.enabled { inner.key("isSchedulingEnabled", &out); out.append(bool: enabled) }
                    if let recurrence = schedule.recurrence {
                        inner.key("isRecurrenceEnabled", &out)
                        out.append(bool: recurrence)
                    }
                    inner.close(&out)
                }
            case .queueName:
                if let queueName { key("queue_name", &out); out.appendLiteral(queueName) }
            case .experienceFlowName:
                if let experienceFlowName { key("experienceFlowName", &out); out.appendLiteral(experienceFlowName) }
            case .enableMachineDetect:
                switch machineDetection {
                case nil: break
                case .flag(let flag)?: key("enableMachineDetect", &out); out.append(bool: flag)
                case .setting(let setting)?: key("enableMachineDetect", &out); out.appendLiteral(setting)
                }
            case .maxSkips:
                if let maxSkips { key("maxSkips", &out); out.append(decimal: maxSkips) }
            case .campaignType:
                key("campaignType", &out)
                out.appendLiteral(type.rawValue)
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// `{"callerId":{"phoneNumber":...},"callingHours":{...},"dialingOrder":...,...}`: the members set, in the order
    /// the checks set them.
    private func writeDialingStrategy(_ out: inout BoundedBytes) {
        var members = ObjectMembers()
        if let callerID {
            members.key("callerId", &out)
            out.append("{\"phoneNumber\":")
            out.appendLiteral(callerID)
            out.append(UInt8(ascii: "}"))
        }
        if let callingHours {
            members.key("callingHours", &out)
            var hours = ObjectMembers()
            if let frequency = callingHours.frequency { hours.key("frequency", &out); out.appendLiteral(frequency) }
            if let timezone = callingHours.timezone { hours.key("timezone", &out); out.appendLiteral(timezone) }
            if let days = callingHours.days {
                hours.key("days", &out)
                out.append(UInt8(ascii: "["))
                for (index, day) in days.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    out.append("{\"day\":")
                    out.appendLiteral(day.code)
                    out.append(",\"start\":\"")
                    out.append(twelveHour: day.start)
                    out.append("\",\"end\":\"")
                    out.append(twelveHour: day.end)
                    out.append("\"}")
                }
                out.append(UInt8(ascii: "]"))
            }
            hours.close(&out)
        }
        if let dialingOrder { members.key("dialingOrder", &out); out.appendLiteral(dialingOrder) }
        if let maxAttemptsPerRecord { members.key("maxAttemptsPerRecord", &out); out.append(decimal: maxAttemptsPerRecord) }
        if let defaultRetryPeriod { members.key("defaultRetryPeriod", &out); out.append(decimal: defaultRetryPeriod) }
        if let maxRingTime { members.key("maxRingTime", &out); out.append(decimal: maxRingTime) }
        if let useSystemMappings { members.key("useSystemMappings", &out); out.append(bool: useSystemMappings) }
        members.close(&out)
    }

    /// An object being written member by member: its `{` comes with the first key, so an object with no members
    /// closes as `{}`.
    private struct ObjectMembers {
        private var opened = false

        mutating func key(_ name: StaticString, _ out: inout BoundedBytes) {
            out.append(opened ? UInt8(ascii: ",") : UInt8(ascii: "{"))
            opened = true
            out.append(UInt8(ascii: "\""))
            out.append(name)
            out.append("\":")
        }

        func close(_ out: inout BoundedBytes) {
            if !opened { out.append(UInt8(ascii: "{")) }
            out.append(UInt8(ascii: "}"))
        }
    }
}

/// Bytes written into a buffer of fixed size (an array's uninitialized storage), every write checked against the
/// room left: a write that does not fit is dropped and marks the output `overflowed`, which the caller checks.
/// No growth, no uniqueness check or reallocation per write.
struct BoundedBytes {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0
    private(set) var overflowed = false

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    private var room: Int { buffer.count - count }

    mutating func append(_ byte: UInt8) {
        guard room >= 1 else { overflowed = true; return }
        buffer[count] = byte
        count += 1
    }

    mutating func append(_ text: StaticString) {
        let n = text.utf8CodeUnitCount
        guard n <= room, let target = buffer.baseAddress else { overflowed = true; return }
        (target + count).update(from: text.utf8Start, count: n)
        count += n
    }

    mutating func append(bool flag: Bool) {
        append(flag ? "true" : "false")
    }

    /// A decimal integer as `String(value)` spells it (`Int.min` included).
    mutating func append(decimal value: Int) {
        // At most 20 bytes ("-9223372036854775808"), written backwards into a small scratch word.
        guard room >= 20 else { overflowed = true; return }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let length = withUnsafeMutableBytes(of: &digits) { scratch -> Int in
            var at = scratch.count
            repeat {
                at -= 1
                scratch[at] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                at -= 1
                scratch[at] = UInt8(ascii: "-")
            }
            let length = scratch.count - at
            for i in 0..<length { buffer[count + i] = scratch[at + i] }
            return length
        }
        count += length
    }

    /// `text` as a JSON string literal, quotes included, by the one escaper: text that needs no escaping (nearly
    /// all) is its quotes and one copy.
    mutating func appendLiteral(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            if ByteScan.jsonEscapeIndex(bytes, from: 0) == bytes.count {
                guard bytes.count <= room - 2, let target = buffer.baseAddress else { overflowed = true; return }
                target[count] = UInt8(ascii: "\"")
                if let source = bytes.baseAddress { (target + count + 1).update(from: source, count: bytes.count) }
                target[count + 1 + bytes.count] = UInt8(ascii: "\"")
                count += bytes.count + 2
            } else {
                guard JSONStringEscaping.maxLiteralCount(utf8Count: bytes.count) <= room else {
                    overflowed = true
                    return
                }
                var index = count
                JSONStringEscaping.write(utf8: bytes, into: buffer, at: &index)
                count = index
            }
        }
    }

    /// `9:00 AM` (no quotes), the way Kore.ai's samples spell it (`TimeOfDay.twelveHour`).
    mutating func append(twelveHour time: TimeOfDay) {
        guard room >= 8 else { overflowed = true; return }
        let hour24 = time.minutes / 60
        let hour12 = hour24 % 12 == 0 ? 12 : hour24 % 12
        let minute = time.minutes % 60
        if hour12 >= 10 { append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: hour12 / 10)) }
        append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: hour12 % 10))
        append(UInt8(ascii: ":"))
        append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: minute / 10))
        append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: minute % 10))
        append(hour24 < 12 ? " AM" : " PM")
    }
}

// MARK: - Tree

extension UpstreamCampaignFields {
    /// Kore.ai's body as a value, the members in the same order as `bytes(type:)`.
    func tree(type: CampaignType) -> JSONValue {
        var out: [(String, JSONValue)] = []
        for member in Self.order(type) {
            switch member {
            case .name: if let name { out.append(("name", .string(name))) }
            case .description: if let description { out.append(("description", .string(description))) }
            case .contactLists: if let contactLists { out.append(("contactLists", .array(contactLists.map(JSONValue.string)))) }
            case .dncLists:
                switch dncLists {
                case nil: break
                case .none?: out.append(("dncLists", .array([])))
                case .object(let id, let name)?:
                    var dnc: [(String, JSONValue)] = []
                    if let id { dnc.append(("id", .string(id))) }
                    dnc.append(("name", .string(name)))
                    out.append(("dncLists", .object(JSONObject(dnc))))
                }
            case .priority: if let priority { out.append(("priority", .string(String(priority)))) }
            case .dialingMode: if let dialingMode { out.append(("dialingMode", .string(dialingMode))) }
            case .format: if let format { out.append(("format", .string(format))) }
            case .dialingStrategy: out.append(("dialingStrategy", .object(JSONObject(dialingStrategyMembers))))
            case .message:
                if let message, !message.isEmpty {
                    var members: [(String, JSONValue)] = []
                    if let text = message.text { members.append(("message", .string(text))) }
                    if let id = message.templateID { members.append(("templateId", .string(id))) }
                    if let name = message.templateName { members.append(("template_name", .string(name))) }
                    out.append(("message", .object(JSONObject(members))))
                }
            case .schedule:
                if let schedule {
                    var members: [(String, JSONValue)] = []
                    if let enabled = schedule.enabled { members.append(("isSchedulingEnabled", .bool(enabled))) }
                    if let recurrence = schedule.recurrence { members.append(("isRecurrenceEnabled", .bool(recurrence))) }
                    out.append(("schedule", .object(JSONObject(members))))
                }
            case .queueName: if let queueName { out.append(("queue_name", .string(queueName))) }
            case .experienceFlowName: if let experienceFlowName { out.append(("experienceFlowName", .string(experienceFlowName))) }
            case .enableMachineDetect:
                switch machineDetection {
                case nil: break
                case .flag(let flag)?: out.append(("enableMachineDetect", .bool(flag)))
                case .setting(let setting)?: out.append(("enableMachineDetect", .string(setting)))
                }
            case .maxSkips: if let maxSkips { out.append(("maxSkips", .int(maxSkips))) }
            case .campaignType: out.append(("campaignType", .string(type.rawValue)))
            }
        }
        return .object(JSONObject(out))
    }

    private var dialingStrategyMembers: [(String, JSONValue)] {
        var members: [(String, JSONValue)] = []
        if let callerID { members.append(("callerId", .object(["phoneNumber": .string(callerID)]))) }
        if let callingHours {
            var hours: [(String, JSONValue)] = []
            if let frequency = callingHours.frequency { hours.append(("frequency", .string(frequency))) }
            if let timezone = callingHours.timezone { hours.append(("timezone", .string(timezone))) }
            if let days = callingHours.days {
                hours.append(("days", .array(days.map { day in
                    .object(["day": .string(day.code), "start": .string(day.start.twelveHour),
                             "end": .string(day.end.twelveHour)])
                })))
            }
            members.append(("callingHours", .object(JSONObject(hours))))
        }
        if let dialingOrder { members.append(("dialingOrder", .string(dialingOrder))) }
        if let maxAttemptsPerRecord { members.append(("maxAttemptsPerRecord", .int(maxAttemptsPerRecord))) }
        if let defaultRetryPeriod { members.append(("defaultRetryPeriod", .int(defaultRetryPeriod))) }
        if let maxRingTime { members.append(("maxRingTime", .int(maxRingTime))) }
        if let useSystemMappings { members.append(("useSystemMappings", .bool(useSystemMappings))) }
        return members
    }
}
