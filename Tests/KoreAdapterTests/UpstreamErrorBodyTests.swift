import JSONCore
import KoreAdapter
import Testing

/// Kore.ai's two error formats and everything else.
struct UpstreamErrorBodyTests {
    static func parse(_ text: String, _ status: Int = 400) -> [JSONValue] {
        UpstreamErrorBody.errors(from: Array(text.utf8), httpStatus: status)
    }

    @Test("{errors:[{msg, code}]} keeps each entry")
    func errorsArray() {
        let errors = Self.parse(#"{"errors":[{"msg":"Invalid campaign id","code":400},{"msg":"name too long","code":"InvalidName"},{"msg":"x"}]}"#)
        #expect(errors == [
            .object(["msg": .string("Invalid campaign id"), "code": .int(400)]),
            .object(["msg": .string("name too long"), "code": .string("InvalidName")]),
            .object(["msg": .string("x"), "code": .int(400)]),
        ])
    }

    @Test("{status: failure, message} becomes one entry with the HTTP status as code")
    func statusFailure() {
        #expect(Self.parse(#"{"status":"failure","message":"Campaign not found"}"#, 404) ==
                [.object(["msg": .string("Campaign not found"), "code": .int(404)])])
    }

    @Test("Garbage, HTML, empty and odd JSON become one entry with truncated text",
          arguments: ["<html><body>502 Bad Gateway</body></html>", "", "   ", "\u{FF}\u{FE}binary", "[1,2]", "{\"errors\":[]}",
                      "{\"errors\":\"nope\"}", "null"])
    func garbage(_ text: String) {
        let errors = Self.parse(text, 502)
        #expect(errors.count == 1)
        #expect(errors.first?["code"] == .int(502))
        #expect((errors.first?["msg"]?.stringValue?.isEmpty) == false)
    }

    @Test("A non-JSON body is described, never echoed (it could name Kore.ai's URLs)")
    func nonJSONNotEchoed() {
        let page = "<html>Cannot DELETE /campaign/api/v2/public/st-1/campaign/cd-1?accountId=a</html>"
        #expect(Self.parse(page, 404) == [.object(["msg": .string("HTTP 404 with a non-JSON body (\(page.utf8.count) bytes)"), "code": .int(404)])])
        #expect(Self.parse("  \n", 502).first?["msg"] == .string("HTTP 502 with an empty body"))
    }

    @Test("Output stays bounded: at most 20 entries, messages cut to 512 characters")
    func bounded() {
        let long = "{\"message\":\"" + String(repeating: "a", count: 5000) + "\"}"
        #expect(Self.parse(long, 500).first?["msg"]?.stringValue?.count == 512)
        let many = "{\"errors\":[" + Array(repeating: "{\"msg\":\"m\",\"code\":1}", count: 100).joined(separator: ",") + "]}"
        #expect(Self.parse(many).count == 20)
        let invalidUTF8: [UInt8] = [0x7B, 0xC3, 0x28, 0xFF]
        #expect(UpstreamErrorBody.errors(from: invalidUTF8, httpStatus: 500).count == 1)
    }

    @Test("Entries without msg fall back to message, then to the element's JSON")
    func fallbacks() {
        let errors = Self.parse(#"{"errors":[{"message":"m1"},{"detail":"d"},"plain"]}"#)
        #expect(errors.map { $0["msg"] } == [.string("m1"), .string(#"{"detail":"d"}"#), .string("plain")])
    }
}
