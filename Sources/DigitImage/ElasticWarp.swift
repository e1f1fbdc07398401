// Elastic distortion: a smooth random displacement field added to the source coordinates.
//
// Why: an affine map bends every stroke the same way, but hands wobble locally — a loop comes
// out fatter, a stem curves. Simard et al. (2003) showed this is the augmentation that matters
// most for handwritten digits. They smooth per-pixel noise with a Gaussian; a coarse grid of
// random displacements (spacing ~ the Gaussian's width) interpolated bilinearly gives the same
// kind of field for the cost of a handful of random draws instead of a convolution. The grid
// lies on the canvas, so along a canvas row the field is one linear piece per grid cell and
// costs the renderer two multiply-adds per pixel; the displacements are in source pixels.
import BlankettSupport

struct ElasticField {
    let spacing: Float
    private let columns: Int, rows: Int
    /// Interleaved (dx, dy) per grid node, row-major; node (i, j) sits at canvas (i, j) * spacing.
    private let nodes: [Float]
    /// Bilinear interpolation never exceeds the largest node, so this bounds the displacement.
    let maxDisplacement: Float

    /// A field over a `width` x `height` canvas, nodes `spacing` canvas pixels apart,
    /// displacements uniform in [-alpha, alpha] source pixels.
    init(width: Int, height: Int, spacing: Float, alpha: Float, using rng: inout SeededGenerator) {
        self.spacing = spacing
        columns = Int(Float(width) / spacing) + 2
        rows = Int(Float(height) / spacing) + 2
        nodes = (0..<(2 * columns * rows)).map { _ in rng.uniform(-alpha, alpha) }
        maxDisplacement = nodes.map { abs($0) }.max() ?? 0
    }

    /// The field along canvas row `y`, interpolated at every grid column: (dx, dy) per column,
    /// written to `out` (2 * columns values). A pixel at x then lies between columns
    /// Int(x / spacing) and the next.
    func row(_ y: Int, into out: UnsafeMutablePointer<Float>) {
        let g = Float(y) / spacing
        let iy = min(Int(g), rows - 2)
        let v = g - Float(iy)
        nodes.withUnsafeBufferPointer { n in
            let above = n.baseAddress! + 2 * iy * columns, below = above + 2 * columns
            for i in 0..<(2 * columns) { out[i] = above[i] + v * (below[i] - above[i]) }
        }
    }

    var rowLength: Int { 2 * columns }
}
