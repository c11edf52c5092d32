import HTTPClient
import Testing

@Suite struct ResponseParserTests {
    @Test func placeholder() {}
}
