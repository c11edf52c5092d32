@testable import Gateway

/// What the tests that build every upstream call vary besides the tenant, the operation and the type: campaign ids
/// short, long and odd; a JSON body, a body that is not JSON, and none; a trace without `tracestate` and with one.
enum UpstreamCallSamples {
    static let idSegments = ["a", "cd-a1e45a7-e8ba-4e97-a339-476ebc7xxxxx", "A_-9", String(repeating: "z9", count: 64)]

    static let bodies: [[UInt8]?] = [nil, Array(#"{"name":"n\"q","list":[1,2.5e3,true,null]}"#.utf8), Array("not json".utf8)]

    static func traces(state: String) -> [TraceContext] {
        [TraceContext(traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", parentSpanId: nil,
                      flags: "01", state: nil),
         TraceContext(traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", parentSpanId: nil,
                      flags: "01", state: state)]
    }
}
