/// The member names the byte normalizer's writers ask for, each a small number below 64. An object's members are
/// resolved to them once, when its cursor is made (`identify`: a perfect hash of the first eight bytes and the
/// length gives the one candidate, whose word and length are then compared, and the rest for longer names), so a lookup is one read of the cursor's slot table instead of a search, and
/// a known name twice is one bit already set.
///
/// The words below are the names' first eight bytes read little-endian (`ScannedMember.prefix`);
/// `KnownKeyTests` holds `identify` to `spelling` for every case and to nil for every near miss.
enum KnownKey: UInt8, CaseIterable {
    case _id
    case callerId
    case callingHours
    case campId
    case campaignInstanceId
    case campaignType
    case connection
    case contactLists
    case createdAt
    case data
    case day
    case days
    case defaultRetryPeriod
    case `description`
    case dialingMode
    case dialingOrder
    case dialingStrategy
    case dncLists
    case enableMachineDetect
    case end
    case experienceFlow
    case experienceFlowName
    case format
    case frequency
    case hasMore
    case id
    case isFiltersEnabled
    case isImported
    case isRecurrenceEnabled
    case isSchedulingEnabled
    case lname
    case maxAttemptsPerRecord
    case maxRingTime
    case maxSkips
    case message
    case name
    case phoneNumber
    case priority
    case queue_name
    case results
    case schedule
    case start
    case status
    case templateId
    case template_name
    case timezone
    case totalPages
    case totalResults
    case `type`
    case updatedAt
    case useSystemMappings

    /// The name as Kore.ai spells it.
    var spelling: StaticString {
        switch self {
        case ._id: return "_id"
        case .callerId: return "callerId"
        case .callingHours: return "callingHours"
        case .campId: return "campId"
        case .campaignInstanceId: return "campaignInstanceId"
        case .campaignType: return "campaignType"
        case .connection: return "connection"
        case .contactLists: return "contactLists"
        case .createdAt: return "createdAt"
        case .data: return "data"
        case .day: return "day"
        case .days: return "days"
        case .defaultRetryPeriod: return "defaultRetryPeriod"
        case .`description`: return "description"
        case .dialingMode: return "dialingMode"
        case .dialingOrder: return "dialingOrder"
        case .dialingStrategy: return "dialingStrategy"
        case .dncLists: return "dncLists"
        case .enableMachineDetect: return "enableMachineDetect"
        case .end: return "end"
        case .experienceFlow: return "experienceFlow"
        case .experienceFlowName: return "experienceFlowName"
        case .format: return "format"
        case .frequency: return "frequency"
        case .hasMore: return "hasMore"
        case .id: return "id"
        case .isFiltersEnabled: return "isFiltersEnabled"
        case .isImported: return "isImported"
        case .isRecurrenceEnabled: return "isRecurrenceEnabled"
        case .isSchedulingEnabled: return "isSchedulingEnabled"
        case .lname: return "lname"
        case .maxAttemptsPerRecord: return "maxAttemptsPerRecord"
        case .maxRingTime: return "maxRingTime"
        case .maxSkips: return "maxSkips"
        case .message: return "message"
        case .name: return "name"
        case .phoneNumber: return "phoneNumber"
        case .priority: return "priority"
        case .queue_name: return "queue_name"
        case .results: return "results"
        case .schedule: return "schedule"
        case .start: return "start"
        case .status: return "status"
        case .templateId: return "templateId"
        case .template_name: return "template_name"
        case .timezone: return "timezone"
        case .totalPages: return "totalPages"
        case .totalResults: return "totalResults"
        case .`type`: return "type"
        case .updatedAt: return "updatedAt"
        case .useSystemMappings: return "useSystemMappings"
        }
    }

