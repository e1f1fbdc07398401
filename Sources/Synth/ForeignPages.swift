// The pages that are not a PM 7001 application, drawn at 300 dpi like the filled blank:
//
// - another blank: the PM 7001 print with its registration marks and boxes, but the header
//   (the template's identify region) painted over with another form's number and title, so
//   only reading the header can tell it apart: marks and geometry alone would accept it;
// - another document: a letter or invoice with text and ruled lines but no registration marks;
// - a blank sheet: white paper with a few specks of dust, which the scan turns into noise.
import BlankettSupport
import FormTemplate
import PageImage

enum ForeignPages {
    /// Other forms with the same layout. Form number and title both differ from PM 7001's,
    /// so a reader that checks either one rejects the page.
    private static let headers = [
        ("PM 7002 UTGÅVA 1", "ANSÖKAN OM ÅLDERSPENSION", "FÖR DIG SOM VILL BÖRJA TA UT PENSION"),
        ("PM 7010 UTGÅVA 3", "ANMÄLAN OM ADRESSÄNDRING", "FÖR DIG SOM BOR UTOMLANDS"),
        ("FK 5012 UTGÅVA 4", "ANSÖKAN OM BOSTADSTILLÄGG", "FÖR DIG SOM HAR ALLMÄN PENSION"),
    ]

    static func replaceHeader(of canvas: inout PageCanvas, template: FormTemplate, using rng: inout SeededGenerator) {
        let r = template.identify.region
        canvas.erase(x: r[0], y: r[1], width: r[2], height: r[3])
        let (number, title, subtitle) = rng.pick(headers)
        BlockFont.draw("PENSIONSMYNDIGHETEN", x: r[0] + 4, y: r[1] + 2.5, size: 3.2, on: &canvas)
        BlockFont.draw(number, x: r[0] + r[2] - 4 - BlockFont.width(number, size: 2.4), y: r[1] + 2.8, size: 2.4, on: &canvas)
        BlockFont.draw(title, x: r[0] + 4, y: r[1] + 13.5, size: 5.6, on: &canvas)
        BlockFont.draw(subtitle, x: r[0] + 4, y: r[1] + 24.5, size: 2.8, on: &canvas)
    }

    private static let headings = ["FAKTURA", "KALLELSE TILL ÅRSSTÄMMA", "HYRESAVI", "BESKED OM SLUTLIG SKATT"]
    private static let words = [
        "OCH", "ATT", "DET", "SOM", "EN", "PÅ", "ÄR", "FÖR", "MED", "TILL", "AV", "DEN", "HAR", "VI", "KAN", "INTE",
        "OM", "BETALNING", "SENAST", "BELOPP", "KRONOR", "MEDLEM", "FÖRENINGEN", "ADRESS", "DATUM", "ÅRET",
        "STYRELSEN", "ENLIGT", "AVTAL", "KONTO", "PERIOD", "UPPGIFTER", "FRÅGOR", "KONTAKTA", "OSS", "GÄLLER",
    ]

    /// A white page with a heading, paragraphs of small capitals and a ruled table; the print
    /// keeps 10 mm from the edges, as office printers do.
    static func otherDocument(width: Int, height: Int, pageWidthMM: Double, using rng: inout SeededGenerator) -> GrayImage {
        var canvas = PageCanvas(GrayImage(width: width, height: height), pageWidthMM: pageWidthMM)
        let pageHeightMM = Double(height) / canvas.pixelsPerMM
        let margin = rng.between(18, 28)
        BlockFont.draw(rng.pick(headings), x: margin, y: rng.between(20, 35), size: 4.5, on: &canvas)
        var y = 55.0
        while y < pageHeightMM - 30 {
            if rng.chance(0.12) {  // a small table: grey rules and short entries
                let rows = 3 + rng.below(4)
                for row in 0..<rows {
                    let ry = y + Double(row) * 7
                    canvas.fill(x: margin, y: ry, width: 210 - 2 * margin, height: 0.25, tone: 110)
                    BlockFont.draw(rng.pick(words), x: margin + 2, y: ry + 2, size: 2.4, on: &canvas)
                    BlockFont.draw(String(100 + rng.below(9_900)), x: 150, y: ry + 2, size: 2.4, on: &canvas)
                }
                y += Double(rows) * 7 + 10
                continue
            }
            for _ in 0..<(2 + rng.below(5)) where y < pageHeightMM - 30 {
                var x = margin
                while true {
                    let word = rng.pick(words)
                    let w = BlockFont.width(word, size: 2.4)
                    if x + w > 210 - margin { break }
                    BlockFont.draw(word, x: x, y: y, size: 2.4, on: &canvas)
                    x += w + 1.8
                }
                y += 5
            }
            y += 6
        }
        return canvas.image
    }

    static func blankSheet(width: Int, height: Int, pageWidthMM: Double, using rng: inout SeededGenerator) -> GrayImage {
        var canvas = PageCanvas(GrayImage(width: width, height: height), pageWidthMM: pageWidthMM)
        let pageHeightMM = Double(height) / canvas.pixelsPerMM
        for _ in 0..<rng.below(4) {
            let (x, y, d) = (rng.between(5, pageWidthMM - 5), rng.between(5, pageHeightMM - 5), rng.between(0.15, 0.4))
            canvas.stroke([(x, y), (x + rng.normal(0.2), y + rng.normal(0.2))], width: d, tone: UInt8(60 + rng.below(120)))
        }
        return canvas.image
    }
}
