// Files that arrive named .png but cannot be read as one: a PNG cut off in transfer, a scan the
// scanner saved as JPEG, and a text file (an e-mail body saved under the scan's name).
//
// Why a real JPEG and not a few magic bytes: the reader must refuse it by its signature, but a
// person opening the file should see what it is, a (grey, page-sized) JPEG picture. The JPEG is
// written by hand: baseline, one grey component, every 8 × 8 block the same flat grey, so the
// entropy-coded data is one DC value and then "no change, end of block" for every block, and
// Huffman tables with two symbols each suffice.
import BlankettSupport

enum BrokenFiles {
    /// The PNG cut between 30 % and 90 % of its length: past the header, inside the image data.
    static func truncated(_ png: [UInt8], using rng: inout SeededGenerator) -> [UInt8] {
        Array(png.prefix(Int(Double(png.count) * rng.between(0.3, 0.9))))
    }

    static func text(using rng: inout SeededGenerator) -> [UInt8] {
        let bodies = [
            "Hej!\n\nHär kommer min ansökan om premiepension. Skannern sparade den visst som text.\n\nMed vänlig hälsning\n",
            "Scan failed: paper jam in automatic document feeder (code 0x2B). Please rescan.\n",
            "From: skanner@example.se\nSubject: Skannat dokument\n\nDokumentet bifogas.\n",
        ]
        return Array(rng.pick(bodies).utf8)
    }

    /// A flat grey JPEG of `width` × `height` pixels at level `gray`.
    static func jpeg(width: Int, height: Int, gray: Int) -> [UInt8] {
        var out: [UInt8] = [0xFF, 0xD8]  // SOI
        func segment(_ marker: UInt8, _ body: [UInt8]) {
            out += [0xFF, marker, UInt8((body.count + 2) >> 8), UInt8((body.count + 2) & 0xFF)] + body
        }
        segment(0xE0, Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
        segment(0xDB, [0] + [UInt8](repeating: 1, count: 64))  // quantisation: all ones
        segment(0xC0, [8, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF), 1, 1, 0x11, 0])
        // Level shift: a flat block at `gray` has DC coefficient 8 · (gray − 128), coded as its
        // bit length (the "category") followed by that many bits.
        let dc = 8 * (min(max(gray, 0), 255) - 128)
        let category = dc == 0 ? 0 : Int.bitWidth - abs(dc).leadingZeroBitCount
        // DC table: symbol 0 (no change) = "0", symbol `category` = "10".
        segment(0xC4, [0x00, 1, 1] + [UInt8](repeating: 0, count: 14) + [0, UInt8(max(category, 1))])
        // AC table: symbol 0x00 (end of block) = "0", with one unused symbol for a valid tree.
        segment(0xC4, [0x10, 1, 1] + [UInt8](repeating: 0, count: 14) + [0x00, 0x01])
        segment(0xDA, [1, 1, 0x00, 0, 63, 0])

        var bits: [Bool] = category == 0 ? [false] : [true, false]
        let magnitude = dc >= 0 ? dc : dc + (1 << category) - 1  // negatives in one's complement
        bits += (0..<category).reversed().map { magnitude >> $0 & 1 == 1 }
        bits.append(false)  // end of block
        let blocks = ((width + 7) / 8) * ((height + 7) / 8)
        bits += repeatElement(false, count: 2 * (blocks - 1))  // DC unchanged, end of block
        while bits.count % 8 != 0 { bits.append(true) }  // pad with ones
        for i in stride(from: 0, to: bits.count, by: 8) {
            let byte = bits[i..<i + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
            out.append(byte)
            if byte == 0xFF { out.append(0) }  // byte stuffing
        }
        return out + [0xFF, 0xD9]  // EOI
    }
}
