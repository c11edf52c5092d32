/// The member names the byte normalizer's writers ask for, each a small number below 64. An object's members are
/// resolved to them once, when its cursor is made (`identify`: a switch on the length and the first eight bytes,
/// the rest compared for longer names), so a lookup is one read of the cursor's slot table instead of a search, and
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
        let candidate: KnownKey
        switch key.count {
        case 2:
            switch prefix {
            case 0x6469: candidate = .id  // id
            default: return nil
            }
        case 3:
            switch prefix {
            case 0x64695F: candidate = ._id  // _id
            case 0x796164: candidate = .day  // day
            case 0x646E65: candidate = .end  // end
            default: return nil
            }
        case 4:
            switch prefix {
            case 0x61746164: candidate = .data  // data
            case 0x73796164: candidate = .days  // days
            case 0x656D616E: candidate = .name  // name
            case 0x65707974: candidate = .`type`  // type
            default: return nil
            }
        case 5:
            switch prefix {
            case 0x656D616E6C: candidate = .lname  // lname
            case 0x7472617473: candidate = .start  // start
            default: return nil
            }
        case 6:
            switch prefix {
            case 0x6449706D6163: candidate = .campId  // campId
            case 0x74616D726F66: candidate = .format  // format
            case 0x737574617473: candidate = .status  // status
            default: return nil
            }
        case 7:
            switch prefix {
            case 0x65726F4D736168: candidate = .hasMore  // hasMore
            case 0x6567617373656D: candidate = .message  // message
            case 0x73746C75736572: candidate = .results  // results
            default: return nil
            }
        case 8:
            switch prefix {
            case 0x644972656C6C6163: candidate = .callerId  // callerId
            case 0x737473694C636E64: candidate = .dncLists  // dncLists
            case 0x7370696B5378616D: candidate = .maxSkips  // maxSkips
            case 0x797469726F697270: candidate = .priority  // priority
            case 0x656C756465686373: candidate = .schedule  // schedule
            case 0x656E6F7A656D6974: candidate = .timezone  // timezone
            default: return nil
            }
        case 9:
            switch prefix {
            case 0x4164657461657263: candidate = .createdAt  // createdA
            case 0x636E657571657266: candidate = .frequency  // frequenc
            case 0x4164657461647075: candidate = .updatedAt  // updatedA
            default: return nil
            }
        case 10:
            switch prefix {
            case 0x697463656E6E6F63: candidate = .connection  // connecti
            case 0x74726F706D497369: candidate = .isImported  // isImport
            case 0x616E5F6575657571: candidate = .queue_name  // queue_na
            case 0x6574616C706D6574: candidate = .templateId  // template
            case 0x6761506C61746F74: candidate = .totalPages  // totalPag
            default: return nil
            }
        case 11:
            switch prefix {
            case 0x7470697263736564: candidate = .`description`  // descript
            case 0x4D676E696C616964: candidate = .dialingMode  // dialingM
            case 0x54676E695278616D: candidate = .maxRingTime  // maxRingT
            case 0x6D754E656E6F6870: candidate = .phoneNumber  // phoneNum
            default: return nil
            }
        case 12:
            switch prefix {
            case 0x48676E696C6C6163: candidate = .callingHours  // callingH
            case 0x6E676961706D6163: candidate = .campaignType  // campaign
            case 0x4C746361746E6F63: candidate = .contactLists  // contactL
            case 0x4F676E696C616964: candidate = .dialingOrder  // dialingO
            case 0x7365526C61746F74: candidate = .totalResults  // totalRes
            default: return nil
            }
        case 13:
            switch prefix {
            case 0x6574616C706D6574: candidate = .template_name  // template
            default: return nil
            }
        case 14:
            switch prefix {
            case 0x6E65697265707865: candidate = .experienceFlow  // experien
            default: return nil
            }
        case 15:
            switch prefix {
            case 0x53676E696C616964: candidate = .dialingStrategy  // dialingS
            default: return nil
            }
        case 16:
            switch prefix {
            case 0x7265746C69467369: candidate = .isFiltersEnabled  // isFilter
            default: return nil
            }
        case 17:
            switch prefix {
            case 0x6574737953657375: candidate = .useSystemMappings  // useSyste
            default: return nil
            }
        case 18:
            switch prefix {
            case 0x6E676961706D6163: candidate = .campaignInstanceId  // campaign
            case 0x52746C7561666564: candidate = .defaultRetryPeriod  // defaultR
            case 0x6E65697265707865: candidate = .experienceFlowName  // experien
            default: return nil
            }
        case 19:
            switch prefix {
            case 0x614D656C62616E65: candidate = .enableMachineDetect  // enableMa
            case 0x7272756365527369: candidate = .isRecurrenceEnabled  // isRecurr
            case 0x7564656863537369: candidate = .isSchedulingEnabled  // isSchedu
            default: return nil
            }
        case 20:
            switch prefix {
            case 0x6D6574744178616D: candidate = .maxAttemptsPerRecord  // maxAttem
            default: return nil
            }
        default: return nil
        }
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
}
