@testable import Gateway
import HTTPServer
import TestSupport
import Testing

/// `CallerFields` reads `Authorization` and `X-Tenant` in one walk, taking a name in its usual spelling by plain
/// equality: it must find what `HTTPHeaders.firstValueAndCount` finds (the first value and how many) for fields in
/// any case, repeated, among look-alikes of the same length.
@Suite struct CallerFieldsTests {
    static let names = ["Authorization", "authorization", "AUTHORIZATION", "AuthorizatioN", "Authorizatiom",
                        "X-Tenant", "x-tenant", "X-TENANT", "X-Tenanu", "If-Match", "Host", "X-Tenant "]

    @Test func theOneWalkFindsWhatTwoLookupsFind() {
        var generator = SeededGenerator(seed: 0x5EED)
        var compared = 0
        for _ in 0..<3000 {
            let count = Int(generator.next() % 6)
            var fields: [(String, String)] = []
            for j in 0..<count {
                let name = Self.names[Int(generator.next() % UInt64(Self.names.count))]
                fields.append((name, "value-\(j)"))
            }
            let headers = HTTPHeaders(fields)
            let found = CallerFields(headers)
            let authorization = headers.firstValueAndCount("Authorization")
            let tenant = headers.firstValueAndCount("X-Tenant")
            #expect(found.authorization.first == authorization.first && found.authorization.count == authorization.count,
                    "\(fields): \(found.authorization) against \(authorization)")
            #expect(found.tenant.first == tenant.first && found.tenant.count == tenant.count,
                    "\(fields): \(found.tenant) against \(tenant)")
            if authorization.count + tenant.count > 0 { compared += 1 }
        }
        #expect(compared > 1000)
    }
}