    /// The known name the key `key` of `bytes` spells (its first eight bytes are `prefix`, zeros after a shorter
    /// key), or nil.
    static func identify(_ bytes: UnsafeBufferPointer<UInt8>, _ key: Range<Int>, prefix: UInt64) -> KnownKey? {
        guard let candidate = candidate(slot: slot(prefix: prefix, length: key.count)),
              candidate.prefixWord == prefix, candidate.length == key.count else { return nil }
        guard key.count > 8 else { return candidate }
        // Bytes 8 to 15 and 16 to 23 as words (zeros after the key's end), compared with the name's.
        let rest = candidate.restWords
        let second = ScannedMember.prefix(bytes, (key.lowerBound + 8)..<Swift.min(key.upperBound, key.lowerBound + 16))
        guard second == rest.second else { return nil }
        guard key.count > 16 else { return candidate }
        return ScannedMember.prefix(bytes, (key.lowerBound + 16)..<key.upperBound) == rest.third ? candidate : nil
    }

    /// Bytes 8 to 15 and 16 to 23 of the name as words, little-endian, zeros past its end.
    private var restWords: (second: UInt64, third: UInt64) {
        switch self {
        case .callingHours: return (0x7372756F, 0x0)  // callingHours
        case .campaignInstanceId: return (0x65636E6174736E49, 0x6449)  // campaignInstanceId
        case .campaignType: return (0x65707954, 0x0)  // campaignType
        case .connection: return (0x6E6F, 0x0)  // connection
        case .contactLists: return (0x73747369, 0x0)  // contactLists
        case .createdAt: return (0x74, 0x0)  // createdAt
        case .defaultRetryPeriod: return (0x6972655079727465, 0x646F)  // defaultRetryPeriod
        case .`description`: return (0x6E6F69, 0x0)  // description
        case .dialingMode: return (0x65646F, 0x0)  // dialingMode
        case .dialingOrder: return (0x72656472, 0x0)  // dialingOrder
        case .dialingStrategy: return (0x79676574617274, 0x0)  // dialingStrategy
        case .enableMachineDetect: return (0x746544656E696863, 0x746365)  // enableMachineDetect
        case .experienceFlow: return (0x776F6C466563, 0x0)  // experienceFlow
        case .experienceFlowName: return (0x614E776F6C466563, 0x656D)  // experienceFlowName
        case .frequency: return (0x79, 0x0)  // frequency
        case .isFiltersEnabled: return (0x64656C62616E4573, 0x0)  // isFiltersEnabled
        case .isImported: return (0x6465, 0x0)  // isImported
        case .isRecurrenceEnabled: return (0x62616E4565636E65, 0x64656C)  // isRecurrenceEnabled
        case .isSchedulingEnabled: return (0x62616E45676E696C, 0x64656C)  // isSchedulingEnabled
        case .maxAttemptsPerRecord: return (0x6552726550737470, 0x64726F63)  // maxAttemptsPerRecord
        case .maxRingTime: return (0x656D69, 0x0)  // maxRingTime
        case .phoneNumber: return (0x726562, 0x0)  // phoneNumber
        case .queue_name: return (0x656D, 0x0)  // queue_name
        case .templateId: return (0x6449, 0x0)  // templateId
        case .template_name: return (0x656D616E5F, 0x0)  // template_name
        case .totalPages: return (0x7365, 0x0)  // totalPages
        case .totalResults: return (0x73746C75, 0x0)  // totalResults
        case .updatedAt: return (0x74, 0x0)  // updatedAt
        case .useSystemMappings: return (0x676E697070614D6D, 0x73)  // useSystemMappings
        default: return (0, 0)
        }
    }

    // MARK: the perfect hash (generated: the multiplier is the first found, by trying odd words, that sends the 51
    // names' (first word, length) pairs to 51 different slots of 128)

    /// The slot of a name of `length` bytes whose first eight bytes (zeros after a shorter name) are `prefix`.
    @inline(__always)
    static func slot(prefix: UInt64, length: Int) -> Int {
        let mixed = prefix ^ (UInt64(truncatingIfNeeded: length) &* 0x9E37_79B9_7F4A_7C15)
        return Int(truncatingIfNeeded: (mixed &* 0xA308_DD5B_74EC_F913) >> 57)
    }

