import Foundation

/// A certificate authority made with the openssl CLI for one test run, and server certificates it signs: a good
/// one for `localhost` and 127.0.0.1, one for another name, an expired one, and one from an unknown CA.
public struct TestCertificates: Sendable {
    public let directory: String
    public var caFile: String { "\(directory)/ca.pem" }
    public var key: String { "\(directory)/server.key" }
    public var good: String { "\(directory)/good.pem" }
    public var wrongName: String { "\(directory)/wrong-name.pem" }
    public var expired: String { "\(directory)/expired.pem" }
    public var unknownCA: String { "\(directory)/unknown-ca.pem" }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Runs `openssl` in `directory` (through `env -C`, since the spawner has no working-directory option).
    static func openssl(_ arguments: [String], in directory: String) throws {
        let outcome = try ChildProcess.run("env", ["-C", directory, "openssl"] + arguments)
        guard outcome.status == 0 else {
            throw Failure(description: "openssl \(arguments.joined(separator: " ")): \(outcome.output)\(outcome.error)")
        }
    }

    /// The async form: the openssl runs happen on a thread of their own (`OffPool`).
    public static func make() async throws -> TestCertificates {
        try await OffPool.run { try make() }
    }

    public static func make() throws -> TestCertificates {
        let dir = NSTemporaryDirectory() + "test-pki-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for ca in ["ca", "other-ca"] {
            try openssl(["req", "-x509"] + ec + ["-keyout", "\(ca).key", "-out", "\(ca).pem", "-days", "2",
                                               "-subj", "/CN=Campaign Gateway tests \(ca)"], in: dir)
        }
        try openssl(["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"], in: dir)
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(toFile: "\(dir)/san.ext", atomically: true, encoding: .utf8)
        try "subjectAltName=DNS:other.example\n".write(toFile: "\(dir)/other.ext", atomically: true, encoding: .utf8)
        func sign(_ out: String, ca: String, ext: String, days: String) throws {
            try openssl(["x509", "-req", "-in", "server.csr", "-CA", "\(ca).pem", "-CAkey", "\(ca).key",
                         "-CAcreateserial", "-out", out, "-days", days, "-extfile", ext], in: dir)
        }
        try sign("good.pem", ca: "ca", ext: "san.ext", days: "2")
        try sign("wrong-name.pem", ca: "ca", ext: "other.ext", days: "2")
        // -days -1: valid until a day before it was issued, so expired from the start.
        try sign("expired.pem", ca: "ca", ext: "san.ext", days: "-1")
        try sign("unknown-ca.pem", ca: "other-ca", ext: "san.ext", days: "2")
        return TestCertificates(directory: dir)
    }
}
