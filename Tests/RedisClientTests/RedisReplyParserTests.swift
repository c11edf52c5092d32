import RedisClient
import TestSupport
import Testing

/// The reply parser as a pure value: every RESP2 type, pipelined replies, and every refusal with its reason, each
/// verdict the same whether the bytes come whole, one at a time or in random pieces.
struct RedisReplyParserTests {
    enum Verdict: Equatable {
        case replies([RedisReply])
        /// The replies before the failure, and the failure.
        case failed([RedisReply], RedisReplyParser.Failure)
        /// The input ended inside a reply.
        case incomplete([RedisReply])
    }

    /// Feeds `bytes` in the pieces `split` picks and collects the replies, then asks about the end of input.
    static func parse(_ bytes: [UInt8], limits: RedisReplyParser.Limits = .init(), split: (Int) -> Int) -> Verdict {
        var parser = RedisReplyParser(limits: limits)
        var replies: [RedisReply] = []
        var offset = 0
        while offset < bytes.count {
            let size = max(1, min(split(bytes.count - offset), bytes.count - offset))
            var pieceOffset = 0
            let piece = Array(bytes[offset..<(offset + size)])
            while pieceOffset < piece.count {
                let (consumed, outcome) = piece.withUnsafeBytes {
                    parser.feed(UnsafeRawBufferPointer(rebasing: $0[pieceOffset...]))
                }
                pieceOffset += consumed
                switch outcome {
                case .needMore:
                    #expect(pieceOffset == piece.count, ".needMore left bytes unread")
                case .complete(let reply):
                    replies.append(reply)
                case .failed(let failure):
                    #expect(piece.withUnsafeBytes { parser.feed($0).consumed } == 0, "a failed parser reads on")
                    return .failed(replies, failure)
                }
            }
            offset += size
        }
        if parser.endOfInput() == .truncated { return .incomplete(replies) }
        return .replies(replies)
    }

    /// The verdict whole, byte at a time and in seeded random pieces, which must agree.
    static func verdict(_ text: String, limits: RedisReplyParser.Limits = .init()) -> Verdict {
        verdict(Array(text.utf8), limits: limits)
    }

    static func verdict(_ bytes: [UInt8], limits: RedisReplyParser.Limits = .init()) -> Verdict {
        let whole = parse(bytes, limits: limits) { $0 }
        let single = parse(bytes, limits: limits) { _ in 1 }
        var generator = SeededGenerator(seed: UInt64(bytes.count) &* 0x9E37_79B9)
        let random = parse(bytes, limits: limits) { _ in Int.random(in: 1...7, using: &generator) }
        #expect(whole == single, "whole \(whole) != byte at a time \(single)")
        #expect(whole == random, "whole \(whole) != random pieces \(random)")
        return whole
    }

    @Test(arguments: [
        ("+OK\r\n", RedisReply.simpleString("OK")),
        ("+\r\n", .simpleString("")),
        ("-ERR unknown command 'FOO'\r\n", .error("ERR unknown command 'FOO'")),
        (":0\r\n", .integer(0)),
        (":-42\r\n", .integer(-42)),
        (":9223372036854775807\r\n", .integer(Int64.max)),
        (":-9223372036854775808\r\n", .integer(Int64.min)),
        ("$5\r\nhello\r\n", .bulkString(Array("hello".utf8))),
        ("$0\r\n\r\n", .bulkString([])),
        ("$4\r\na\r\nb\r\n", .bulkString(Array("a\r\nb".utf8))),
        ("$-1\r\n", .null),
        ("*-1\r\n", .null),
        ("*0\r\n", .array([])),
        ("*3\r\n:1\r\n$1\r\nx\r\n*2\r\n+a\r\n$-1\r\n", .array([.integer(1), .bulkString([120]), .array([.simpleString("a"), .null])])),
        ("*2\r\n-ERR in exec\r\n+QUEUED\r\n", .array([.error("ERR in exec"), .simpleString("QUEUED")])),
    ] as [(String, RedisReply)])
    func validRepliesParse(_ text: String, expected: RedisReply) {
        #expect(Self.verdict(text) == .replies([expected]))
    }

    @Test func bulkStringsAreBinarySafe() {
        let payload: [UInt8] = [0, 13, 10, 255, 36, 42, 13]
        let bytes = Array("$7\r\n".utf8) + payload + Array("\r\n".utf8)
        #expect(Self.verdict(bytes) == .replies([.bulkString(payload)]))
    }

