// What the cells say about the register: the total probability that they hold a member's number,
// the total probability that they hold a member's number with one digit slipped, and the most
// probable members themselves.
//
// Model (see ConstrainedDecoder): a member r written in a layout with cells w has the mass
// m(r) = Σ_writings Π P(cell i = w_i). A slip changes one digit of the n written; each of the
// 9n slips is equally likely, so the slipped readings of r weigh t(r) = Σ_writings (Σ_i o_i ·
// Π_{j≠i} P(cell j = w_j)) / 9n, where o_i is the cell's probability of any digit but w_i. The
// decoder needs M = Σ m(r) and T = Σ t(r) over all members.
//
// Walk: depth-first over the trie, carrying for the prefix its exact mass q and one-slip mass
// q1 over the personnummer's last ten cells (the century cells differ between the two writings
// and are applied as factors at the end, see `Century`). A subtree whose best conceivable share,
// π·m + (1 − π)·t over every completion of the prefix, is below `negligible` is not entered,
// and that bound is added to `pruned`, so the decoder's evidence only ever errs upwards and
// confidence only downwards. The most probable members are found in the same walk, by branch and
// bound on the best leaf a prefix can reach; a budget of expansions bounds flat cells.
public struct RegisterEvidence: Sendable {
    /// Σ m(r) over the members visited.
    public var memberMass = 0.0
    /// Σ t(r) over the members visited, already divided by 9n.
    public var memberSlipMass = 0.0
    /// An upper bound on π·m + (1 − π)·t summed over the members not visited.
    public var pruned = 0.0
    /// The most probable members, most probable first, with their m(r).
    public var top: [(value: [Int], mass: Double)] = []
    /// Trie nodes expanded, for the benchmark.
    public var expansions = 0

    static let topCount = 3
    static let maxTopExpansions = 20_000
    static let topRange = 1e-6
}

extension MailingRegister {
    /// `negligible` is in the units of π·m + (1 − π)·t; `validPrior` is π.
    public func evidence(_ cells: [CellReading], validPrior: Double, negligible: Double) -> RegisterEvidence {
        var walk = RegisterWalk(register: self, cells: cells, validPrior: validPrior, negligible: negligible)
        if count > 0, cells.count == 12 { walk.start() }
        return walk.result
    }
}

private struct RegisterWalk {
    let register: MailingRegister
    let p: [[Double]]
    /// Per cell: probability of some digit (1 − empty).
    let written: [Double]
    let validPrior: Double
    let negligible: Double
    /// Over the cells from index k on: Π written (the mass of every completion), the best
    /// product (the best single completion) and Σ_i written_i · Π_{j≠i} written_j.
    var restAll: [Double], restBest: [Double], restSlipAll: [Double]
    var digits = Array(repeating: 0, count: 12)
    var century = Century(full: 0, slip: 0, short: 0)
    var result = RegisterEvidence()

    /// Factors of the two writings: 12 digits (both century cells written) or 10 (both empty).
    struct Century {
        /// P(century cells as written) for the 12-digit form.
        var full: Double
        /// P(one century cell slipped) for the 12-digit form.
        var slip: Double
        /// P(both century cells empty), when the 10-digit form stands for this member.
        var short: Double
        var any: Double { full + short }
    }

    init(register: MailingRegister, cells: [CellReading], validPrior: Double, negligible: Double) {
        self.register = register
        p = cells.map { c in (0...9).map(c.probability(ofDigit:)) }
        written = cells.map { 1 - $0.empty }
        self.validPrior = validPrior
        self.negligible = negligible
        let n = cells.count
        restAll = Array(repeating: 1, count: n + 1)
        restBest = Array(repeating: 1, count: n + 1)
        restSlipAll = Array(repeating: 0, count: n + 1)
        for k in stride(from: n - 1, through: 0, by: -1) where k < p.count {
            let best = p[k].max() ?? 0
            restAll[k] = restAll[k + 1] * written[k]
            restBest[k] = restBest[k + 1] * best
            restSlipAll[k] = restSlipAll[k + 1] * written[k] + written[k] * restAll[k + 1]
        }
    }

    mutating func start() {
        // Century cells: members have a few prefixes (19…), each walked on its own with its factors.
        for c0 in 0...9 where register.childMask[0][0] & (1 << c0) != 0 {
            let node1 = register.child(0, 0, digit: c0)
            for c1 in 0...9 where register.childMask[1][node1] & (1 << c1) != 0 {
                digits[0] = c0
                digits[1] = c1
                // Until the year is known, the short form's factor is its upper bound.
                century = Century(full: p[0][c0] * p[1][c1],
                                  slip: (written[0] - p[0][c0]) * p[1][c1] + p[0][c0] * (written[1] - p[1][c1]),
                                  short: (1 - written[0]) * (1 - written[1]))
                visit(depth: 2, node: register.child(1, node1, digit: c1), q: 1, q1: 0)
            }
        }
    }

    /// Once the year digits are known: whether the 10-digit writing stands for this century.
    private mutating func fixShortForm() {
        let year = digits[0...3].reduce(0) { $0 * 10 + $1 }
        let shortForm = register.policy.year(forTwoDigits: year % 100) == year
        century.short = shortForm ? (1 - written[0]) * (1 - written[1]) : 0
    }

    private mutating func visit(depth: Int, node: Int, q: Double, q1: Double) {
        if depth == 12 { return leaf(q: q, q1: q1) }
        result.expansions += 1
        let mask = register.childMask[depth][node]
        var child = Int(register.firstChild[depth][node])
        for d in 0...9 where mask & (1 << d) != 0 {
            defer { child += 1 }
            let pd = p[depth][d]
            let cq = q * pd, cq1 = q1 * pd + q * (written[depth] - pd)
            digits[depth] = d
            if depth == 3 { fixShortForm() }
            let rest = depth + 1
            // Best conceivable share of every member under this prefix.
            let exactBound = cq * restAll[rest] * century.any
            // Every completion is a slip of at most 9 others, hence the 9.
            let slipBound = (cq1 * restAll[rest] * century.any + 9 * cq * restSlipAll[rest] * century.any
                             + cq * restAll[rest] * century.slip) / 90
            let shareBound = validPrior * exactBound + (1 - validPrior) * slipBound
            let bestLeaf = cq * restBest[rest] * century.any
            // Alternatives far below the best member found are of no use to the person checking.
            let wantedForTop = result.expansions < RegisterEvidence.maxTopExpansions
                && bestLeaf > (result.top.first?.mass ?? 0) * RegisterEvidence.topRange
                && (result.top.count < RegisterEvidence.topCount || bestLeaf > result.top[result.top.count - 1].mass)
            if shareBound < negligible && !wantedForTop {
                result.pruned += shareBound
                continue
            }
            visit(depth: rest, node: child, q: cq, q1: cq1)
        }
    }

    private mutating func leaf(q: Double, q1: Double) {
        let mass = q * century.any
        result.memberMass += mass
        // A slip among the 12 written cells (century ones included), or among the 10 of the short form.
        result.memberSlipMass += (q * century.slip + q1 * century.full) / 108 + q1 * century.short / 90
        guard mass > 0, result.top.count < RegisterEvidence.topCount || mass > result.top[result.top.count - 1].mass else { return }
        let at = result.top.firstIndex { $0.mass < mass } ?? result.top.count
        result.top.insert((digits, mass), at: at)
        if result.top.count > RegisterEvidence.topCount { result.top.removeLast() }
    }
}
