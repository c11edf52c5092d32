import GatewayCrypto
import HTTPServer

/// The SHA-256 of the last API key a connection sent, kept in the connection's memo: a caller sends the same key
/// with every request of a keep-alive connection, and hashing it was most of the key check.
///
/// Only the digest is kept, never the outcome: every request still compares it against the hashes of the
/// configuration it runs under, so a key a reload removed is refused on the next request. The digest serves a key
/// of exactly the same bytes and nothing else, compared without stopping at the first difference: behind a proxy one
/// connection carries several callers' requests, and how long the comparison takes must not tell one of them how
/// much of another's key it guessed. (A hit is faster than a miss, but only an exact match hits, and that key would
/// be accepted anyway.)
///
/// A class, so that the memo reads it back with a class check rather than a dynamic cast of an existential.
final class APIKeyDigest: Sendable {
    let key: [UInt8]
    let digest: [UInt8]

    init(key: [UInt8], digest: [UInt8]) {
        self.key = key
        self.digest = digest
    }

    /// SHA-256 of `key`, taken from `memo` when the connection's last key was these very bytes.
    static func of(_ key: UnsafeBufferPointer<UInt8>, memo: HTTPConnectionMemo?) -> [UInt8] {
        guard let memo else { return SHA256.hash(key) }
        return memo.withValue(as: APIKeyDigest.self) { value in
            if let kept = value, kept.isKey(key) { return kept.digest }
            let digest = SHA256.hash(key)
            value = APIKeyDigest(key: Array(key), digest: digest)
            return digest
        }
    }

    /// Whether `candidate` is exactly `key`: every byte examined whatever differs first.
    func isKey(_ candidate: UnsafeBufferPointer<UInt8>) -> Bool {
        guard key.count == candidate.count else { return false }
        var difference: UInt8 = 0
        key.withUnsafeBufferPointer { kept in
            for i in 0..<kept.count { difference |= kept[i] ^ candidate[i] }
        }
        return difference == 0
    }
}
