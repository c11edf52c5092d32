/// A fixture of processes and servers that must be stopped whether its test body returns or throws.
protocol TornDownFixture: AnyObject {
    /// Stops what the fixture started and removes its files.
    func tearDown() async
}

extension TornDownFixture {
    /// Runs `body` with the fixture, then tears it down (also when `body` throws).
    func run(_ body: (Self) async throws -> Void) async throws {
        do {
            try await body(self)
        } catch {
            await tearDown()
            throw error
        }
        await tearDown()
    }
}
