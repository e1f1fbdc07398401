// The personnummer of everyone the blank was mailed to, as a digit trie, and the file it is read
// from: UTF-8 text, one 12-digit personnummer per line; blank lines and lines starting with '#'
// are ignored.
//
// Why a trie: the decoder needs, for every page, the total probability that the cells hold some
// member's number (and some member's number with one slipped digit), not only the single best
// member. A trie shares the prefixes of 100,000 numbers, so that sum is a walk that stops as soon
// as a prefix is too improbable to matter (RegisterEvidence); a sorted list would have to be
// scanned whole. Levels are stored as flat arrays (first child, digit mask) so a member costs
// about 20 bytes and the walk touches no pointers.
//
// Why errors name only line numbers: the register is personal data, as is any line of it.
import BlankettSupport

public struct MailingRegister: Sendable {
    /// Per depth 0…11: each node's first child at depth + 1 and a bit per digit that has a child.
    /// Children of a node are contiguous in digit order; depth 12 (the members) holds nothing.
    let firstChild: [[Int32]]
    let childMask: [[UInt16]]
    public let count: Int
    public let policy: PersonnummerPolicy
    /// Valid numbers under the policy: the decoder spreads the non-members' share over them.
    public let validNumbers: Double

    /// Members as canonical 12-digit values (ÅÅÅÅMMDDNNNC), each checked against the policy.
    public init(members: [[Int]], policy: PersonnummerPolicy) {
        let keys = Set(members.map { $0.reduce(UInt64(0)) { $0 * 10 + UInt64($1) } }).sorted()
        var firstChild: [[Int32]] = [], childMask: [[UInt16]] = []
        // Level by level: the nodes of depth d are the distinct d-digit prefixes, in order.
        var prefixes = keys.isEmpty ? [] : [UInt64(0)]
        for depth in 0..<12 {
            let divisor = Self.power(11 - depth)
            var next: [UInt64] = [], first: [Int32] = [], masks: [UInt16] = []
            var k = 0
            for prefix in prefixes {
                first.append(Int32(next.count))
                var mask: UInt16 = 0
                while k < keys.count, keys[k] / (divisor * 10) == prefix {
                    let child = keys[k] / divisor
                    if next.last != child { next.append(child); mask |= 1 << (child % 10) }
                    k += 1
                }
                masks.append(mask)
            }
            firstChild.append(first)
            childMask.append(masks)
            prefixes = next
        }
        self.firstChild = firstChild
        self.childMask = childMask
        count = keys.count
        self.policy = policy
        validNumbers = Self.countValid(policy)
    }

    public func contains(_ canonical: [Int]) -> Bool {
        guard canonical.count == 12, count > 0 else { return false }
        var node = 0
        for depth in 0..<12 {
            let d = canonical[depth], mask = childMask[depth][node]
            guard (0...9).contains(d), mask & (1 << d) != 0 else { return false }
            node = child(depth, node, digit: d)
        }
        return true
    }

    /// Index of `digit`'s child of `node` (the bit must be set).
    @inline(__always)
    func child(_ depth: Int, _ node: Int, digit: Int) -> Int {
        let mask = childMask[depth][node]
        return Int(firstChild[depth][node]) + (mask & ((1 << digit) - 1)).nonzeroBitCount
    }

    /// Roughly the heap the trie holds, for the benchmark.
    public var bytes: Int { firstChild.reduce(0) { $0 + $1.count } * (MemoryLayout<Int32>.size + MemoryLayout<UInt16>.size) }

    private static func power(_ n: Int) -> UInt64 { (0..<n).reduce(UInt64(1)) { r, _ in r * 10 } }

    /// Σ over the policy's birth dates (×2 with samordningsnummer) of the 1,000 NNN: the check digit is fixed.
    static func countValid(_ policy: PersonnummerPolicy) -> Double {
        let days = (policy.birthYearMin...max(policy.birthYearMin, policy.birthYearMax)).reduce(0) { sum, year in
            sum + (1...12).reduce(0) { $0 + CalendarDate.daysInMonth($1, year: year) }
        }
        return Double(days) * (policy.allowSamordningsnummer ? 2 : 1) * 1000
    }
}

extension MailingRegister {
    /// Parses the register file. Every line that is not blank or a comment must be a valid
    /// 12-digit personnummer the form's policy accepts; the first that is not stops the load
    /// with an error naming its line number and what is wrong, never what it holds.
    public static func parse(_ bytes: [UInt8], policy: PersonnummerPolicy) throws -> MailingRegister {
        var members: [[Int]] = []
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.drop { $0 == 32 || $0 == 9 }.reversed().drop { $0 == 32 || $0 == 9 || $0 == 13 }.reversed()
            if trimmed.isEmpty { continue }
            if trimmed.first == UInt8(ascii: "#") {
                guard String(validating: trimmed, as: UTF8.self) != nil else {
                    throw BlankettError("register_not_utf8", "register line \(lineNumber) is not UTF-8 text")
                }
                continue
            }
            let digits = trimmed.map { Int($0) - 48 }
            guard digits.count == 12, digits.allSatisfy((0...9).contains) else {
                throw BlankettError("register_invalid_line", "register line \(lineNumber) is not a 12-digit personnummer (ÅÅÅÅMMDDNNNC, digits only)")
            }
            if case .failure(let problem) = Personnummer.validate(digits, policy: policy) {
                throw BlankettError("register_invalid_line", "register line \(lineNumber): \(problem.message)")
            }
            members.append(digits)
        }
        guard !members.isEmpty else { throw BlankettError("register_empty", "the register holds no personnummer") }
        return MailingRegister(members: members, policy: policy)
    }
}
