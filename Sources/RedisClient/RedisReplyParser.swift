#if canImport(Glibc)
import Glibc
#endif

/// A strict, incremental RESP2 reply parser: a pure value fed whatever bytes arrived, byte at a time or all at once,
/// with the same verdict either way. After a complete reply it is ready for the next one (pipelined replies follow
/// each other on one connection); after a failure it stays failed.
///
/// - The five RESP2 types only: `+` simple string, `-` error, `:` integer, `$` bulk string, `*` array. RESP3 types,
///   inline text, an HTTP answer or any other first byte is refused at that byte.
/// - Lines end in CR LF; a bare LF, or a CR inside a line, is refused. Integers and lengths are `-?[0-9]+` within
///   64 bits (checked arithmetic); the only negative length is `-1` (nil).
/// - Memory is bounded before it is taken: a bulk string's declared length is checked against `maxBulkBytes` and the
///   reply's string budget `maxReplyBytes` before a byte of it is stored; the element counts arrays declare are
///   summed against `maxElements`; arrays nest at most `maxDepth` deep; a status or error line is capped at
///   `maxLineBytes` and a number line at 32 bytes while it is still arriving. Nothing is reserved from a declared
///   array count.
public struct RedisReplyParser: Sendable {
    public struct Limits: Sendable, Equatable {
        /// One bulk string's length.
        public var maxBulkBytes: Int
        /// One simple string or error line, CR LF excluded.
        public var maxLineBytes: Int
        /// The element counts declared by all the arrays of one reply, summed.
        public var maxElements: Int
        /// Nesting of arrays (a flat array is 1).
        public var maxDepth: Int
        /// The bytes of all the strings of one reply (declared bulk lengths and status lines).
        public var maxReplyBytes: Int

        public init(maxBulkBytes: Int = 8 << 20, maxLineBytes: Int = 64 * 1024, maxElements: Int = 65_536,
                    maxDepth: Int = 8, maxReplyBytes: Int = 16 << 20) {
            self.maxBulkBytes = maxBulkBytes
            self.maxLineBytes = maxLineBytes
            self.maxElements = maxElements
            self.maxDepth = maxDepth
            self.maxReplyBytes = maxReplyBytes
        }
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case unexpectedType(UInt8)
        case badLineEnd
        case lineTooLong(limit: Int)
        case notAnInteger(String)
        case integerOutOfRange(String)
        case badLength(Int64)
        case bulkTooLarge(declared: Int64, limit: Int)
        case bulkNotTerminated
        case tooManyElements(declared: Int64, limit: Int)
        case tooDeep(limit: Int)
        case replyTooLarge(limit: Int)
        /// The connection ended in the middle of a reply.
        case truncated

        public var description: String {
            switch self {
            case .unexpectedType(let byte):
                "expected a RESP2 type byte (+ - : $ *), got \(RedisReplyParser.describe(byte))"
            case .badLineEnd:
                "a line does not end in CR LF (a bare LF, or a CR inside the line)"
            case .lineTooLong(let limit):
                "a line is longer than \(limit) bytes"
            case .notAnInteger(let text):
                "expected a decimal integer, got \"\(text)\""
            case .integerOutOfRange(let text):
                "the integer \(text) does not fit in 64 bits"
            case .badLength(let value):
                "a length of \(value) (only -1, nil, may be negative)"
            case .bulkTooLarge(let declared, let limit):
                "a bulk string of \(declared) bytes, over the limit of \(limit)"
            case .bulkNotTerminated:
                "a bulk string is not followed by CR LF"
            case .tooManyElements(let declared, let limit):
                "the reply's arrays declare \(declared) elements, over the limit of \(limit)"
            case .tooDeep(let limit):
                "arrays nested deeper than \(limit)"
            case .replyTooLarge(let limit):
                "the reply's strings exceed \(limit) bytes"
            case .truncated:
                "the connection ended in the middle of a reply"
            }
        }
    }

    public enum Outcome: Sendable, Equatable {
        case needMore
        case complete(RedisReply)
        case failed(Failure)
    }

    private enum State {
        case typeByte
        /// The rest of a type line (`kind` is its type byte), carried in `line` until its LF arrives.
        case line
        case bulkData(remaining: Int)
        case bulkCR
        case bulkLF
        case failed(Failure)
    }

    private struct Frame {
        var remaining: Int
        var elements: [RedisReply]
    }

