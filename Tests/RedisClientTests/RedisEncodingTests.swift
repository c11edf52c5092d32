import RedisClient
import Testing

/// Commands on the wire and script digests.
struct RedisEncodingTests {
    @Test func commandsAreArraysOfBulkStrings() {
        #expect(RedisCommandEncoder.encode(["PING"]) == Array("*1\r\n$4\r\nPING\r\n".utf8))
        #expect(RedisCommandEncoder.encode(["SET", "k", RedisArgument([0, 13, 10]), "PX", 1500])
            == Array("*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\n\0\r\n\r\n$2\r\nPX\r\n$4\r\n1500\r\n".utf8))
        #expect(RedisCommandEncoder.encode(["ECHO", ""]) == Array("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n".utf8))
    }

    @Test func integerArgumentsAreDecimal() {
        #expect(RedisArgument(0).bytes == Array("0".utf8))
        #expect(RedisArgument(-7).bytes == Array("-7".utf8))
        #expect(RedisArgument(Int64.max).bytes == Array("9223372036854775807".utf8))
        #expect(RedisArgument(Int64.min).bytes == Array("-9223372036854775808".utf8))
    }

    @Test func aCRLFInsideAnArgumentCannotStartAnotherCommand() {
        // The argument is length-prefixed: the server reads it as 17 bytes of value, not as a FLUSHALL.
        let bytes = RedisCommandEncoder.encode(["GET", "x\r\nFLUSHALL\r\n*1\r\n"])
        #expect(bytes == Array("*2\r\n$3\r\nGET\r\n$17\r\nx\r\nFLUSHALL\r\n*1\r\n\r\n".utf8))
    }

    @Test func scriptDigestIsSHA1OfTheSource() {
        // Redis's own documentation example: SCRIPT LOAD "return 1".
        #expect(RedisScript("return 1").sha1 == "e0e1f9fabfc9d4800c877a703b823ac0578ff8db")
        // FIPS 180 test vector.
        #expect(RedisScript("abc").sha1 == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(RedisScript("").sha1 == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    }
}