    /// The one name whose slot is `slot`, if any: the only candidate for a key that hashes there.
    static func candidate(slot: Int) -> KnownKey? {
        switch slot {
        case 1: return .dialingMode  // dialingMode
        case 8: return .phoneNumber  // phoneNumber
        case 15: return .dialingOrder  // dialingOrder
        case 16: return .dialingStrategy  // dialingStrategy
        case 17: return .`description`  // description
        case 18: return .hasMore  // hasMore
        case 20: return .data  // data
        case 22: return ._id  // _id
        case 31: return .schedule  // schedule
        case 32: return .end  // end
        case 33: return .isFiltersEnabled  // isFiltersEnabled
        case 34: return .id  // id
        case 35: return .dncLists  // dncLists
        case 36: return .experienceFlowName  // experienceFlowName
        case 37: return .timezone  // timezone
        case 40: return .frequency  // frequency
        case 42: return .createdAt  // createdAt
        case 43: return .campId  // campId
        case 48: return .maxAttemptsPerRecord  // maxAttemptsPerRecord
        case 49: return .updatedAt  // updatedAt
        case 53: return .format  // format
        case 55: return .templateId  // templateId
        case 57: return .isImported  // isImported
        case 58: return .campaignType  // campaignType
        case 59: return .results  // results
        case 60: return .template_name  // template_name
        case 61: return .totalResults  // totalResults
        case 62: return .name  // name
        case 63: return .isRecurrenceEnabled  // isRecurrenceEnabled
        case 65: return .isSchedulingEnabled  // isSchedulingEnabled
        case 67: return .maxSkips  // maxSkips
        case 68: return .contactLists  // contactLists
        case 71: return .day  // day
        case 72: return .callingHours  // callingHours
        case 73: return .useSystemMappings  // useSystemMappings
        case 76: return .callerId  // callerId
        case 77: return .defaultRetryPeriod  // defaultRetryPeriod
        case 85: return .totalPages  // totalPages
        case 86: return .lname  // lname
        case 89: return .enableMachineDetect  // enableMachineDetect
        case 90: return .maxRingTime  // maxRingTime
        case 97: return .connection  // connection
        case 102: return .priority  // priority
        case 103: return .`type`  // type
        case 113: return .start  // start
        case 116: return .campaignInstanceId  // campaignInstanceId
        case 117: return .days  // days
        case 119: return .queue_name  // queue_name
        case 121: return .message  // message
        case 122: return .experienceFlow  // experienceFlow
        case 123: return .status  // status
        default: return nil
        }
    }

