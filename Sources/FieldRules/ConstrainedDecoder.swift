// Decodes a field under its rules: the most probable readings that satisfy every rule, and the
// probability that the chosen one is what the applicant wrote.
//
// Model. The CNN's per-cell probabilities (calibrated, independent across cells) give every
// reading w of the n cells a likelihood P(w) = Π P(cell i = w_i); over all 11^n readings they sum
// to 1. The prior weighs each reading π if it is valid and 1 − π if not: applicants mostly write
// valid values, but they do make slips, so an invalid reading is discounted, never ruled out.
// With Z = Σ_valid P(w) (exact, see ValidMass) the posterior that value v was written is
//
//     confidence(v) = π · Σ_{w writes v} P(w) / (π · Z + (1 − π) · s · (1 − Z)).
//
// s ≤ 1 bounds how much of the mistakes' share one invalid reading can carry (FieldRule.slipShare):
// a mistake is a slip of one digit; an invalid personnummer reading is one slip from at most 10
// valid values (the Luhn digit), each of which can be slipped ≥ 90 ways, so s = 1/9 there; an
// invalid date is one slip from at most 21 valid dates of 72 slips each, s = 21/72; s = 1 for
// fields where nothing bounds it (the phone number). With
// s = 1 the personnummer's confidences were far too low: on the benchmark its fields at 0.5–0.9
// predicted 21 wrong acceptances (Σ 1 − confidence) where 3 happened.
//
// Why not P(v) / Z: that assumes the writer cannot have made a mistake, so a confidently read
// invalid number would be "corrected" to its nearest valid neighbour with confidence near 1.
// Keeping the invalid mass in the denominator makes confidence fall when the evidence points at
// readings no rule allows. With confident cells and a valid argmax, Z ≈ P(argmax) and confidence
// ≈ π·P / (π·P + (1 − π)·s·(1 − P)), high. With one unsure cell where only one digit makes a valid
// number, Z is again about one reading and confidence stays high: the rules resolved the doubt.
// Fields without redundancy (a date, a phone number) score lower for equally good cells, since
// every other digit a cell allows is another valid value; that is honest, not a defect.
//
// Policy on top of the model: if the best valid value contradicts a cell the network was sure
// of (top outcome ≥ `sureCell`), the applicant probably wrote an invalid value. It is flagged
// `<field>_invalid` plus the rule the cell-by-cell reading breaks, with no value; valid readings
// appear only as alternatives. The same holds when no valid reading is found and every cell is
// sure; with unsure cells that is `<field>_unreadable`.
//
// Search: best-first over readings (BestFirstEnumerator), stopped after `maxCandidates` valid
// values, when all valid mass is found (Z − found < 1e-9 · best), when no remaining reading
// reaches `negligibleRatio` of the best valid value (before any, of the best reading), or after
// `maxExpansions` readings, which bounds flat inputs. Confidence does not depend on where the
// search stops: Z is exact and each value's mass is summed over all its writings.
public struct ConstrainedDecoder: Sendable {
    /// π: the share of forms on which the applicant wrote a valid value. 0.96 matches the share
    /// of invalid personnummer in the benchmark's mix (2 % wrong check digit, 2 % impossible
    /// date). At 0.99 a written wrong check digit in a cell the network was unsure of was
    /// "corrected" to its valid neighbour at 98.9 %: too readily explained away. A lower π only
    /// sends more to a person; the real share should be taken from the verification queue.
    public var validPrior = 0.96
    /// A cell whose top outcome reaches this is taken as what was written.
    public var sureCell = 0.9
    /// Below this, an accepted value still goes to verification. One decoder per threshold: a
    /// phone number may deserve a lower one than a personnummer.
    public var minConfidence = 0.98
    /// Valid values to find: the chosen one and up to three alternatives.
    public var maxCandidates = 4
    /// Readings below this fraction of the best valid value are not worth listing; and before
    /// any valid value is found, one this far below the best reading would hold at most about
    /// π / (1 − π) · 1e-4 of the posterior (0.24 % with π = 0.96), so it could not be accepted anyway.
    public var negligibleRatio = 1e-4
    public var maxExpansions = 2_000