    /// A number line (`:`, `$`, `*`) never needs more: 20 digits and a sign.
    private static let maxNumberLineBytes = 32

    public let limits: Limits
    private var state: State = .typeByte
    private var kind: UInt8 = 0
    private var line: [UInt8] = []
    private var bulk: [UInt8] = []
    private var stack: [Frame] = []
    private var declaredElements: Int64 = 0
    private var replyBytes: Int64 = 0

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// True between replies: nothing of a next reply has arrived.
    public var isBetweenReplies: Bool {
        if case .typeByte = state { return stack.isEmpty }
        return false
    }

    /// What the end of the input means now: nil between replies, else why the reply cannot be complete.
    public func endOfInput() -> Failure? {
        if case .failed(let failure) = state { return failure }
        return isBetweenReplies ? nil : .truncated
    }

    /// Reads from `input` up to the end of one reply. `consumed` never exceeds `input.count`; `.needMore` consumed
    /// everything; after `.complete` the bytes past `consumed` belong to the next reply.
    public mutating func feed(_ input: UnsafeRawBufferPointer) -> (consumed: Int, outcome: Outcome) {
        if case .failed(let failure) = state { return (0, .failed(failure)) }
        guard let base = input.baseAddress else { return (0, .needMore) }
        let count = input.count
        var index = 0
        while index < count {
            switch state {
            case .typeByte:
                let byte = input[index]
                index += 1
                switch byte {
                case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "$"), UInt8(ascii: "*"):
                    kind = byte
                    line.removeAll(keepingCapacity: true)
                    state = .line
                default:
                    return (index, fail(.unexpectedType(byte)))
                }
            case .line:
                let cap = (kind == UInt8(ascii: "+") || kind == UInt8(ascii: "-")) ? limits.maxLineBytes : Self.maxNumberLineBytes
                let available = count - index
                guard let found = memchr(base + index, 10, available) else {
                    // Content plus its CR may reach cap + 1 before the LF comes.
                    if line.count + available > cap + 1 { return (count, fail(.lineTooLong(limit: cap))) }
                    line.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[index..<count]))
                    index = count
                    continue
                }
                let lineFeed = base.distance(to: UnsafeRawPointer(found))
                let segment = UnsafeRawBufferPointer(rebasing: input[index..<lineFeed])
                index = lineFeed + 1
                if line.count + segment.count > cap + 1 { return (index, fail(.lineTooLong(limit: cap))) }
                let step: Step
                if line.isEmpty {
                    step = interpretLine(segment)
                } else {
                    var carried = line
                    line = []
                    carried.append(contentsOf: segment)
                    step = carried.withUnsafeBytes { interpretLine($0) }
                    carried.removeAll(keepingCapacity: true)
                    line = carried
                }
                switch step {
                case .next: continue
                case .value(let value): if let reply = emit(value) { return (index, .complete(reply)) }
                case .failure(let failure): return (index, fail(failure))
                }
            case .bulkData(let remaining):
                let take = min(remaining, count - index)
                bulk.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[index..<(index + take)]))
                index += take
                state = take == remaining ? .bulkCR : .bulkData(remaining: remaining - take)
            case .bulkCR:
                guard input[index] == 13 else { return (index + 1, fail(.bulkNotTerminated)) }
                index += 1
                state = .bulkLF
            case .bulkLF:
                guard input[index] == 10 else { return (index + 1, fail(.bulkNotTerminated)) }
                index += 1
                let data = bulk
                bulk = []
                if let reply = emit(.bulkString(data)) { return (index, .complete(reply)) }
            case .failed(let failure):
                return (index, .failed(failure))
            }
        }
        return (index, .needMore)
    }

    private enum Step {
        case next
        case value(RedisReply)
        case failure(Failure)
    }

    /// A complete type line, `content` with its CR but without the LF.
    private mutating func interpretLine(_ withCR: UnsafeRawBufferPointer) -> Step {
        guard let last = withCR.last, last == 13 else { return .failure(.badLineEnd) }
        let content = UnsafeRawBufferPointer(rebasing: withCR[0..<(withCR.count - 1)])
        if let start = content.baseAddress, memchr(start, 13, content.count) != nil { return .failure(.badLineEnd) }
        switch kind {
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard charge(Int64(content.count)) else { return .failure(.replyTooLarge(limit: limits.maxReplyBytes)) }
            let text = String(decoding: content, as: UTF8.self)
            return .value(kind == UInt8(ascii: "+") ? .simpleString(text) : .error(text))
        case UInt8(ascii: ":"):
            switch Self.integer(content) {
            case .success(let value): return .value(.integer(value))
            case .failure(let failure): return .failure(failure)
            }
        case UInt8(ascii: "$"):
            let length: Int64
            switch Self.integer(content) {
            case .success(let value): length = value
            case .failure(let failure): return .failure(failure)
            }
            if length == -1 { return .value(.null) }
            if length < -1 { return .failure(.badLength(length)) }
            if length > Int64(limits.maxBulkBytes) { return .failure(.bulkTooLarge(declared: length, limit: limits.maxBulkBytes)) }
            guard charge(length) else { return .failure(.replyTooLarge(limit: limits.maxReplyBytes)) }
            let size = Int(length)
            bulk = []
            bulk.reserveCapacity(size)
            state = size == 0 ? .bulkCR : .bulkData(remaining: size)
            return .next
        default:
            let declared: Int64
            switch Self.integer(content) {
            case .success(let value): declared = value
            case .failure(let failure): return .failure(failure)
            }
            if declared == -1 { return .value(.null) }
            if declared < -1 { return .failure(.badLength(declared)) }
            // Both at most Int64(limit) here, so the sum cannot overflow.
            if declared > Int64(limits.maxElements) || declaredElements + declared > Int64(limits.maxElements) {
                return .failure(.tooManyElements(declared: declared > Int64(limits.maxElements) ? declared : declaredElements + declared,
                                                 limit: limits.maxElements))
            }
            declaredElements += declared
            // An empty array is an array too: it counts for the depth like any other.
            guard stack.count < limits.maxDepth else { return .failure(.tooDeep(limit: limits.maxDepth)) }
            if declared == 0 { return .value(.array([])) }
            var elements: [RedisReply] = []
            elements.reserveCapacity(min(Int(declared), 16))
            stack.append(Frame(remaining: Int(declared), elements: elements))
            state = .typeByte
            return .next
        }
    }

    /// Adds `bytes` to the reply's string budget; false when it would exceed it.
    private mutating func charge(_ bytes: Int64) -> Bool {
        guard bytes <= Int64(limits.maxReplyBytes) - replyBytes else { return false }
        replyBytes += bytes
        return true
    }

    /// Places a finished value in the array being read, closing every array it completes; the whole reply when it
    /// was the last piece.
    private mutating func emit(_ value: RedisReply) -> RedisReply? {
        var value = value
        state = .typeByte
        while !stack.isEmpty {
            let top = stack.count - 1
            stack[top].elements.append(value)
            stack[top].remaining -= 1
            if stack[top].remaining > 0 { return nil }
            value = .array(stack.removeLast().elements)
        }
        declaredElements = 0
        replyBytes = 0
        return value
    }

    private mutating func fail(_ failure: Failure) -> Outcome {
        state = .failed(failure)
        stack = []
        line = []
        bulk = []
        return .failed(failure)
    }

    /// `-?[0-9]+` within Int64, every step checked.
    static func integer(_ text: UnsafeRawBufferPointer) -> Result<Int64, Failure> {
        var index = 0
        let negative = text.first == UInt8(ascii: "-")
        if negative { index = 1 }
        guard index < text.count else { return .failure(.notAnInteger(excerpt(text))) }
        // Accumulated as a negative number, whose range includes Int64.min.
        var value: Int64 = 0
        var overflow = false
        while index < text.count {
            let byte = text[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return .failure(.notAnInteger(excerpt(text))) }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            overflow = overflow || o1 || o2
            value = next
            index += 1
        }
        if overflow { return .failure(.integerOutOfRange(excerpt(text))) }
        if negative { return .success(value) }
        guard value != Int64.min else { return .failure(.integerOutOfRange(excerpt(text))) }
        return .success(-value)
    }

    /// At most 40 bytes of `text`, printable ASCII kept, anything else as `\xNN`: safe to put in a log line.
    static func excerpt(_ text: UnsafeRawBufferPointer) -> String {
        var out = ""
        for byte in text.prefix(40) {
            if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "\"") {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "\\x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return text.count > 40 ? out + "..." : out
    }

    static func describe(_ byte: UInt8) -> String {
        let hex = "0x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        return byte >= 0x21 && byte < 0x7F ? "\(hex) '\(Character(Unicode.Scalar(byte)))'" : hex
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
