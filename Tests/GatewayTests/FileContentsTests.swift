import Foundation
import GatewayConfiguration
import Testing

/// Configuration files and file secrets are read with open/read, no Foundation: whole files, nothing else.
@Suite struct FileContentsTests {
    @Test func readsAWholeFileAndRefusesWhatIsNotOne() throws {
        let dir = NSTemporaryDirectory() + "file-contents-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(big).write(to: URL(fileURLWithPath: dir + "/big.bin"))
        try Data().write(to: URL(fileURLWithPath: dir + "/empty"))
        #expect(FileContents.read(dir + "/big.bin") == big)
        #expect(FileContents.read(dir + "/empty") == [])
        #expect(FileContents.read(dir + "/big.bin", limit: 100_000) == nil)
        #expect(FileContents.read(dir + "/missing") == nil)
        #expect(FileContents.read(dir) == nil, "a directory")
        #expect(FileContents.read("/dev/zero") == nil, "not a regular file: would never end")
    }

    @Test(arguments: [("a/b/c.json", "a/b"), ("c.json", ""), ("/c.json", "/"), ("/etc/gw/config.json", "/etc/gw"),
                      ("./c.json", "."), ("a//c.json", "a"), ("a/b/", "a")])
    func directoryOfAPath(_ path: String, _ expected: String) {
        #expect(FileContents.directory(of: path) == expected)
        #expect(FileContents.directory(of: path) == (path as NSString).deletingLastPathComponent)
    }
}
