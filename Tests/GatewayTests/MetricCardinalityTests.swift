import Foundation
@testable import Gateway
import Testing
import TestSupport

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

    /// The request series are found without hashing strings (by the status and the labels' lengths, then compared):
    /// labels of equal length, statuses that differ, and enough series to grow the table several times each keep
    /// their own count, as a dictionary keyed by all three counts them.
    @Test func requestSeriesKeepTheirOwnCountsAsADictionaryWould() {
        var table = RequestSeriesTable()
        var reference: [String: Int] = [:]
        var generator = SeededGenerator(seed: 16)
        let routes = ["/healthz", "/readyz", "/metrics", "unmatched", "/campaigns/{type}", "/campaigns/{type}/{id}",
                      "/campaigns/{type}/{id}/stop", "/campaigns/{type}/{id}/start", "/aaaaaaaa", "/bbbbbbbb"]
        let methods = ["GET", "PUT", "HEAD", "POST", "other", "DELETE"]
        let statuses = [200, 201, 204, 400, 401, 404, 405, 409, 412, 429, 500, 502, 503, 504]
        for _ in 0..<20_000 {
            let route = routes[Int(generator.next() % UInt64(routes.count))]
            let method = methods[Int(generator.next() % UInt64(methods.count))]
            let status = statuses[Int(generator.next() % UInt64(statuses.count))]
            // A fresh String with the same contents: found by comparing contents, not by being the same literal.
            table.observe(route: String(decoding: Array(route.utf8), as: UTF8.self), method: method, status: status, seconds: 0.001)
            reference["\(route) \(method) \(status)", default: 0] += 1
        }
        #expect(table.series.count == reference.count, "\(table.series.count) series, \(reference.count) expected")
        for series in table.series {
            #expect(series.histogram.count == reference["\(series.route) \(series.method) \(series.status)"],
                    "\(series.route) \(series.method) \(series.status): \(series.histogram.count)")
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
