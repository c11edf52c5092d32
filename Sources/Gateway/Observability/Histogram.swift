/// A Prometheus histogram's state: cumulative bucket counts are derived when rendering.
struct Histogram: Sendable {
    /// Seconds. Upper bounds chosen around the gateway's own cost (sub-millisecond) and Kore.ai's (tens to hundreds of ms).
    static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private(set) var counts = [Int](repeating: 0, count: Histogram.bounds.count + 1)
    private(set) var sum: Double = 0
    private(set) var count = 0

    mutating func observe(_ value: Double) {
        let index = Histogram.bounds.firstIndex { value <= $0 } ?? Histogram.bounds.count
        counts[index] += 1
        sum += value
        count += 1
    }

    /// Prometheus lines for this series: `_bucket` (cumulative, `le` labels, then `+Inf`), `_sum`, `_count`.
    func render(name: String, labels: String, into lines: inout [String]) {
        var cumulative = 0
        let prefix = labels.isEmpty ? "" : labels + ","
        for (i, bound) in Histogram.bounds.enumerated() {
            cumulative += counts[i]
            lines.append("\(name)_bucket{\(prefix)le=\"\(MetricsText.number(bound))\"} \(cumulative)")
        }
        lines.append("\(name)_bucket{\(prefix)le=\"+Inf\"} \(count)")
        let braces = labels.isEmpty ? "" : "{\(labels)}"
        lines.append("\(name)_sum\(braces) \(MetricsText.number(sum))")
        lines.append("\(name)_count\(braces) \(count)")
    }
}

/// Prometheus text exposition helpers (format 0.0.4).
enum MetricsText {
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// `a="x",b="y"` with label values escaped as the format requires.
    static func labels(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }
}