    public init() {}

    public func decodePersonnummer(_ cells: [CellReading], policy: PersonnummerPolicy = .pm7001,
                                   register: RegisterPrior? = nil) -> DecodedField<[Int]> {
        decode(cells, rule: .personnummer(policy), register: register)
    }

    /// `notAfter` is the scan date.
    public func decodeDate(_ cells: [CellReading], notBefore: CalendarDate = DateField.defaultNotBefore,
                           notAfter: CalendarDate) -> DecodedField<[Int]> {
        decodeDate(cells, window: DateField(notBefore: notBefore, notAfter: notAfter))
    }

    /// The window is the mailing date (or the blank's edition date) up to the scan date.
    public func decodeDate(_ cells: [CellReading], window: DateField) -> DecodedField<[Int]> {
        decode(cells, rule: .date(window))
    }

    /// The phone is optional: all cells empty decodes to the valid value [].
    public func decodePhone(_ cells: [CellReading]) -> DecodedField<[Int]> {
        decode(cells, rule: .phone)
    }

    private struct Candidate {
        let firstSeen: Int
        let mass: Double
        /// Some writing of this value agrees with every cell the network was sure of.
        let keepsSureCells: Bool
        var member = false
    }

    /// The evidence for every explanation of the cells, and each value's weight in it.
    private struct Posterior {
        var evidence: Double
        /// The part of `evidence` that says an invalid value was written.
        var invalid: Double
        let validPrior: Double
        let register: RegisterPrior?

        func weight(_ candidate: Candidate) -> Double {
            guard let register else { return 1 }
            return (1 - register.share) + (candidate.member ? register.share * register.boost : 0)
        }

        func probability(_ candidate: Candidate) -> Double {
            evidence > 0 ? validPrior * weight(candidate) * candidate.mass / evidence : 0
        }
    }

    func decode(_ cells: [CellReading], rule: FieldRule, register: RegisterPrior? = nil) -> DecodedField<[Int]> {
        precondition(cells.count == rule.cellCount, "\(rule.field) has \(rule.cellCount) cells")
        let top = cells.map(\.mostLikely)
        let validMass = rule.validMass(cells)
        var found = search(cells, rule, top: top, validMass: validMass)
        let z = max(validMass, found.values.reduce(0) { $0 + $1.mass })
        // Without a register every valid value has the same prior: the evidence as documented above.
        let outside = register.map { 1 - $0.share } ?? 1
        var posterior = Posterior(evidence: outside * (validPrior * z), invalid: outside * (1 - validPrior) * rule.slipShare * (1 - z),
                                  validPrior: validPrior, register: register)
        posterior.evidence += posterior.invalid
        if let register {
            let evidence = register.register.evidence(cells, validPrior: validPrior,
                                                      negligible: Self.registerPrecision * posterior.evidence / (register.share * register.boost))
            let scale = register.share * register.boost
            posterior.evidence += scale * (validPrior * evidence.memberMass + (1 - validPrior) * evidence.memberSlipMass + evidence.pruned)
            posterior.invalid += scale * (1 - validPrior) * evidence.memberSlipMass
            for (value, mass) in evidence.top where found[value] == nil {
                found[value] = Candidate(firstSeen: found.count, mass: mass, keepsSureCells: keepsSureCells(rule.writings(value), top))
            }
            for value in found.keys { found[value]!.member = register.register.contains(value) }
        }
        let byMass = found.sorted { ($0.value.mass, -$0.value.firstSeen) > ($1.value.mass, -$1.value.firstSeen) }
        let ranked = found.sorted {
            (posterior.probability($0.value), -$0.value.firstSeen) > (posterior.probability($1.value), -$1.value.firstSeen)
        }
        // A register's members come first among the alternatives when the best is not one.
        let listed = { (values: [(key: [Int], value: Candidate)]) in
            values.sorted { $0.value.member && !$1.value.member }.prefix(3)
                .map { (value: $0.key, probability: posterior.probability($0.value)) }
        }
        let field = rule.field
        func result(_ value: [Int]?, _ confidence: Double, _ alternatives: [(key: [Int], value: Candidate)], _ reasons: [String]) -> DecodedField<[Int]> {
            DecodedField(field: field, value: value, confidence: confidence, alternatives: listed(alternatives), reasons: reasons,
                         invalidProbability: posterior.evidence > 0 ? posterior.invalid / posterior.evidence : 1)
        }
        // Whether the applicant wrote an invalid value is judged on the cells alone, as without a register.
        guard let likeliest = byMass.first else {
            let writtenInvalid = top.allSatisfy { $0.probability >= sureCell }
            return result(nil, 0, [], writtenInvalid ? ["\(field)_invalid"] + violation(top, rule) : ["\(field)_unreadable"])
        }
        guard likeliest.value.keepsSureCells else {
            return result(nil, 0, ranked, ["\(field)_invalid"] + violation(top, rule))
        }
        let best = ranked[0]
        let confidence = posterior.probability(best.value)
        var reasons: [String] = []
        if register != nil, !best.value.member {
            // Never certain: who was not mailed the blank is for a person to find.
            reasons.append("\(field)_not_in_register")
        } else if confidence < minConfidence || !best.value.keepsSureCells {
            // Ambiguous when a rival value is a real contender, not just leftover doubt.
            let close = ranked.count > 1 && posterior.probability(ranked[1].value) >= 0.25 * confidence
            reasons.append(close || !best.value.keepsSureCells ? "\(field)_ambiguous" : "\(field)_low_confidence")
        }
        return result(best.key, confidence, Array(ranked.dropFirst()), reasons)
    }