    /// The name's first eight bytes as a word (`ScannedMember.prefix` of its spelling) and its length.
    var prefixWord: UInt64 {
        switch self {
        case ._id: return 0x64695F  // _id
        case .callerId: return 0x644972656C6C6163  // callerId
        case .callingHours: return 0x48676E696C6C6163  // callingHours
        case .campId: return 0x6449706D6163  // campId
        case .campaignInstanceId: return 0x6E676961706D6163  // campaignInstanceId
        case .campaignType: return 0x6E676961706D6163  // campaignType
        case .connection: return 0x697463656E6E6F63  // connection
        case .contactLists: return 0x4C746361746E6F63  // contactLists
        case .createdAt: return 0x4164657461657263  // createdAt
        case .data: return 0x61746164  // data
        case .day: return 0x796164  // day
        case .days: return 0x73796164  // days
        case .defaultRetryPeriod: return 0x52746C7561666564  // defaultRetryPeriod
        case .`description`: return 0x7470697263736564  // description
        case .dialingMode: return 0x4D676E696C616964  // dialingMode
        case .dialingOrder: return 0x4F676E696C616964  // dialingOrder
        case .dialingStrategy: return 0x53676E696C616964  // dialingStrategy
        case .dncLists: return 0x737473694C636E64  // dncLists
        case .enableMachineDetect: return 0x614D656C62616E65  // enableMachineDetect
        case .end: return 0x646E65  // end
        case .experienceFlow: return 0x6E65697265707865  // experienceFlow
        case .experienceFlowName: return 0x6E65697265707865  // experienceFlowName
        case .format: return 0x74616D726F66  // format
        case .frequency: return 0x636E657571657266  // frequency
        case .hasMore: return 0x65726F4D736168  // hasMore
        case .id: return 0x6469  // id
        case .isFiltersEnabled: return 0x7265746C69467369  // isFiltersEnabled
        case .isImported: return 0x74726F706D497369  // isImported
        case .isRecurrenceEnabled: return 0x7272756365527369  // isRecurrenceEnabled
        case .isSchedulingEnabled: return 0x7564656863537369  // isSchedulingEnabled
        case .lname: return 0x656D616E6C  // lname
        case .maxAttemptsPerRecord: return 0x6D6574744178616D  // maxAttemptsPerRecord
        case .maxRingTime: return 0x54676E695278616D  // maxRingTime
        case .maxSkips: return 0x7370696B5378616D  // maxSkips
        case .message: return 0x6567617373656D  // message
        case .name: return 0x656D616E  // name
        case .phoneNumber: return 0x6D754E656E6F6870  // phoneNumber
        case .priority: return 0x797469726F697270  // priority
        case .queue_name: return 0x616E5F6575657571  // queue_name
        case .results: return 0x73746C75736572  // results
        case .schedule: return 0x656C756465686373  // schedule
        case .start: return 0x7472617473  // start
        case .status: return 0x737574617473  // status
        case .templateId: return 0x6574616C706D6574  // templateId
        case .template_name: return 0x6574616C706D6574  // template_name
        case .timezone: return 0x656E6F7A656D6974  // timezone
        case .totalPages: return 0x6761506C61746F74  // totalPages
        case .totalResults: return 0x7365526C61746F74  // totalResults
        case .`type`: return 0x65707974  // type
        case .updatedAt: return 0x4164657461647075  // updatedAt
        case .useSystemMappings: return 0x6574737953657375  // useSystemMappings
        }
    }

    var length: Int {
        switch self {
        case ._id: return 3
        case .callerId: return 8
        case .callingHours: return 12
        case .campId: return 6
        case .campaignInstanceId: return 18
        case .campaignType: return 12
        case .connection: return 10
        case .contactLists: return 12
        case .createdAt: return 9
        case .data: return 4
        case .day: return 3
        case .days: return 4
        case .defaultRetryPeriod: return 18
        case .`description`: return 11
        case .dialingMode: return 11
        case .dialingOrder: return 12
        case .dialingStrategy: return 15
        case .dncLists: return 8
        case .enableMachineDetect: return 19
        case .end: return 3
        case .experienceFlow: return 14
        case .experienceFlowName: return 18
        case .format: return 6
        case .frequency: return 9
        case .hasMore: return 7
        case .id: return 2
        case .isFiltersEnabled: return 16
        case .isImported: return 10
        case .isRecurrenceEnabled: return 19
        case .isSchedulingEnabled: return 19
        case .lname: return 5
        case .maxAttemptsPerRecord: return 20
        case .maxRingTime: return 11
        case .maxSkips: return 8
        case .message: return 7
        case .name: return 4
        case .phoneNumber: return 11
        case .priority: return 8
        case .queue_name: return 10
        case .results: return 7
        case .schedule: return 8
        case .start: return 5
        case .status: return 6
        case .templateId: return 10
        case .template_name: return 13
        case .timezone: return 8
        case .totalPages: return 10
        case .totalResults: return 12
        case .`type`: return 4
        case .updatedAt: return 9
        case .useSystemMappings: return 17
        }
    }
}
