import Foundation
@testable import Gateway
import Testing

/// Label values that come from Kore.ai's answers are bounded: drift in every answer cannot grow `/metrics` forever.
struct MetricCardinalityTests {
    static func unknownFieldSeries(_ observer: GatewayObserver) -> [(field: String, count: Int)] {
        let text = observer.render(tenants: [:], server: ServerGauges(openConnections: 0, maxConnections: 0, inFlight: 0), draining: false)
        let prefix = "campaign_gateway_upstream_unknown_fields_total{field=\""
        return text.split(separator: "\n").compactMap { line -> (String, Int)? in
            guard line.hasPrefix(prefix), let close = line.range(of: "\"} ") else { return nil }
            return (String(line[line.index(line.startIndex, offsetBy: prefix.count)..<close.lowerBound]), Int(line[close.upperBound...]) ?? -1)
        }
    }

    @Test func distinctUnknownFieldsAreCappedAndTheRestCountAsOther() {
        let observer = GatewayObserver(logs: LogSink(minimumLevel: .error) { _ in })
        // 3,000 answers, each with one key never seen before (what a drifting or hostile upstream can send).
        for i in 0..<3000 { observer.unknownUpstreamFields(["drift\(i)"]) }
        observer.unknownUpstreamFields(["drift0"])  // one already counted keeps its own series
        let series = Self.unknownFieldSeries(observer)
        #expect(series.count == GatewayObserver.maxUnknownFieldLabels + 1, "\(series.count) series")
        #expect(series.first { $0.field == "other" }?.count == 3000 - GatewayObserver.maxUnknownFieldLabels)
        #expect(series.first { $0.field == "drift0" }?.count == 2)
        #expect(series.reduce(0) { $0 + $1.count } == 3001)
    }

    @Test func anOverlongFieldNameCountsAsOther() {
        let observer = GatewayObserver(logs: LogSink(minimumLevel: .error) { _ in })
        observer.unknownUpstreamFields([String(repeating: "k", count: 10_000), "known"])
        let series = Self.unknownFieldSeries(observer)
        let fields = series.map { String($0.field.prefix(20)) }.sorted()
        #expect(fields == ["known", "other"])
    }
}
