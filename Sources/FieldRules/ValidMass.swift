// Exact total probability of all valid readings of a field, by summing over the rule's
// structure instead of over readings.
//
// Why: the confidence of a decoded value is its share of the evidence, and the evidence for
// "something valid was written" is spread over up to tens of millions of readings (every
// birth date × NNN). Enumeration can only list the head of that sum; these closed forms give
// the whole of it in microseconds: a personnummer is a sum over calendar dates in the policy's
// window, times a small table for NNNC that makes the Luhn sum come out right (the check digit
// is determined, so it is one lookup per residue); a date is a sum over the days in its window;
// a phone number has no constraint between its digits, so it is a product per length.
enum ValidMass {
    static func personnummer(_ cells: [CellReading], policy: PersonnummerPolicy) -> Double {
        let p = cells.map { cell in (0...9).map(cell.probability(ofDigit:)) }
        // tail[s]: mass of NNNC (cells 9–12) completing a Luhn sum whose ÅÅMMDD part is ≡ s.
        var nnn = Array(repeating: 0.0, count: 10)
        for a in 0...9 { for b in 0...9 { for c in 0...9 {
            let s = luhn(a, 6) + b + luhn(c, 8)
            nnn[s % 10] += p[8][a] * p[9][b] * p[10][c]
        } } }
        let tail = (0...9).map { s in (0...9).reduce(0.0) { $0 + nnn[$1] * p[11][(10 - (s + $1) % 10) % 10] } }
        // days[length - 28][s]: mass of the day cells over a month of that length, DD completing
        // a Luhn sum whose ÅÅMM part is ≡ s; a samordningsnummer day is the same day + 60.
        let dayOffsets = policy.allowSamordningsnummer ? [0, 60] : [0]
        let days = (28...31).map { length in
            (0...9).map { s in
                dayOffsets.reduce(0.0) { sum, offset in
                    (1...length).reduce(sum) { sum, d in
                        let day = d + offset
                        return sum + p[6][day / 10] * p[7][day % 10] * tail[(s + luhn(day / 10, 4) + day % 10) % 10]
                    }
                }
            }
        }
        let bothEmpty = cells[0].empty * cells[1].empty
        var total = 0.0
        for year in policy.birthYearMin...policy.birthYearMax {
            let (y1, y2) = (year / 10 % 10, year % 10)
            var short = 0.0  // ÅÅMMDDNNNC for this year, shared by both layouts
            for month in 1...12 {
                let (m1, m2) = (month / 10, month % 10)
                let luhnSoFar = (luhn(y1, 0) + y2 + luhn(m1, 2) + m2) % 10
                short += p[2][y1] * p[3][y2] * p[4][m1] * p[5][m2]
                    * days[CalendarDate.daysInMonth(month, year: year) - 28][luhnSoFar]
            }
            let century = p[0][year / 1000] * p[1][year / 100 % 10]
            total += short * (century + (policy.year(forTwoDigits: year % 100) == year ? bothEmpty : 0))
        }
        return total
    }

    static func date(_ cells: [CellReading], _ rule: DateField) -> Double {
        let p = cells.map { cell in (0...9).map(cell.probability(ofDigit:)) }
        guard rule.notBefore <= rule.notAfter else { return 0 }
        var total = 0.0
        for year in rule.notBefore.year...rule.notAfter.year {
            let yearMass = p[0][year / 1000] * p[1][year / 100 % 10] * p[2][year / 10 % 10] * p[3][year % 10]
            for month in 1...12 {
                let monthMass = yearMass * p[4][month / 10] * p[5][month % 10]
                for day in 1...CalendarDate.daysInMonth(month, year: year) {
                    let date = CalendarDate(year: year, month: month, day: day)!
                    guard rule.notBefore <= date, date <= rule.notAfter else { continue }
                    total += monthMass * p[6][day / 10] * p[7][day % 10]
                }
            }
        }
        return total
    }

    static func phone(_ cells: [CellReading]) -> Double {
        let allEmpty = cells.reduce(1.0) { $0 * $1.empty }
        return PhoneField.lengths.reduce(allEmpty) { total, n in
            let restEmpty = cells[n...].reduce(1.0) { $0 * $1.empty }
            let written = cells[1..<n].reduce(cells[0].probability(ofDigit: 0)) { $0 * (1 - $1.empty) }
            return total + written * restEmpty
        }
    }

    private static func luhn(_ digit: Int, _ position: Int) -> Int {
        Personnummer.luhnTerm(digit, position: position)
    }
}
