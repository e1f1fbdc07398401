// The paper's own level around every cell of a small grey map: a grey-level closing (a running
// maximum, then a running minimum, each separable and over a square of the given radius).
//
// Why a closing: a scanner-lid shadow or the fold of a mailed letter darkens the paper in a band
// many millimetres wide, so one paper level per window puts a mark in such a band on the wrong
// side of the ink threshold, merged with the band. The closing removes every dark feature
// narrower than its square (marks, glyphs, lines) and keeps the wide, slow ones (the band), so
// ink can be judged against the paper beside it: a mark in a band is still far darker than the
// band. Why van Herk / Gil-Werman: each running extremum costs three comparisons a cell
// whatever the radius, so the closing of a coarse map stays cheap even with radii of 20 cells.

enum LocalBackground {
    /// The closing of `values` (width x height, row-major): at each cell the smallest of the
    /// largest values over squares of side 2 radius + 1 that contain it.
    static func closing(_ values: [UInt8], width: Int, height: Int, radius: Int) -> [UInt8] {
        guard width > 0, height > 0, radius > 0 else { return values }
        var out = values
        running(&out, width: width, height: height, radius: radius, larger: true)
        running(&out, width: width, height: height, radius: radius, larger: false)
        return out
    }

    /// Running maximum (or minimum) over 2 radius + 1 cells along rows, then along columns.
    private static func running(_ values: inout [UInt8], width: Int, height: Int, radius: Int, larger: Bool) {
        var line = [UInt8](repeating: 0, count: max(width, height))
        for y in 0..<height {
            for x in 0..<width { line[x] = values[y * width + x] }
            extremum(&line, count: width, radius: radius, larger: larger)
            for x in 0..<width { values[y * width + x] = line[x] }
        }
        for x in 0..<width {
            for y in 0..<height { line[y] = values[y * width + x] }
            extremum(&line, count: height, radius: radius, larger: larger)
            for y in 0..<height { values[y * width + x] = line[y] }
        }
    }

    /// In place over the first `count` values; beyond the ends the window is cut short.
    private static func extremum(_ line: inout [UInt8], count n: Int, radius r: Int, larger: Bool) {
        let k = 2 * r + 1
        let pick: (UInt8, UInt8) -> UInt8 = larger ? { max($0, $1) } : { min($0, $1) }
        let identity: UInt8 = larger ? 0 : 255
        // Padded by r on both sides, in blocks of k: prefix and suffix extrema within each block.
        let m = n + 2 * r
        var padded = [UInt8](repeating: identity, count: m)
        for i in 0..<n { padded[i + r] = line[i] }
        var prefix = padded, suffix = padded
        for i in 0..<m where i % k != 0 { prefix[i] = pick(prefix[i - 1], padded[i]) }
        for i in stride(from: m - 2, through: 0, by: -1) where (i + 1) % k != 0 { suffix[i] = pick(suffix[i + 1], padded[i]) }
        for i in 0..<n { line[i] = pick(suffix[i], prefix[min(i + k - 1, m - 1)]) }
    }
}
