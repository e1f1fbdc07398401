// The register file's format and errors, the trie, and the register's sums against brute force.
import BlankettSupport
import FieldRules
import XCTest

final class MailingRegisterTests: XCTestCase {
    private func text(_ numbers: [[Int]]) -> String { numbers.map { $0.map(String.init).joined() }.joined(separator: "\n") }

    func testParsesNumbersCommentsBlankLinesAndCRLF() throws {
        var rng = SeededGenerator(seed: 1)
        let members = (0..<50).map { _ in randomPersonnummer(&rng) }
        let file = "# mailing 2025-10-15, 50 people\r\n\r\n" + members.map { "  " + $0.map(String.init).joined() + " \r\n" }.joined()
            + "# ÅÄÖ comment\n"
        let register = try MailingRegister.parse(Array(file.utf8), policy: .pm7001)
        XCTAssertEqual(register.count, 50)
        for m in members { XCTAssertTrue(register.contains(m)) }
        var other = members[0]
        other[10] = (other[10] + 1) % 10
        XCTAssertFalse(register.contains(other))
    }

    func testEveryBadLineIsATypedErrorNamingItsLineNeverItsContent() {
        let good = personnummer("19340512", "123").map(String.init).joined()
        let cases: [(String, String, Int)] = [
            (String(good.dropFirst(2)), "register_invalid_line", 2),                          // the 10-digit form
            (String(good.dropLast()) + String((Int(String(good.last!))! + 1) % 10), "register_invalid_line", 2),  // check digit
            (personnummer("19341312", "123").map(String.init).joined(), "register_invalid_line", 2),  // no 13th month
            (personnummer("19350512", "123").map(String.init).joined(), "register_invalid_line", 2),  // after the policy's years
            (String(good.prefix(8)) + "-" + String(good.suffix(4)), "register_invalid_line", 2),      // a separator
            (String(good.dropLast()) + "x", "register_invalid_line", 2),
        ]
        XCTAssertNoThrow(try MailingRegister.parse(Array(good.utf8), policy: .pm7001), "the good line is valid")
        for (line, code, number) in cases {
            XCTAssertThrowsError(try MailingRegister.parse(Array((good + "\n" + line + "\n").utf8), policy: .pm7001)) { error in
                let e = error as? BlankettError
                XCTAssertEqual(e?.code, code, line)
                XCTAssertTrue(e?.message.contains("line \(number)") ?? false, e?.message ?? "")
                XCTAssertFalse(e?.message.contains(line) ?? true, "the message quotes the line")
                XCTAssertFalse(e?.message.contains("340512") ?? true, "the message quotes digits")
            }
        }
        XCTAssertThrowsError(try MailingRegister.parse(Array("# only a comment\n\n".utf8), policy: .pm7001)) {
            XCTAssertEqual(($0 as? BlankettError)?.code, "register_empty")
        }
        XCTAssertThrowsError(try MailingRegister.parse(Array("# caf".utf8) + [0xE9] + Array("\n\(good)\n".utf8), policy: .pm7001)) {
            XCTAssertEqual(($0 as? BlankettError)?.code, "register_not_utf8")
            XCTAssertTrue(($0 as? BlankettError)?.message.contains("line 1") ?? false)
        }
    }

    func testValidNumbersAreCountedOverThePolicysDays() {
        // 1900–1934: 35 years, 8 of them leap (1900 is not), times two for samordningsnummer, times 1,000 NNN.
        XCTAssertEqual(MailingRegister(members: [], policy: .pm7001).validNumbers, Double((35 * 365 + 8) * 2 * 1000))
    }

    /// The walk without pruning equals the sums over members written out, and with pruning
    /// errs only upwards, by less than it was allowed to.
    func testSumsMatchBruteForce() {
        var rng = SeededGenerator(seed: 2)
        let members = (0..<400).map { _ in randomPersonnummer(&rng) }
        let register = MailingRegister(members: members, policy: .pm7001)
        for trial in 0..<20 {
            let written = members[trial]
            var cells = confidentCells(trial % 2 == 0 ? written : [-1, -1] + written[2...], &rng, top: 0.6...0.99)
            cells[2 + trial % 10] = cell(written[2 + trial % 10], top: 0.4, &rng)
            let exact = register.evidence(cells, validPrior: 0.96, negligible: 0)
            var mass = 0.0, slips = 0.0
            for m in members {
                let writings = [m, [-1, -1] + m[2...]]
                for (w, writing) in writings.enumerated() {
                    let p = zip(writing, cells).map { $0 < 0 ? $1.empty : $1.probability(ofDigit: $0) }
                    mass += p.reduce(1, *)
                    let n = w == 0 ? 12 : 10
                    for i in 0..<12 where writing[i] >= 0 {
                        let other = (1 - cells[i].empty) - cells[i].probability(ofDigit: writing[i])
                        slips += other * p.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element } / Double(9 * n)
                    }
                }
            }
            XCTAssertEqual(exact.memberMass, mass, accuracy: 1e-12 * max(mass, 1e-300))
            XCTAssertEqual(exact.memberSlipMass, slips, accuracy: 1e-9 * max(slips, 1e-300))
            XCTAssertEqual(exact.pruned, 0)
            XCTAssertEqual(exact.top.first?.value, written)

            let allowed = 1e-6 * (0.96 * mass + 0.04 * slips)
            let pruned = register.evidence(cells, validPrior: 0.96, negligible: allowed)
            let found = 0.96 * pruned.memberMass + 0.04 * pruned.memberSlipMass
            XCTAssertGreaterThanOrEqual(found + pruned.pruned, (0.96 * mass + 0.04 * slips) * (1 - 1e-12))
            XCTAssertLessThanOrEqual(pruned.expansions, exact.expansions)
            XCTAssertEqual(pruned.top.first?.value, written)
        }
    }
}
