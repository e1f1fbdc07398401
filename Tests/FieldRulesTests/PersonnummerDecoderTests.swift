import BlankettSupport
import FieldRules
import XCTest

final class PersonnummerDecoderTests: XCTestCase {
    private let decoder = ConstrainedDecoder()

    func testConfidentValidNumberIsAcceptedWithHighConfidence() {
        var rng = SeededGenerator(seed: 10)
        for _ in 0..<100 {
            let written = randomPersonnummer(&rng)
            let field = decoder.decodePersonnummer(confidentCells(written, &rng))
            XCTAssertEqual(field.value, written)
            XCTAssertGreaterThan(field.confidence, 0.98)
            XCTAssertEqual(field.reasons, [])
            XCTAssertFalse(field.needsVerification)
        }
    }

    func testOneUnsureDigitIsResolvedByTheRules() {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<300 {
            let written = randomPersonnummer(&rng)
            var cells = confidentCells(written, &rng)
            let i = Int.random(in: 0..<12, using: &rng)
            cells[i] = cell(written[i], top: 0.5, &rng)
            let field = decoder.decodePersonnummer(cells)
            XCTAssertEqual(field.value, written)
            XCTAssertGreaterThan(field.confidence, 0.9)
        }
    }

    func testUnsureDigitWhoseTopIsWrongIsStillResolved() {
        var rng = SeededGenerator(seed: 12)
        for _ in 0..<300 {
            let written = randomPersonnummer(&rng)
            var cells = confidentCells(written, &rng)
            let i = Int.random(in: 0..<12, using: &rng)
            let wrong = (written[i] + Int.random(in: 1...9, using: &rng)) % 10
            cells[i] = CellReading(empty: 0.001, digits: (0...9).map { $0 == written[i] ? 0.3 : $0 == wrong ? 0.45 : 0.25 / 8 })
            XCTAssertEqual(decoder.decodePersonnummer(cells).value, written)
        }
    }

    func testWrittenInvalidNumberIsNeverAccepted() {
        var rng = SeededGenerator(seed: 13)
        for n in 0..<300 {
            var written = randomPersonnummer(&rng)
            let i = n % 2 == 0 ? 11 : Int.random(in: 0..<12, using: &rng)
            written[i] = (written[i] + Int.random(in: 1...9, using: &rng)) % 10
            let field = decoder.decodePersonnummer(confidentCells(written, &rng, top: 0.92...0.995))
            XCTAssertNil(field.value)
            XCTAssertEqual(field.confidence, 0)
            XCTAssertEqual(field.reasons.first, "personnummer_invalid")
            if i == 11 { XCTAssertEqual(field.reasons, ["personnummer_invalid", "personnummer_check_digit"]) }
            XCTAssertFalse(field.alternatives.contains { $0.value == written })
        }
    }

    func testTenDigitLayoutTakesTheCenturyFromThePolicy() {
        var rng = SeededGenerator(seed: 14)
        for _ in 0..<100 {
            let written = randomPersonnummer(&rng)
            let field = decoder.decodePersonnummer(confidentCells([-1, -1] + written[2...], &rng))
            XCTAssertEqual(field.value, written)
            XCTAssertEqual(field.value.map { Array($0[0..<2]) }, [1, 9])
            XCTAssertGreaterThan(field.confidence, 0.98)
        }
    }

    func testTheTwoLayoutsOfOneNumberPoolTheirEvidence() {
        var rng = SeededGenerator(seed: 15)
        let written = personnummer("19340512", "123")
        var cells = confidentCells(written, &rng)
        cells[0] = CellReading(empty: 0.5, digits: (0...9).map { $0 == 1 ? 1 : 0 })
        cells[1] = CellReading(empty: 0.5, digits: (0...9).map { $0 == 9 ? 1 : 0 })
        let field = decoder.decodePersonnummer(cells)
        XCTAssertEqual(field.value, written)
        // Each layout alone holds under half the mass; pooled they hold half, and the other half
        // (one century cell empty, one written) is invalid: π / (π + (1 − π)) · P(rest) ≈ 0.96 · 0.99.
        XCTAssertGreaterThan(field.confidence, 0.9)
    }

