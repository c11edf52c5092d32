import Foundation
import JSONCore
import KoreAdapter

// Target `kore-upstream-error`: `UpstreamErrorBody.errors(from:httpStatus:)`, whatever Kore.ai (or a proxy or load
// balancer in front of it) sends with an error status. The first byte picks the status; the rest is the body.
//
// Oracles: no crash; deterministic; never empty and at most `maxErrors` entries, each exactly `{msg, code}` with a
// string `msg` of at most `maxMessageLength` characters and a `code` that is a number or a non-empty string; a body
// that is not JSON is described, never echoed (its text could show callers Kore.ai's URLs); the list writes as JSON
// that JSONReader and Foundation read back alike.

let fuzzPrefixBytes = 1
let statuses = [400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504, 599]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= fuzzPrefixBytes else { return 0 }
    let status = statuses[Int(data[0]) % statuses.count]
    let body = Array(UnsafeBufferPointer(start: data + fuzzPrefixBytes, count: size - fuzzPrefixBytes))
    let errors = UpstreamErrorBody.errors(from: body, httpStatus: status)
    Fuzz.check(errors == UpstreamErrorBody.errors(from: body, httpStatus: status), "errors are not deterministic")
    Fuzz.check(!errors.isEmpty && errors.count <= UpstreamErrorBody.maxErrors, "\(errors.count) errors")
    for error in errors {
        guard let object = error.objectValue, object.keys == ["msg", "code"], let msg = object["msg"]?.stringValue else {
            Fuzz.fail("an error entry is \(error)")
        }
        Fuzz.check(msg.count <= UpstreamErrorBody.maxMessageLength, "msg of \(msg.count) characters")
        switch object["code"] {
        case .number?: break
        case .string(let code)?: Fuzz.check(!code.isEmpty, "an empty code")
        default: Fuzz.fail("code \(String(describing: object["code"]))")
        }
    }
    if (try? JSONReader.parse(body)) == nil {
        Fuzz.check(errors.count == 1 && errors[0]["msg"]?.stringValue?.hasPrefix("HTTP \(status) with ") == true,
                   "a body that is not JSON is echoed: \(errors)")
    }
    let list: JSONValue = .array(errors)
    let written = JSONWriter.write(list)
    Fuzz.check((try? JSONReader.parse(written)) == list, "the list does not read back as written")
    if foundationComparable(list) {
        let foundation = try? JSONSerialization.jsonObject(with: Data(written))
        Fuzz.check(foundation.map { matches(list, $0) } ?? false, "Foundation reads the list differently: \(String(decoding: written, as: UTF8.self))")
    }
    return 0
}
