import RedisClient

// Target `redis-reply`: the Redis client's reply parser (RedisReplyParser.swift). The first input byte picks the
// limits (the defaults, or tiny ones: 16-byte bulk strings, 8-byte lines, 6 elements, depth 3, 24 string bytes per
// reply); the rest is what a server sends on one connection, ending with the connection closing.
//
// Oracles:
// - the per-call contract: consumed never exceeds what was offered, `.needMore` consumes everything, a failed
//   parser stays failed and consumes nothing;
// - split independence: the verdict (every reply, then the failure or a truncated end) is the same whether the
//   bytes arrive whole, in random pieces or one at a time (inputs up to 2 KB);
// - differential: `ReferenceRESP2` below, a plain recursive whole-buffer reader written from the RESP2 spec and the
//   parser's documented limits, agrees on the replies and on whether the input ends in a failure, a truncated
//   reply or cleanly;
// - limits: every reply keeps within the depth, element, bulk, line and string-byte caps;
// - round trip: each reply, written back as RESP2, reads again as the same reply.

let limitSets = [
    RedisReplyParser.Limits(),
    RedisReplyParser.Limits(maxBulkBytes: 16, maxLineBytes: 8, maxElements: 6, maxDepth: 3, maxReplyBytes: 24),
]

enum Ending: Equatable {
    case clean
    case truncated
    case failed(RedisReplyParser.Failure)
}

struct Verdict: Equatable {
    var replies: [RedisReply]
    var ending: Ending
}

/// Feeds `bytes` in the pieces `split` chooses, then the end of input; checks the contract on the way.
func run(_ bytes: UnsafeRawBufferPointer, limits: RedisReplyParser.Limits, split: (Int) -> Int) -> Verdict {
    var parser = RedisReplyParser(limits: limits)
    var replies: [RedisReply] = []
    var offset = 0
    while offset < bytes.count {
        let size = max(1, min(split(bytes.count - offset), bytes.count - offset))
        let piece = ExactBuffer(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + size)]))
        var pieceOffset = 0
        while pieceOffset < size {
            let (consumed, outcome) = piece.withBytes { parser.feed(UnsafeRawBufferPointer(rebasing: $0[pieceOffset...])) }
            Fuzz.check(consumed >= 0 && consumed <= size - pieceOffset, "consumed \(consumed) of \(size - pieceOffset)")
            pieceOffset += consumed
            switch outcome {
            case .needMore:
                Fuzz.check(pieceOffset == size, ".needMore left \(size - pieceOffset) bytes unconsumed")
            case .complete(let reply):
                replies.append(reply)
                Fuzz.check(consumed > 0, "a reply from no bytes")
            case .failed(let failure):
                let again = piece.withBytes { parser.feed($0) }
                Fuzz.check(again.consumed == 0, "a failed parser consumed bytes")
                Fuzz.check(again.outcome == .failed(failure), "a failed parser changed its verdict")
                Fuzz.check(parser.endOfInput() == failure, "endOfInput of a failed parser is not its failure")
                return Verdict(replies: replies, ending: .failed(failure))
            }
        }
        offset += size
    }
    switch parser.endOfInput() {
    case nil: return Verdict(replies: replies, ending: .clean)
    case .truncated?: return Verdict(replies: replies, ending: .truncated)
    case let other?: Fuzz.fail("endOfInput of a live parser is \(other)")
    }
}

/// RESP2 as a plain recursive reader over the whole input: what the documented rules say, nothing incremental.
struct ReferenceRESP2 {
    enum Step { case value(RedisReply), truncated, failed }

    let bytes: [UInt8]
    let limits: RedisReplyParser.Limits
    var index = 0
    var elements = 0
    var stringBytes = 0

    /// One line's content after the type byte (without CR LF), or why not.
    mutating func line(cap: Int) -> [UInt8]?? {
        guard let lf = bytes[index...].firstIndex(of: 10) else {
            // A line may be cut short at the end of input, unless it is already over its cap.
            return bytes.count - index > cap + 1 ? .some(nil) : nil
        }
        let withCR = Array(bytes[index..<lf])
        index = lf + 1
        guard withCR.count <= cap + 1, withCR.last == 13, !withCR.dropLast().contains(13) else { return .some(nil) }
        return .some(Array(withCR.dropLast()))
    }

