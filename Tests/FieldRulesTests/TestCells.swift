// Builders for the tests: valid personnummer drawn at random, and cells that a confident or an
// unsure network would produce for a given written string.
import BlankettSupport
import FieldRules

/// ÅÅÅÅMMDD + NNN with the right check digit appended.
func personnummer(_ yyyymmdd: String, _ nnn: String) -> [Int] {
    let digits = (yyyymmdd + nnn).compactMap(\.wholeNumberValue)
    return digits + [Personnummer.luhnDigit(digits[2...])]
}

/// One in five is a samordningsnummer.
func randomPersonnummer(_ rng: inout SeededGenerator) -> [Int] {
    let year = Int.random(in: 1900...1934, using: &rng), month = Int.random(in: 1...12, using: &rng)
    let day = Int.random(in: 1...CalendarDate.daysInMonth(month, year: year), using: &rng)
        + (Int.random(in: 0..<5, using: &rng) == 0 ? 60 : 0)
    let date = [year / 1000, year / 100 % 10, year / 10 % 10, year % 10, month / 10, month % 10, day / 10, day % 10]
    let nnn = (0..<3).map { _ in Int.random(in: 0...9, using: &rng) }
    return date + nnn + [Personnummer.luhnDigit(date[2...] + nnn)]
}

/// A cell showing `digit` with probability `top`, the rest spread unevenly over the other digits.
func cell(_ digit: Int, top: Double, empty: Double = 0.001, _ rng: inout SeededGenerator) -> CellReading {
    let weights = (0...9).map { $0 == digit ? 0 : 0.2 + Double(rng.unit()) }
    let rest = weights.reduce(0, +)
    return CellReading(empty: empty, digits: (0...9).map { $0 == digit ? top : (1 - top) * weights[$0] / rest })
}

func emptyCell(_ pEmpty: Double = 0.99) -> CellReading {
    CellReading(empty: pEmpty, digits: Array(repeating: 0.1, count: 10))
}

/// Cells for a written string (-1 = empty) as a confident network would see them.
func confidentCells(_ symbols: [Int], _ rng: inout SeededGenerator, top: ClosedRange<Double> = 0.98...0.999)
    -> [CellReading]
{
    symbols.map { symbol in
        let sure = Double.random(in: top, using: &rng)
        return symbol < 0 ? emptyCell(sure) : cell(symbol, top: sure, &rng)
    }
}
