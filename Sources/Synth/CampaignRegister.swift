// A synthetic mailing register for a campaign: the personnummer of everyone the blank went to,
// and the draws of applicants from it.
//
// Why birth years follow the living population: the register's prior helps a reading only as
// much as the register is sparse around it, and a real register is dense in the early 1930s and
// thin before 1910 (in 2025 a Swede born in 1934 is 91, one born in 1910 is 115). The weight of a
// birth cohort falls from the youngest by a Gompertz-like factor, exp(−0.3·a·(1 + a/20)) at a
// years older: one in 50 of the youngest cohort's size at 9 years older, about 1 in 1,300 at 14.
import BlankettSupport
import FieldRules
import Foundation

public struct CampaignRegister: Sendable {
    /// Canonical 12-digit numbers, in the order drawn; the register file is written sorted.
    public let members: [[Int]]
    let plain: [Int], samordning: [Int]
    let lookup: MailingRegister

    /// `seed` is the run's; the register draws from a stream of its own.
    init(size: Int, samordningShare: Double, policy: PersonnummerPolicy, seed: UInt64) {
        var rng = SeededGenerator(seed: seed).derived(0x5245_4749_5354_4552)
        let years = Array(policy.birthYearMin...policy.birthYearMax)
        let weights = years.map { year -> Double in
            let older = Double(policy.birthYearMax - year)
            return exp(-0.3 * older * (1 + older / 20))
        }
        let total = weights.reduce(0, +)
        var seen = Set<[Int]>(), members: [[Int]] = [], plain: [Int] = [], samordning: [Int] = []
        while members.count < size {
            var u = rng.between(0, total), i = 0
            while i < years.count - 1, u >= weights[i] { u -= weights[i]; i += 1 }
            let coordination = rng.chance(samordningShare) && policy.allowSamordningsnummer
            let number = PersonnummerMaker.valid(policy: policy, samordningsnummer: coordination, year: years[i], using: &rng)
            guard seen.insert(number).inserted else { continue }
            if coordination { samordning.append(members.count) } else { plain.append(members.count) }
            members.append(number)
        }
        self.members = members
        self.plain = plain
        self.samordning = samordning
        lookup = MailingRegister(members: members, policy: policy)
    }

    /// A member's number: with a samordningsnummer or without, when the register has one of that kind.
    func member(samordningsnummer: Bool, using rng: inout SeededGenerator) -> [Int] {
        let pool = samordningsnummer && !samordning.isEmpty ? samordning : plain.isEmpty ? samordning : plain
        return members[pool[rng.below(pool.count)]]
    }

    /// A valid number the blank was not mailed to.
    func outsider(policy: PersonnummerPolicy, using rng: inout SeededGenerator) -> [Int] {
        while true {
            let number = PersonnummerMaker.valid(policy: policy, samordningsnummer: false, using: &rng)
            if !lookup.contains(number) { return number }
        }
    }

    /// The register file: a comment, then one number per line in numeric order.
    public var fileText: String {
        let lines = members.map { $0.map(String.init).joined() }.sorted()
        return "# synthetic mailing register, \(lines.count) members\n" + lines.joined(separator: "\n") + "\n"
    }
}