    static func integer(_ text: [UInt8]) -> Int64? {
        var digits = text[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        var magnitude: UInt64 = 0
        for digit in digits {
            let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(digit - 48))
            if o1 || o2 { return nil }
            magnitude = sum
        }
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    mutating func value(depth: Int) -> Step {
        guard index < bytes.count else { return .truncated }
        let type = bytes[index]
        index += 1
        let isText = type == UInt8(ascii: "+") || type == UInt8(ascii: "-")
        guard isText || type == UInt8(ascii: ":") || type == UInt8(ascii: "$") || type == UInt8(ascii: "*") else { return .failed }
        guard let read = line(cap: isText ? limits.maxLineBytes : 32) else { return .truncated }
        guard let content = read else { return .failed }
        if isText {
            stringBytes += content.count
            guard stringBytes <= limits.maxReplyBytes else { return .failed }
            let text = String(decoding: content, as: UTF8.self)
            return .value(type == UInt8(ascii: "+") ? .simpleString(text) : .error(text))
        }
        guard let number = Self.integer(content) else { return .failed }
        if type == UInt8(ascii: ":") { return .value(.integer(number)) }
        if number == -1 { return .value(.null) }
        guard number >= 0 else { return .failed }
        if type == UInt8(ascii: "$") {
            guard number <= Int64(limits.maxBulkBytes), stringBytes + Int(number) <= limits.maxReplyBytes else { return .failed }
            stringBytes += Int(number)
            let length = Int(number)
            // The data, then CR, then LF: a wrong byte fails where it stands, a short input is truncated.
            guard bytes.count - index >= length else { return .truncated }
            let data = Array(bytes[index..<(index + length)])
            index += length
            for expected: UInt8 in [13, 10] {
                guard index < bytes.count else { return .truncated }
                guard bytes[index] == expected else { return .failed }
                index += 1
            }
            return .value(.bulkString(data))
        }
        guard number <= Int64(limits.maxElements), elements + Int(number) <= limits.maxElements else { return .failed }
        elements += Int(number)
        guard depth < limits.maxDepth else { return .failed }
        if number == 0 { return .value(.array([])) }
        var items: [RedisReply] = []
        for _ in 0..<number {
            switch value(depth: depth + 1) {
            case .value(let item): items.append(item)
            case let other: return other
            }
        }
        return .value(.array(items))
    }

    /// Replies until the input ends, a reply is cut short, or one fails.
    static func read(_ bytes: [UInt8], limits: RedisReplyParser.Limits) -> (replies: [RedisReply], ending: String) {
        var reader = ReferenceRESP2(bytes: bytes, limits: limits)
        var replies: [RedisReply] = []
        while reader.index < bytes.count {
            reader.elements = 0
            reader.stringBytes = 0
            switch reader.value(depth: 0) {
            case .value(let reply): replies.append(reply)
            case .truncated: return (replies, "truncated")
            case .failed: return (replies, "failed")
            }
        }
        return (replies, "clean")
    }
}

/// The reply written back as RESP2.
func encode(_ reply: RedisReply, into out: inout [UInt8]) {
    switch reply {
    case .simpleString(let text): out += Array("+\(text)\r\n".utf8)
    case .error(let text): out += Array("-\(text)\r\n".utf8)
    case .integer(let value): out += Array(":\(value)\r\n".utf8)
    case .bulkString(let data): out += Array("$\(data.count)\r\n".utf8) + data + [13, 10]
    case .null: out += Array("$-1\r\n".utf8)
    case .array(let items):
        out += Array("*\(items.count)\r\n".utf8)
        for item in items { encode(item, into: &out) }
    }
}

/// Depth, declared elements and string bytes of a reply, for the limit checks.
func measure(_ reply: RedisReply) -> (depth: Int, elements: Int, stringBytes: Int, longestBulk: Int, longestLine: Int) {
    switch reply {
    case .simpleString(let text), .error(let text):
        // The parser charges a line's bytes as they came; it is decoded with replacement characters, where one
        // invalid byte becomes U+FFFD's three. Each replacement stands for at least one byte read, so counting it as
        // one (and every other scalar at its width) never exceeds what was charged.
        let count = text.unicodeScalars.reduce(0) { $0 + ($1 == "\u{FFFD}" ? 1 : UTF8.width($1)) }
        return (0, 0, count, 0, count)
    case .bulkString(let data): return (0, 0, data.count, data.count, 0)
    case .integer, .null: return (0, 0, 0, 0, 0)
    case .array(let items):
        var result = (depth: 1, elements: items.count, stringBytes: 0, longestBulk: 0, longestLine: 0)
        for item in items {
            let inner = measure(item)
            result.depth = max(result.depth, inner.depth + 1)
            result.elements += inner.elements
            result.stringBytes += inner.stringBytes
            result.longestBulk = max(result.longestBulk, inner.longestBulk)
            result.longestLine = max(result.longestLine, inner.longestLine)
        }
        return result
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let limits = limitSets[Int(data[0]) % limitSets.count]
    let bytes = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    let whole = run(bytes, limits: limits) { $0 }
    var random = SplitMix(state: Fuzz.hash(bytes))
    let pieces = run(bytes, limits: limits) { remaining in 1 + random.below(max(1, min(remaining, 64))) }
    Fuzz.check(whole == pieces, "whole \(whole) != random pieces \(pieces)")
    if bytes.count <= 2048 {
        let single = run(bytes, limits: limits) { _ in 1 }
        Fuzz.check(whole == single, "whole \(whole) != byte at a time \(single)")
    }
    let reference = ReferenceRESP2.read(Array(bytes), limits: limits)
    let ending: String = switch whole.ending {
    case .clean: "clean"
    case .truncated: "truncated"
    case .failed: "failed"
    }
    Fuzz.check(reference.replies == whole.replies, "reference replies \(reference.replies) != parser's \(whole.replies)")
    Fuzz.check(reference.ending == ending, "reference ending \(reference.ending) != parser's \(whole.ending)")
    for reply in whole.replies {
        let m = measure(reply)
        Fuzz.check(m.depth <= limits.maxDepth, "depth \(m.depth) over \(limits.maxDepth)")
        Fuzz.check(m.elements <= limits.maxElements, "\(m.elements) elements over \(limits.maxElements)")
        Fuzz.check(m.longestBulk <= limits.maxBulkBytes, "bulk of \(m.longestBulk) over \(limits.maxBulkBytes)")
        Fuzz.check(m.stringBytes <= limits.maxReplyBytes, "\(m.stringBytes) string bytes over \(limits.maxReplyBytes)")
        var encoded: [UInt8] = []
        encode(reply, into: &encoded)
        var parser = RedisReplyParser(limits: RedisReplyParser.Limits(maxBulkBytes: Int.max / 4, maxLineBytes: 1 << 20,
                                                                       maxElements: 1 << 20, maxDepth: 64, maxReplyBytes: Int.max / 4))
        let again = encoded.withUnsafeBytes { parser.feed($0) }
        // A status line decoded with replacement characters may not be its original bytes, but reads back alike.
        Fuzz.check(again.outcome == .complete(reply) && again.consumed == encoded.count, "round trip of \(reply): \(again)")
    }
    return 0
}
