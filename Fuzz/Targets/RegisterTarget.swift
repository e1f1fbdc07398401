// The mailing register file (FieldRules.MailingRegister): UTF-8 text, one 12-digit personnummer per
// line. Parsed under the blank's policy; a register that parses must hold every number line of the
// file, and the decoder must walk it as a prior: its first member read from certain cells, and from
// cells that leave the last three digits in doubt, each to a confidence that is a probability.
import FieldRules

public enum RegisterTarget {
    public static func run(_ bytes: [UInt8]) throws {
        guard let register = try unlessRefused("MailingRegister.parse", { try MailingRegister.parse(bytes, policy: .pm7001) })
        else { return }
        let numbers = numberLines(bytes)
        guard let first = numbers.first, register.count <= numbers.count else {
            throw FuzzFailure("the register holds \(register.count) members from \(numbers.count) number lines")
        }
        for number in numbers where !register.contains(number) {
            throw FuzzFailure("a number line of the file is not a member of the register")
        }
        let prior = try RegisterPrior(register: register)
        for doubtful in [0, 3] {
            let cells = first.enumerated().map { i, digit in
                let top = i >= 12 - doubtful ? 0.4 : 0.999
                return CellReading(empty: 0.001, digits: (0...9).map { $0 == digit ? top : (1 - top) / 9 })
            }
            let decoded = ConstrainedDecoder().decodePersonnummer(cells, register: prior)
            guard (0...1).contains(decoded.confidence) else {
                throw FuzzFailure("a personnummer decoded with the register has confidence \(decoded.confidence)")
            }
        }
    }

    /// The digits of each line that holds 12 digits and nothing else but spaces, tabs and a CR,
    /// comments aside: in a register that parses, the members.
    private static func numberLines(_ bytes: [UInt8]) -> [[Int]] {
        bytes.split(separator: 10).compactMap { line in
            let kept = line.filter { $0 != 32 && $0 != 9 && $0 != 13 }
            guard kept.count == 12, kept.allSatisfy({ (48...57).contains($0) }) else { return nil }
            return kept.map { Int($0) - 48 }
        }
    }
}
