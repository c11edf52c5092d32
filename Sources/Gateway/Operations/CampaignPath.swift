import HTTPServer
import KoreAdapter

/// A path under `/campaigns` taken apart: `/campaigns/{type}`, `/campaigns/{type}/{id}` or
/// `/campaigns/{type}/{id}/{start|stop|status|schedule}`. `{type}` is lowercase `voice` or `sms` only; anything else
/// is an unknown path. The id is checked by `CampaignID`, so it can never change the upstream path or query.
public struct CampaignPath: Sendable, Equatable {
    /// The path templates, also the metrics and log route labels (never a raw id: bounded label cardinality).
    public enum Shape: String, Sendable, CaseIterable {
        case collection = "/campaigns/{type}"
        case campaign = "/campaigns/{type}/{id}"
        case start = "/campaigns/{type}/{id}/start"
        case stop = "/campaigns/{type}/{id}/stop"
        case status = "/campaigns/{type}/{id}/status"
        case schedule = "/campaigns/{type}/{id}/schedule"

        public var template: String { rawValue }

        /// The last segment of the action shapes.
        static let actions: [String: Shape] = ["start": .start, "stop": .stop, "status": .status, "schedule": .schedule]

        /// The action shape named by a last segment's bytes (exact, as `actions` keys them).
        static func action(_ segment: UnsafeRawBufferPointer) -> Shape? {
            if equals(segment, "start") { return .start }
            if equals(segment, "stop") { return .stop }
            if equals(segment, "status") { return .status }
            if equals(segment, "schedule") { return .schedule }
            return nil
        }
    }

    public var shape: Shape
    public var type: CampaignType
    /// Nil for the collection.
    public var id: CampaignID?

    public enum Match: Sendable, Equatable {
        case path(CampaignPath)
        case badId
        case noRoute
    }

    /// Taken apart on the path's UTF-8 bytes in place: no array of segments, no String per segment but the id.
    public static func match(path: String) -> Match {
        var path = path
        return path.withUTF8 { match(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The segments between `/`s, empty ones included: "", "campaigns", type [, id [, action]].
    static func match(bytes p: UnsafeRawBufferPointer) -> Match {
        var segments: (Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>) = (0..<0, 0..<0, 0..<0, 0..<0, 0..<0)
        var count = 0
        var start = 0
        var i = 0
        while true {
            if i == p.count || p[i] == UInt8(ascii: "/") {
                // More than five segments is no route of ours, whatever they hold.
                guard count < 5 else { return .noRoute }
                switch count {
                case 0: segments.0 = start..<i
                case 1: segments.1 = start..<i
                case 2: segments.2 = start..<i
                case 3: segments.3 = start..<i
                default: segments.4 = start..<i
                }
                count += 1
                if i == p.count { break }
                start = i + 1
            }
            i += 1
        }
        func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: p[range]) }
        guard count >= 3, segments.0.isEmpty, equals(bytes(segments.1), "campaigns") else {
            return .noRoute
        }
        let type: CampaignType
        if equals(bytes(segments.2), "voice") {
            type = .voice
        } else if equals(bytes(segments.2), "sms") {
            type = .sms
        } else {
            return .noRoute
        }
        if count == 3 { return .path(CampaignPath(shape: .collection, type: type, id: nil)) }
        var shape = Shape.campaign
        if count == 5 {
            guard let action = Shape.action(bytes(segments.4)) else { return .noRoute }
            shape = action
        }
        guard let id = CampaignID(pathSegment: bytes(segments.3)) else { return .badId }
        return .path(CampaignPath(shape: shape, type: type, id: id))
    }

    /// Whether `bytes` are exactly `text`'s: counts first, then the bytes (`elementsEqual` with a String's UTF-8 view
    /// went through the generic iterators, about 150 instructions a compare).
    @inline(__always)
    static func equals(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard bytes.count == count else { return false }
        let expected = text.utf8Start
        for i in 0..<count where bytes[i] != expected[i] { return false }
        return true
    }

    /// The route label for a matched path: its template, or `unmatched`.
    public static func label(_ path: String, _ match: Match) -> String {
        switch match {
        case .path(let matched): return matched.shape.template
        case .badId:
            // The shape is known even when the id is not well formed.
            let segments = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            if segments.count == 5, let action = Shape.actions[String(decoding: segments[4], as: UTF8.self)] {
                return action.template
            }
            return Shape.campaign.template
        case .noRoute: return "unmatched"
        }
    }

}
