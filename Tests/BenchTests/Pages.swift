// Hand-made pages for the Bench tests: a small run whose every figure can be worked out on paper.
// The personnummer 193405129876 is made up; a wrong reading differs in its last two digits.
import Bench

enum Pages {
    static let pn = "193405129876"
    static let pnCells: [Int?] = pn.map(\.wholeNumberValue)
    /// The same number written in the 10-digit form: the century cells stay empty.
    static let pnCellsShort: [Int?] = [nil, nil] + pn.dropFirst(2).map(\.wholeNumberValue)

    static func expected(_ file: String, _ status: String = "accepted", reasons: [String] = [],
                         pn: String? = Pages.pn, pnCells: [Int?] = Pages.pnCells, signed: Bool = true) -> ExpectedPage {
        guard status != "rejected" else { return ExpectedPage(file: file, status: status, reasons: reasons, fields: []) }
        let pnBroken = reasons.contains { $0.hasPrefix("personnummer_") }
        return ExpectedPage(file: file, status: status, reasons: reasons, fields: [
            ExpectedField(name: "personnummer", value: pnBroken ? nil : pn, written: pn, cells: pnCells),
            ExpectedField(name: "datum", value: "20250713", written: "20250713", cells: "20250713".map(\.wholeNumberValue)),
            ExpectedField(name: "namnteckning", value: signed ? "true" : nil, written: String(signed)),
        ])
    }

    static func observed(_ file: String, _ status: String = "accepted", pn: String? = Pages.pn, pnConfidence: Double = 0.999,
                         pnReasons: [String] = [], signed: String = "true", reasons: [String] = []) -> ObservedPage {
        guard status != "rejected" else { return ObservedPage(file: file, status: status, reasons: reasons, fields: []) }
        return ObservedPage(file: file, status: status, reasons: reasons, fields: [
            ObservedField(name: "personnummer", value: pn, confidence: pnConfidence, reasons: pnReasons),
            ObservedField(name: "datum", value: "20250713", confidence: 0.99, reasons: []),
            ObservedField(name: "namnteckning", value: signed, confidence: 0.999, reasons: []),
        ], dpi: 300)
    }

    /// Six pages: right; wrong personnummer accepted; a mistake flagged; a mistake missed
    /// (unsigned page read as signed); a refused file refused; a valid page refused.
    static var tally: AccuracyTally {
        var t = AccuracyTally()
        t.add(expected("a.png", pnCells: pnCellsShort), observed("a.png", pnConfidence: 0.9995))
        t.add(expected("b.png"), observed("b.png", pn: "193405129801", pnConfidence: 0.995))
        t.add(expected("c.png", "needs_verification", reasons: ["personnummer_invalid"]),
              observed("c.png", "needs_verification", pn: nil, pnConfidence: 0, pnReasons: ["personnummer_invalid"],
                       reasons: ["personnummer_invalid"]))
        t.add(expected("d.png", "needs_verification", reasons: ["namnteckning_missing"], signed: false),
              observed("d.png", pnConfidence: 0.9999))
        t.add(expected("e.png", "rejected", reasons: ["not_png"]), observed("e.png", "rejected", reasons: ["not_png"]))
        t.add(expected("f.png"), observed("f.png", "rejected", reasons: ["no_registration_marks"]))
        return t
    }
}