    func testLeftAlignedTenDigitsAreALayoutMistake() {
        var rng = SeededGenerator(seed: 16)
        let written = personnummer("19340512", "123")
        let field = decoder.decodePersonnummer(confidentCells(Array(written[2...]) + [-1, -1], &rng))
        XCTAssertNil(field.value)
        XCTAssertEqual(field.reasons, ["personnummer_invalid", "personnummer_wrong_layout"])
    }

    func testTwoEquallyGoodNumbersAreAmbiguous() {
        var rng = SeededGenerator(seed: 17)
        var written = personnummer("19340512", "123")
        var cells = confidentCells(written, &rng)
        // N2 has Luhn weight 1, so N2 + 1 with C − 1 is another valid number.
        let other = (written[11] + 9) % 10
        cells[9] = CellReading(empty: 0, digits: (0...9).map { $0 == 2 || $0 == 3 ? 0.5 : 0 })
        cells[11] = CellReading(empty: 0, digits: (0...9).map { $0 == written[11] || $0 == other ? 0.5 : 0 })
        let field = decoder.decodePersonnummer(cells)
        XCTAssertEqual(field.reasons, ["personnummer_ambiguous"])
        XCTAssertEqual(field.confidence, 0.5, accuracy: 0.05)
        written[9] = 3
        written[11] = other
        XCTAssertTrue(field.value == written || field.alternatives.first?.value == written)
    }

    func testConfidenceIsTheModelPosteriorByBruteForce() {
        var rng = SeededGenerator(seed: 18)
        var checked = 0
        for _ in 0..<30 {
            let written = randomPersonnummer(&rng)
            // Two digits per cell, and cells 1–2 may also be empty: small enough to list every reading.
            var options: [[(symbol: Int, p: Double)]] = []
            var cells: [CellReading] = []
            for (i, d) in written.enumerated() {
                let other = (d + Int.random(in: 1...9, using: &rng)) % 10
                let a = Double.random(in: 0.4...0.85, using: &rng), e = i < 2 ? Double.random(in: 0...0.6, using: &rng) : 0
                cells.append(CellReading(empty: e, digits: (0...9).map { $0 == d ? a : $0 == other ? 1 - a : 0 }))
                options.append([(d, (1 - e) * a), (other, (1 - e) * (1 - a))] + (e > 0 ? [(-1, e)] : []))
            }
            var mass: [[Int]: Double] = [:]
            var readings: [([Int], Double)] = [([], 1)]
            for cellOptions in options {
                readings = readings.flatMap { r in cellOptions.map { (r.0 + [$0.symbol], r.1 * $0.p) } }
            }
            for (symbols, p) in readings {
                let layoutOK = !symbols.contains(-1) || (symbols[0] == -1 && symbols[1] == -1 && !symbols[2...].contains(-1))
                if layoutOK, case .success(let v) = Personnummer.validate(symbols.filter { $0 >= 0 }) {
                    mass[v.digits.compactMap(\.wholeNumberValue), default: 0] += p
                }
            }
            let field = decoder.decodePersonnummer(cells)
            guard let best = mass.max(by: { $0.value < $1.value }) else {
                XCTAssertNil(field.value)
                continue
            }
            // An invalid reading weighs at most 1/9 of the mistakes' share (one slip from ≤ 10 valid
            // values, each with ≥ 90 slips).
            let z = mass.values.reduce(0, +), prior = decoder.validPrior
            let posterior = { (m: Double) in prior * m / (prior * z + (1 - prior) / 9 * (1 - z)) }
            XCTAssertEqual(field.value, best.key)
            XCTAssertEqual(field.confidence, posterior(best.value), accuracy: 1e-9)
            for alternative in field.alternatives {
                XCTAssertEqual(alternative.probability, posterior(mass[alternative.value] ?? -1), accuracy: 1e-9)
            }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 10)
    }