    /// The register's sum is exact to this share of the evidence, and errs only upwards.
    static let registerPrecision = 1e-7

    /// The valid values among the most probable readings, each with its exact mass.
    private func search(_ cells: [CellReading], _ rule: FieldRule, top: [(symbol: Int, probability: Double)],
                        validMass: Double) -> [[Int]: Candidate] {
        var readings = BestFirstEnumerator(cells: cells, shapes: rule.shapes)
        var candidates: [[Int]: Candidate] = [:]
        var foundMass = 0.0, bestValid = 0.0, bestReading = 0.0
        while candidates.count < maxCandidates, readings.expansions < maxExpansions,
              validMass - foundMass > 1e-9 * bestValid, let reading = readings.next() {
            bestReading = max(bestReading, reading.probability)
            if case .success(let value) = rule.interpret(reading.digits), candidates[value] == nil {
                // The value's whole mass, not just this reading's, so confidence does not depend
                // on whether the search happened to reach its other writing before stopping.
                let writings = rule.writings(value)
                let mass = writings.reduce(0.0) { $0 + probability(of: $1, cells) }
                candidates[value] = Candidate(firstSeen: candidates.count, mass: mass, keepsSureCells: keepsSureCells(writings, top))
                foundMass += mass
                bestValid = max(bestValid, mass)
            }
            if readings.bestRemaining < negligibleRatio * (bestValid > 0 ? bestValid : bestReading) { break }
        }
        return candidates
    }

    private func keepsSureCells(_ writings: [[Int]], _ top: [(symbol: Int, probability: Double)]) -> Bool {
        writings.contains { zip($0, top).allSatisfy { $0 == $1.symbol || $1.probability < sureCell } }
    }

    private func probability(of writing: [Int], _ cells: [CellReading]) -> Double {
        zip(writing, cells).reduce(1.0) { $0 * ($1.0 < 0 ? $1.1.empty : $1.1.probability(ofDigit: $1.0)) }
    }

    /// Which rule the cell-by-cell reading breaks, for the person who checks the form: the rule
    /// its digits break, or else that they sit in the wrong cells.
    private func violation(_ top: [(symbol: Int, probability: Double)], _ rule: FieldRule) -> [String] {
        let symbols = top.map(\.symbol)
        if case .failure(let problem) = rule.interpret(symbols.filter { $0 >= 0 }) { return [problem.code] }
        return rule.shapes.contains(symbols.map { $0 >= 0 }) ? [] : ["\(rule.field)_wrong_layout"]
    }
}