    @Test func pipelinedRepliesInOneBufferComeOutInOrder() {
        let text = "+OK\r\n$3\r\nabc\r\n:1\r\n:2\r\n*1\r\n:3\r\n-ERR x\r\n"
        #expect(Self.verdict(text) == .replies([.simpleString("OK"), .bulkString(Array("abc".utf8)), .integer(1), .integer(2),
                                                .array([.integer(3)]), .error("ERR x")]))
    }

    @Test(arguments: [
        // Not RESP2 at all, or another protocol's answer.
        ("HTTP/1.1 400 Bad Request\r\n\r\n", RedisReplyParser.Failure.unexpectedType(UInt8(ascii: "H"))),
        ("OK\r\n", .unexpectedType(UInt8(ascii: "O"))),
        // RESP3 types are refused, not guessed at.
        ("_\r\n", .unexpectedType(UInt8(ascii: "_"))),
        ("%1\r\n+a\r\n+b\r\n", .unexpectedType(UInt8(ascii: "%"))),
        ("\0", .unexpectedType(0)),
        // Line ends.
        ("+OK\n", .badLineEnd),
        ("+O\rK\r\n", .badLineEnd),
        (":1\n", .badLineEnd),
        // Numbers.
        (":\r\n", .notAnInteger("")),
        (":-\r\n", .notAnInteger("-")),
        (":+1\r\n", .notAnInteger("+1")),
        (": 1\r\n", .notAnInteger(" 1")),
        (":1.5\r\n", .notAnInteger("1.5")),
        (":9223372036854775808\r\n", .integerOutOfRange("9223372036854775808")),
        (":-9223372036854775809\r\n", .integerOutOfRange("-9223372036854775809")),
        (":99999999999999999999\r\n", .integerOutOfRange("99999999999999999999")),
        ("$99999999999999999999\r\n", .integerOutOfRange("99999999999999999999")),
        ("$x\r\n", .notAnInteger("x")),
        // Lengths.
        ("$-2\r\n", .badLength(-2)),
        ("*-5\r\n", .badLength(-5)),
        ("$3\r\nabcd\r\n", .bulkNotTerminated),
        ("$3\r\nabc\n", .bulkNotTerminated),
        ("$3\r\nabc\rX", .bulkNotTerminated),
        // Sizes announced past the limits are refused from the header, before any byte is stored.
        ("$9223372036854775807\r\n", .bulkTooLarge(declared: Int64.max, limit: 8 << 20)),
        ("$1073741824\r\n", .bulkTooLarge(declared: 1 << 30, limit: 8 << 20)),
        ("*1000000000\r\n", .tooManyElements(declared: 1_000_000_000, limit: 65_536)),
        ("*9223372036854775807\r\n", .tooManyElements(declared: Int64.max, limit: 65_536)),
    ] as [(String, RedisReplyParser.Failure)])
    func malformedRepliesAreRefusedWithTheirReason(_ text: String, expected: RedisReplyParser.Failure) {
        #expect(Self.verdict(text) == .failed([], expected))
    }

    @Test func aFailureAfterGoodRepliesKeepsThoseReplies() {
        #expect(Self.verdict("+OK\r\n:1\r\n!garbage") == .failed([.simpleString("OK"), .integer(1)], .unexpectedType(UInt8(ascii: "!"))))
    }

    @Test func truncatedRepliesAreIncompleteAtTheEndOfInput() {
        for text in ["+OK", "+OK\r", ":12", "$5\r\nhel", "$5\r\nhello", "$5\r\nhello\r", "*2\r\n:1\r\n", "*2\r\n*1\r\n", "$"] {
            #expect(Self.verdict(text) == .incomplete([]), "\(text.debugDescription)")
        }
        var parser = RedisReplyParser()
        #expect(parser.endOfInput() == nil, "nothing read: a clean end")
        _ = Array("$3\r\nab".utf8).withUnsafeBytes { parser.feed($0) }
        #expect(parser.endOfInput() == .truncated)
        #expect(RedisReplyParser.Failure.truncated.description == "the connection ended in the middle of a reply")
    }

    @Test func limitsHoldAtTheirEdges() {
        let limits = RedisReplyParser.Limits(maxBulkBytes: 4, maxLineBytes: 5, maxElements: 3, maxDepth: 2, maxReplyBytes: 10)
        #expect(Self.verdict("$4\r\nabcd\r\n", limits: limits) == .replies([.bulkString(Array("abcd".utf8))]))
        #expect(Self.verdict("$5\r\nabcde\r\n", limits: limits) == .failed([], .bulkTooLarge(declared: 5, limit: 4)))
        #expect(Self.verdict("+abcde\r\n", limits: limits) == .replies([.simpleString("abcde")]))
        #expect(Self.verdict("+abcdef\r\n", limits: limits) == .failed([], .lineTooLong(limit: 5)))
        #expect(Self.verdict("*3\r\n:1\r\n:2\r\n:3\r\n", limits: limits) == .replies([.array([.integer(1), .integer(2), .integer(3)])]))
        #expect(Self.verdict("*4\r\n", limits: limits) == .failed([], .tooManyElements(declared: 4, limit: 3)))
        // Declared counts add up over the nested arrays of one reply...
        #expect(Self.verdict("*2\r\n*2\r\n", limits: limits) == .failed([], .tooManyElements(declared: 4, limit: 3)))
        // ...and start again with the next reply.
        #expect(Self.verdict("*3\r\n:1\r\n:2\r\n:3\r\n*3\r\n:1\r\n:2\r\n:3\r\n", limits: limits).replyCount == 2)
        #expect(Self.verdict("*1\r\n*1\r\n:1\r\n", limits: limits) == .replies([.array([.array([.integer(1)])])]))
        #expect(Self.verdict("*1\r\n*1\r\n*1\r\n:1\r\n", limits: limits) == .failed([], .tooDeep(limit: 2)))
        #expect(Self.verdict("*1\r\n*1\r\n*0\r\n", limits: limits) == .failed([], .tooDeep(limit: 2)), "an empty array nests too")
        // The string budget is per reply: 4 + 4 fits in 10, a third 4 does not.
        #expect(Self.verdict("*3\r\n$4\r\naaaa\r\n$4\r\nbbbb\r\n$4\r\n", limits: limits) == .failed([], .replyTooLarge(limit: 10)))
        #expect(Self.verdict("$4\r\naaaa\r\n$4\r\nbbbb\r\n$4\r\ncccc\r\n", limits: limits).replyCount == 3)
    }

    @Test func aLineWithoutEndIsRefusedAtItsCapWhileStillArriving() {
        // A megabyte of status line with no CR LF: the parser stops at its 64 KiB cap instead of holding it all.
        var parser = RedisReplyParser()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 4096)
        var outcome: RedisReplyParser.Outcome = .needMore
        var fed = 0
        _ = Array("+".utf8).withUnsafeBytes { parser.feed($0) }
        while fed < 1 << 20, case .needMore = outcome {
            outcome = chunk.withUnsafeBytes { parser.feed($0).outcome }
            fed += chunk.count
        }
        #expect(outcome == .failed(.lineTooLong(limit: 64 * 1024)))
        #expect(fed <= 64 * 1024 + chunk.count, "refused after \(fed) bytes")
        // A number line is capped at 32 bytes.
        #expect(Self.verdict(":" + String(repeating: "1", count: 40)) == .failed([], .lineTooLong(limit: 32)))
    }

    @Test func failuresReadAsSentences() {
        #expect(RedisReplyParser.Failure.unexpectedType(UInt8(ascii: "H")).description == "expected a RESP2 type byte (+ - : $ *), got 0x48 'H'")
        #expect(RedisReplyParser.Failure.unexpectedType(0).description == "expected a RESP2 type byte (+ - : $ *), got 0x00")
        #expect(RedisReplyParser.Failure.bulkTooLarge(declared: 1 << 30, limit: 8 << 20).description
            == "a bulk string of 1073741824 bytes, over the limit of 8388608")
        #expect(RedisReplyParser.Failure.integerOutOfRange("99999999999999999999").description
            == "the integer 99999999999999999999 does not fit in 64 bits")
        // Bytes from the server are shown escaped, so nothing it sends can forge a log line.
        if case .failed(_, let failure) = Self.verdict(":1\u{1b}[2J\"x\r\n") {
            #expect(failure.description == "expected a decimal integer, got \"1\\x1B[2J\\x22x\"")
        } else {
            Issue.record("accepted an escape sequence as an integer")
        }
    }
}

extension RedisReplyParserTests.Verdict {
    var replyCount: Int {
        switch self {
        case .replies(let replies), .incomplete(let replies), .failed(let replies, _): replies.count
        }
    }
}