    func testFlatCellsEndQuicklyWithLowConfidence() {
        let flat = Array(repeating: CellReading(empty: 1.0 / 11, digits: Array(repeating: 0.1, count: 10)), count: 12)
        var rng = SeededGenerator(seed: 19)
        let noisy = (0..<12).map { _ in
            CellReading(empty: Double(rng.unit()) * 0.3, digits: (0...9).map { _ in 0.5 + Double(rng.unit()) })
        }
        for cells in [flat, noisy] {
            let start = ContinuousClock.now
            let field = decoder.decodePersonnummer(cells)
            XCTAssertLessThan(ContinuousClock.now - start, .milliseconds(500))
            XCTAssertTrue(field.needsVerification)
            XCTAssertLessThan(field.confidence, 0.01)
        }
    }

    func testInvariantsOnRandomCells() {
        var rng = SeededGenerator(seed: 21)
        var accepted = 0, slipsRefused = 0
        for n in 0..<150 {
            var written = randomPersonnummer(&rng)
            let slip = n % 3 == 0 ? Int.random(in: 0..<12, using: &rng) : nil
            if let i = slip { written[i] = (written[i] + Int.random(in: 1...9, using: &rng)) % 10 }
            let allSure = n % 4 < 2
            let cells = written.map { digit in
                let sure = allSure || Bool.random(using: &rng)
                return cell(digit, top: Double.random(in: sure ? 0.91...0.999 : 0.35...0.9, using: &rng), &rng)
            }
            let field = decoder.decodePersonnummer(cells)
            if let value = field.value {
                XCTAssertNoThrow(try Personnummer.validate(value).get())
                // A valid number that is every cell's top reading is what gets decoded.
                if slip == nil { XCTAssertEqual(value, written) }
                accepted += 1
            } else {
                XCTAssertEqual(field.confidence, 0)
                XCTAssertTrue(["personnummer_invalid", "personnummer_unreadable"].contains(field.reasons.first ?? ""))
            }
            // A slip read with every cell sure is never corrected: any fix contradicts a sure cell.
            if slip != nil, zip(cells, written).allSatisfy({ $0.probability(ofDigit: $1) >= decoder.sureCell }) {
                XCTAssertNil(field.value)
                slipsRefused += 1
            }
            let probabilities = [field.confidence] + field.alternatives.map(\.probability)
            XCTAssertTrue(probabilities.allSatisfy { (0...1).contains($0) })
            XCTAssertLessThanOrEqual(probabilities.reduce(0, +), 1 + 1e-9)
            XCTAssertEqual(field.alternatives.map(\.probability), field.alternatives.map(\.probability).sorted(by: >))
            XCTAssertEqual(field.needsVerification, field.value == nil || field.confidence < decoder.minConfidence)
        }
        XCTAssertGreaterThan(accepted, 50)
        XCTAssertGreaterThan(slipsRefused, 0)
    }

    func testTypicalFieldsDecodeFast() {
        var rng = SeededGenerator(seed: 20)
        let fields = (0..<200).map { _ in
            var cells = confidentCells(randomPersonnummer(&rng), &rng)
            cells[Int.random(in: 0..<12, using: &rng)] = cell(Int.random(in: 0...9, using: &rng), top: 0.6, &rng)
            return cells
        }
        let start = ContinuousClock.now
        for cells in fields { _ = decoder.decodePersonnummer(cells) }
        // Generous, because the suite may share the machine (and run unoptimised); the typical
        // cost in release is a small fraction of a millisecond.
        XCTAssertLessThan((ContinuousClock.now - start) / fields.count, .milliseconds(5))
    }
}
