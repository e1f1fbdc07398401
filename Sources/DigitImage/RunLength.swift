// The length of a straight run of ink through a pixel, the test that tells a printed line (or
// its remnant) from a pen stroke: a line is a long thin run one way and a short one across, a
// stroke crossing it is thick across. Counting stops one past `cap`, since every caller only
// asks whether a run is longer than its cap, and a grey scan asks this for every line pixel.

public enum RunLength {
    /// Pixels in the run through (x, y) along (dx, dy), both ways, where `isInk(index)` holds for
    /// the pixel at `index` = v · width + u of a width × height image; at most cap + 1.
    @inlinable @inline(__always)
    public static func through(_ x: Int, _ y: Int, _ dx: Int, _ dy: Int, width: Int, height: Int, cap: Int,
                               isInk: (Int) -> Bool) -> Int {
        var length = 1
        for sign in stride(from: -1, through: 1, by: 2) {
            var (u, v) = (x + sign * dx, y + sign * dy)
            while length <= cap, u >= 0, u < width, v >= 0, v < height, isInk(v * width + u) {
                length += 1
                u += sign * dx; v += sign * dy
            }
        }
        return length
    }
}
