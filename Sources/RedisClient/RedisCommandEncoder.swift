/// Commands in RESP2's request form: an array of bulk strings, `*<n>\r\n` then `$<len>\r\n<bytes>\r\n` per
/// argument. Arguments are length-prefixed, so no byte in a key or value can end the command early or start another.
public enum RedisCommandEncoder {
    public static func encode(_ command: [RedisArgument]) -> [UInt8] {
        var out: [UInt8] = []
        append(command, to: &out)
        return out
    }

    public static func append(_ command: [RedisArgument], to out: inout [UInt8]) {
        var size = 16
        for argument in command { size += argument.bytes.count + 16 }
        out.reserveCapacity(out.count + size)
        out.append(UInt8(ascii: "*"))
        RedisDecimal.append(Int64(command.count), to: &out)
        out.append(13)
        out.append(10)
        for argument in command {
            out.append(UInt8(ascii: "$"))
            RedisDecimal.append(Int64(argument.bytes.count), to: &out)
            out.append(13)
            out.append(10)
            out.append(contentsOf: argument.bytes)
            out.append(13)
            out.append(10)
        }
    }
}
