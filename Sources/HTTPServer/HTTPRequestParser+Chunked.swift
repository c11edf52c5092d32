import HTTPCore

/// The chunked transfer coding (RFC 9112 7.1): sizes in hex, extensions ignored, trailers read and discarded.
extension HTTPRequestParser {
    enum ChunkStep {
        case needMore
        case progress
        case complete
        case rejected(HTTPRejection)
    }

    mutating func parseChunked(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> ChunkStep {
        switch state {
        case .chunkSize:
            switch scanLine(bytes, &index, limit: Self.maxChunkLineBytes) {
            case .incomplete: return .needMore
            case .tooLong: return .rejected(.badRequest("Chunk size line too long."))
            case .bareLF: return .rejected(.badRequest("Line terminated by LF without CR."))
            case .complete(let start, let end):
                switch withLine(bytes, start, end, { $0.parseChunkSizeLine($1) }) {
                case .failure(let rejection):
                    return .rejected(rejection)
                case .success(0):
                    // Trailers get their own header-size budget.
                    headerBytes = 0
                    state = .trailerLine
                case .success(let size):
                    if size > limits.maxBodyBytes - body.count { return .rejected(.bodyTooLarge(limit: limits.maxBodyBytes)) }
                    state = .chunkData(remaining: size)
                }
                return .progress
            }
        case .chunkData(let remaining):
            let take = min(remaining, bytes.count - index)
            if take > 0 {
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)]))
                index += take
            }
            if take == remaining {
                state = .chunkDataCR
                return .progress
            }
            state = .chunkData(remaining: remaining - take)
            return .needMore
        case .chunkDataCR, .chunkDataLF:
            guard index < bytes.count else { return .needMore }
            let expectCR = if case .chunkDataCR = state { true } else { false }
            guard bytes[index] == (expectCR ? HTTPByteClass.cr : HTTPByteClass.lf) else {
                return .rejected(.badRequest("Chunk data not followed by CRLF."))
            }
            index += 1
            state = expectCR ? .chunkDataLF : .chunkSize
            return .progress
        case .trailerLine:
            let budget = limits.maxHeaderBytes - headerBytes
            switch scanLine(bytes, &index, limit: max(budget - 2, 0)) {
            case .incomplete: return .needMore
            case .tooLong: return .rejected(.headerTooLarge("The trailer section exceeds \(limits.maxHeaderBytes) bytes."))
            case .bareLF: return .rejected(.badRequest("Line terminated by LF without CR."))
            case .complete(let start, let end):
                let length = lineLength(start, end)
                if length == 0 { return .complete }
                headerBytes += length + 2
                if let rejection = withLine(bytes, start, end, { $0.parseFieldLine($1, keep: false) }) {
                    return .rejected(rejection)
                }
                return .progress
            }
        default:
            return .rejected(.badRequest("Internal parser state error."))
        }
    }

    /// chunk-size [ chunk-ext ], read by the one parser the HTTP client shares.
    mutating func parseChunkSizeLine(_ p: UnsafeRawBufferPointer) -> Result<Int, HTTPRejection> {
        switch ChunkSizeLine.parse(p) {
        case .success(let size): return .success(size)
        case .failure(.overflow): return .failure(.badRequest("Chunk size overflow."))
        case .failure(.malformed): return .failure(.badRequest("Malformed chunk size."))
        case .failure(.controlInExtension): return .failure(.badRequest("Control character in a chunk extension."))
        }
    }
}
