// Scoring Tesseract and Blankett on the same personnummer: cell answers position by position,
// the line reading by edit distance, Blankett's value on the written cells only.
import Bench
import XCTest

final class PeerTests: XCTestCase {
    func testTalliesBothModesAndBlankett() {
        var tally = PeerTally()
        // 10 digits written in the 10-digit form: Tesseract misses one cell (no answer) and reads a 3 as 8;
        // the line drops one digit. Blankett reads the whole number right.
        let cells = Pages.pnCellsShort
        var answers = cells.compactMap { $0 }.map { Optional($0) }
        answers[0] = nil
        answers[9] = answers[9] == 3 ? 8 : 3
        let line = String(Pages.pn.dropFirst(2).dropLast())
        tally.add(written: cells, peer: PeerReading(cellAnswers: answers, line: line, cellMs: 300, lineMs: 40), blankett: Pages.pn)
        // 12 digits, all read right by Tesseract; Blankett gives no value.
        tally.add(written: Pages.pnCells, peer: PeerReading(cellAnswers: Pages.pnCells, line: Pages.pn, cellMs: 360, lineMs: 60),
                  blankett: nil)
        XCTAssertEqual(tally.fields, 2)
        XCTAssertEqual(tally.digits, 22)
        XCTAssertEqual(tally.cellCorrect, 20)
        XCTAssertEqual(tally.cellFieldsRight, 1)
        XCTAssertEqual(tally.lineCorrect, 21)
        XCTAssertEqual(tally.lineFieldsRight, 1)
        XCTAssertEqual(tally.blankettCorrect, 10)
        XCTAssertEqual(tally.blankettFieldsRight, 1)
        XCTAssertEqual(tally.cellDigitAccuracy, 20.0 / 22, accuracy: 1e-12)
        XCTAssertEqual(tally.msPerCell, 30, accuracy: 1e-12)
        XCTAssertEqual(tally.msPerLine, 50, accuracy: 1e-12)
    }

    func testALineOfGarbageScoresZeroNotLess() {
        var tally = PeerTally()
        tally.add(written: Pages.pnCells, peer: PeerReading(cellAnswers: [], line: String(repeating: "1", count: 40), cellMs: 0, lineMs: 0),
                  blankett: nil)
        XCTAssertEqual(tally.lineCorrect, 0)
        XCTAssertEqual(tally.cellCorrect, 0)
    }
}
