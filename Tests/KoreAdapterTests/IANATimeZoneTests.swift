import Foundation
import JSONCore
@testable import KoreAdapter
import Testing

/// `callingHours.timezone` is checked against the table scripts/gen-timezones generates from tzdata: the table must
/// be the machine's tz database, and the names people actually send (UTC, Etc/*, links) must be in it.
struct IANATimeZoneTests {
    static let zoneinfo = "/usr/share/zoneinfo"
    static var machineHasTzdata: Bool { FileManager.default.fileExists(atPath: zoneinfo + "/tzdata.zi") }
    static var underCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Zone and link names in the machine's tzdata.zi, as the generator reads them.
    static func machineNames() throws -> (version: String, names: Set<String>) {
        let text = try String(contentsOfFile: zoneinfo + "/tzdata.zi", encoding: .utf8)
        var version = "unknown"
        var names = Set<String>()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if line.hasPrefix("# version "), fields.count >= 3 { version = String(fields[2]) }
            if fields.count >= 2 && fields[0] == "Z" { names.insert(String(fields[1])) }
            if fields.count >= 3 && fields[0] == "L" { names.insert(String(fields[2])) }
        }
        names.remove("Factory")
        return (version, names)
    }

    /// Fails under CI=true when the machine has no tzdata (apt-get install tzdata); elsewhere it needs the file.
    @Test(.enabled(if: machineHasTzdata || underCI, "needs /usr/share/zoneinfo/tzdata.zi (apt-get install tzdata)"))
    func tableIsTheMachinesTzDatabase() throws {
        #expect(Self.machineHasTzdata, "no \(Self.zoneinfo)/tzdata.zi: apt-get install tzdata")
        let machine = try Self.machineNames()
        let table = IANATimeZoneNames.all
        // The same release must give the same names. A machine whose tzdata is a newer release than the table (Debian
        // publishes them several times a year) is not a failure of the code under test: then only the table's names
        // must still be zones here, since tzdata keeps an old name as a link when it renames a zone.
        if machine.version == IANATimeZoneNames.version {
            #expect(machine.names.subtracting(table).sorted() == [], "missing from the table: run scripts/gen-timezones")
        } else {
            print("note: tzdata \(machine.version) here, table from \(IANATimeZoneNames.version); scripts/gen-timezones regenerates it")
        }
        // An older release than the table's may lack a zone added since; a release as new or newer may not.
        if machine.version >= IANATimeZoneNames.version {
            #expect(table.subtracting(machine.names).sorted() == [], "not in this machine's tzdata \(machine.version) (table from \(IANATimeZoneNames.version)): run scripts/gen-timezones")
        }
        // Each name is a compiled zone the system's own tz code can load.
        for name in table where machine.names.contains(name) {
            let head = FileManager.default.contents(atPath: Self.zoneinfo + "/" + name)?.prefix(4)
            #expect(head.map { Array($0) } == Array("TZif".utf8), "\(name) has no TZif file")
        }
    }

    @Test(arguments: ["UTC", "Etc/UTC", "Etc/GMT", "Etc/GMT+5", "Etc/GMT-14", "Asia/Kolkata", "Asia/Calcutta", "US/Eastern",
                      "America/Argentina/Buenos_Aires", "Europe/Berlin", "GMT", "Zulu"])
    func realZoneNamesAreAccepted(_ name: String) {
        #expect(CallingHoursWriter.isIANAZone(name))
    }

    @Test(arguments: ["GMT+5", "UTC+1", "utc", "asia/kolkata", "Asia/Kolkata ", "Factory", "Etc/", "Mars/Olympus_Mons", "", "+05:30",
                      String(repeating: "A", count: 65),
                      // Canonically equivalent to Asia/Kolkata and Europe/Kyiv (a Kelvin sign for the K), which
                      // `String`'s equality and hashing treat as the same name; Kore.ai would not.
                      "Asia/\u{212A}olkata", "Europe/\u{212A}yiv"])
    func otherSpellingsAreRefused(_ name: String) {
        #expect(!CallingHoursWriter.isIANAZone(name))
    }

    @Test func aWriteWithUTCPassesValidation() throws {
        let body = WriteBodies.voice().setting("callingHours.timezone", to: .string("UTC"))
        let translated = try CampaignWriteTranslator.upstreamBody(fromNormalized: body, type: .voice, version: .v2).get()
        let upstream = try JSONReader.parse(translated)
        #expect(upstream["dialingStrategy"]?["callingHours"]?["timezone"] == .string("UTC"))
    }
}
