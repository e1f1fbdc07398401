// The register as a prior on the personnummer: the properties, each over many draws.
import BlankettSupport
import FieldRules
import XCTest

final class RegisterDecoderTests: XCTestCase {
    private var decoder: ConstrainedDecoder {
        var d = ConstrainedDecoder()
        d.minConfidence = 0.9993
        return d
    }

    /// A register as sparse as the campaign's: 100,000 members among 25.6 million valid numbers.
    private static let members: [[Int]] = {
        var rng = SeededGenerator(seed: 40)
        return (0..<100_000).map { _ in randomPersonnummer(&rng) }
    }()
    private static let prior = try! RegisterPrior(register: MailingRegister(members: members, policy: .pm7001))

    func testAMemberWithOneDoubtfulCellIsFoundAndCertain() {
        var rng = SeededGenerator(seed: 41)
        var certain = 0, plainCertain = 0
        for n in 0..<200 {
            let written = Self.members[n * 37]
            var cells = confidentCells(written, &rng, top: 0.995...0.9995)
            // The cell shows the written digit at only 50–85 %, a wrong digit at most of the rest.
            // (Below that the cells make a slip of the applicant's likely enough to need a person.)
            let i = 2 + n % 10, wrong = (written[i] + 1 + n % 9) % 10, top = 0.5 + 0.35 * Double(n % 7) / 6
            cells[i] = CellReading(empty: 0.001, digits: (0...9).map { $0 == written[i] ? top : $0 == wrong ? 0.9 * (1 - top) : 0.1 * (1 - top) / 8 })
            let field = decoder.decodePersonnummer(cells, register: Self.prior)
            XCTAssertEqual(field.value, written)
            if field.reasons.isEmpty { certain += 1 }
            if decoder.decodePersonnummer(cells).reasons.isEmpty { plainCertain += 1 }
        }
        // A non-member two digits away (the doubtful cell and a 99.5 % one) keeps a little doubt on a few.
        XCTAssertGreaterThanOrEqual(certain, 190, "members are certain with the register")
        XCTAssertLessThan(plainCertain, 100, "the cells alone leave most doubtful: the register made the difference")
    }

    func testANonMemberIsNeverCertainAndTheNearestMembersAreListed() {
        var rng = SeededGenerator(seed: 42)
        let register = Self.prior.register
        for _ in 0..<200 {
            var written = randomPersonnummer(&rng)
            while register.contains(written) { written = randomPersonnummer(&rng) }
            let field = decoder.decodePersonnummer(confidentCells(written, &rng, top: 0.999...0.99999), register: Self.prior)
            XCTAssertEqual(field.value, written)
            XCTAssertEqual(field.reasons, ["personnummer_not_in_register"])
            XCTAssertTrue(field.needsVerification)
            XCTAssertFalse(field.alternatives.isEmpty)
            for alternative in field.alternatives { XCTAssertTrue(register.contains(alternative.value)) }
        }
    }

    /// Luhn keeps two valid numbers at least two digits apart (or an adjacent 0↔9 swap apart):
    /// members that close, with the cells doubtful between them, are never certain.
    func testAMemberNextToAnotherMemberIsNotCertain() throws {
        var rng = SeededGenerator(seed: 43)
        for n in 0..<100 {
            let a = randomPersonnummer(&rng)
            // b: another serial digit and the check digit that goes with it.
            var b = a
            b[10] = (a[10] + 1 + n % 9) % 10
            b[11] = Personnummer.luhnDigit(b[2..<11])
            guard b[11] != a[11] else { continue }
            let prior = try RegisterPrior(register: MailingRegister(members: Self.members + [a, b], policy: .pm7001))
            var cells = confidentCells(a, &rng, top: 0.995...0.9995)
            let share = 0.55 + 0.4 * Double(n % 5) / 4
            for i in [10, 11] {
                cells[i] = CellReading(empty: 0.001, digits: (0...9).map { $0 == a[i] ? share : $0 == b[i] ? 0.999 - share : 0.001 / 8 })
            }
            let field = decoder.decodePersonnummer(cells, register: prior)
            XCTAssertEqual(field.value, a)
            XCTAssertLessThan(field.confidence, 0.9993)
            XCTAssertFalse(field.reasons.isEmpty)
            XCTAssertTrue(field.alternatives.contains { $0.value == b })
        }
    }

    /// An applicant in the register who wrote a wrong check digit, on a cell the network doubts,
    /// is not silently corrected to the member: slips of members weigh as much as the members.
    func testAMembersSlipIsNotCorrectedToTheMember() {
        var rng = SeededGenerator(seed: 44)
        for n in 0..<100 {
            let member = Self.members[n * 101]
            var written = member
            written[11] = (member[11] + 1 + n % 9) % 10
            var cells = confidentCells(written, &rng, top: 0.995...0.9995)
            // Read as what was written at 70 %, as the member's digit at 30 %.
            cells[11] = CellReading(empty: 0.001, digits: (0...9).map { $0 == written[11] ? 0.7 : $0 == member[11] ? 0.3 : 0 })
            let field = decoder.decodePersonnummer(cells, register: Self.prior)
            XCTAssertFalse(field.reasons.isEmpty, "a likely mistake must go to a person")
        }
    }

    func testTheRegisterCostsLittlePerField() {
        var rng = SeededGenerator(seed: 45)
        var expansions = 0
        for n in 0..<100 {
            let cells = confidentCells(Self.members[n], &rng)
            expansions += Self.prior.register.evidence(cells, validPrior: 0.96, negligible: 1e-9 * 0.03).expansions
        }
        // A few thousand trie nodes a field, not the 100,000 members.
        XCTAssertLessThan(expansions / 100, 20_000)
        XCTAssertLessThan(Self.prior.register.bytes, 5_000_000)
    }
}
