// How one page was scanned: resolution, placement on the glass, orientation, paper and sensor.
// Recorded verbatim in the truth file under "scan", in the units given here.
//
// Why these ranges: flatbeds and document feeders put an A4 page on the glass up to a few
// degrees crooked and a few millimetres off, scale the axes by up to a couple of per cent and
// shear slightly while feeding; about one sheet in twenty goes in upside down. Bilevel output is
// what many office feeders send by default. A folded or cut corner that takes a registration
// mark with it tests that registration works from three marks.
//
// Why the shift is pulled back when it would push a mark off the frame: an operator lines the
// sheet up with the glass, and a mark lost to a careless shift would make an ordinary page a
// different test case by accident. An A4 frame cannot hold all four marks of an A4 sheet turned
// by much over 3°, so a strongly turned page may lose one mark at the frame's edge (as a folded
// corner does), never two: registration always has three. `marksInFrame` records what the scan
// really shows.
import BlankettSupport
import FormTemplate

public struct ScanSettings: Codable, Sendable, Equatable {
    public var dpi: Int
    /// Positive clockwise on screen, after any 180° turn.
    public var rotationDeg: Double
    public var upsideDown: Bool
    public var bilevel: Bool
    /// Where the page centre lands relative to the scan centre, mm, x right and y down.
    public var shiftMm: [Double]
    /// Size on the scan over true size, both axes.
    public var scale: Double
    /// The page's vertical axis leans by this angle against the horizontal one.
    public var shearDeg: Double
    /// The registration mark whose corner is whited out, if any ("TL", "TR", "BL", "BR").
    public var clippedMark: String?
    /// The marks wholly inside the scan and not folded away (0.5 mm round each included).
    public var marksInFrame: [String]
    /// Grey level of the paper, and of the darkest ink (the scanner's black point).
    public var paper: Int
    public var black: Int
    /// Standard deviation of the sensor noise, grey levels.
    public var noise: Double
    /// Extra blur radius, in pixels of the 300 dpi page.
    public var blur: Double
    /// Grey level below which a bilevel scan is black; nil for greyscale.
    public var threshold: Int?
    /// The harsh profile's conditions (HarshScanner.swift), nil when absent.
    public var shadow: EdgeShadow?
    public var crease: Crease?
    public var holes: PunchedHoles?
    /// The applicant wrote in pencil.
    public var pencil: Bool?

    func geometry(pageW: Double, pageH: Double) -> ScanGeometry {
        ScanGeometry(pageW: pageW, pageH: pageH, rotationDeg: rotationDeg, shearDeg: shearDeg, scale: scale,
                     shift: (shiftMm[0], shiftMm[1]), upsideDown: upsideDown)
    }

    /// Every key is written, nil as null, so all records have the same shape; the harsh
    /// profile's conditions only where present, so that normal records stay as they were.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dpi, forKey: .dpi)
        try c.encode(rotationDeg, forKey: .rotationDeg)
        try c.encode(upsideDown, forKey: .upsideDown)
        try c.encode(bilevel, forKey: .bilevel)
        try c.encode(shiftMm, forKey: .shiftMm)
        try c.encode(scale, forKey: .scale)
        try c.encode(shearDeg, forKey: .shearDeg)
        try c.encode(clippedMark, forKey: .clippedMark)
        try c.encode(marksInFrame, forKey: .marksInFrame)
        try c.encode(paper, forKey: .paper)
        try c.encode(black, forKey: .black)
        try c.encode(noise, forKey: .noise)
        try c.encode(blur, forKey: .blur)
        try c.encode(threshold, forKey: .threshold)
        try c.encodeIfPresent(shadow, forKey: .shadow)
        try c.encodeIfPresent(crease, forKey: .crease)
        try c.encodeIfPresent(holes, forKey: .holes)
        try c.encodeIfPresent(pencil, forKey: .pencil)
    }

    /// `turn` is the page's turn in a coverEveryCase run (nil for random conditions); on its
    /// turns a page gets each rare condition for certain.
    /// `marks` are the registration marks printed on the page (none on a blank sheet or another
    /// document, which then get no folded corner either).
    static func draw(_ ranges: ScanRanges, template: FormTemplate, marks: [FormTemplate.Mark], turn: Int?,
                     using rng: inout SeededGenerator) -> ScanSettings {
        let wide = rng.chance(ranges.wideRotationShare)
        let maxRotation = wide ? ranges.wideRotation : ranges.rotation
        let upsideDown = turn.map { $0 % 7 == 3 } ?? rng.chance(ranges.upsideDownShare)
        let bilevel = turn.map { $0 % 3 == 1 } ?? rng.chance(ranges.bilevelShare)
        let clipped = turn.map { $0 % 9 == 5 } ?? rng.chance(ranges.clippedMarkShare)
        let paper = Int(rng.between(ranges.paperTone.lowerBound, ranges.paperTone.upperBound).rounded())
        var s = ScanSettings(
            dpi: turn.map { ranges.dpis[$0 % ranges.dpis.count] } ?? rng.pick(ranges.dpis),
            rotationDeg: rounded(rng.between(-maxRotation, maxRotation), 2),
            upsideDown: upsideDown, bilevel: bilevel,
            shiftMm: [rng.between(-ranges.shift, ranges.shift), rng.between(-ranges.shift, ranges.shift)],
            scale: rounded(1 + rng.between(-ranges.scale, ranges.scale), 4),
            shearDeg: rounded(rng.between(-ranges.shear, ranges.shear), 2),
            clippedMark: clipped && !marks.isEmpty ? rng.pick(marks).name : nil, marksInFrame: [],
            paper: paper, black: 8 + rng.below(25),
            noise: rounded(rng.between(ranges.noise.lowerBound, ranges.noise.upperBound), 1),
            blur: rounded(rng.between(ranges.blur.lowerBound, ranges.blur.upperBound), 2),
            threshold: nil)
        if bilevel { s.threshold = Int((Double(paper) * rng.between(0.55, 0.72)).rounded()) }
        if ranges.shadowShare > 0, rng.chance(ranges.shadowShare) {
            s.shadow = EdgeShadow.draw(paper: paper, threshold: s.threshold, using: &rng)
        }
        if ranges.creaseShare > 0, rng.chance(ranges.creaseShare) {
            s.crease = Crease.draw(pageW: template.page.widthMm, pageH: template.page.heightMm, using: &rng)
        }
        if ranges.holeShare > 0, rng.chance(ranges.holeShare) {
            s.holes = PunchedHoles.draw(pageH: template.page.heightMm, using: &rng)
        }

        if let kept = ranges.marksKept {
            s.place(marks, keeping: kept, template: template, nearestToDrawn: true)
        } else {
            s.place(marks, keeping: clipped || wide ? 3 : 4, template: template)
        }
        s.marksInFrame = s.visible(marks, template)
        return s
    }

    /// Lays the sheet on the glass as an operator would: the drawn shift pulled in just enough to
    /// keep `required` of the marks that are not folded away wholly inside the frame, preferring
    /// to keep all of them, and the sheet turned less (in half-degree steps) if no shift can.
    /// `nearestToDrawn`: a careless operator instead, who keeps the drawn shift whenever it
    /// leaves `required` marks, and otherwise moves the sheet the least that does.
    private mutating func place(_ marks: [FormTemplate.Mark], keeping required: Int, template: FormTemplate,
                                nearestToDrawn: Bool = false) {
        let (w, h) = (template.page.widthMm, template.page.heightMm)
        let candidates = marks.filter { $0.name != clippedMark }
        let needed = min(required, candidates.count)
        // Subsets of the marks as bit masks, the largest first.
        let subsets = (0..<(1 << candidates.count)).filter { $0.nonzeroBitCount >= needed }
            .sorted { ($0.nonzeroBitCount, -$0) > ($1.nonzeroBitCount, -$1) }
        let drawn = shiftMm
        while true {
            var centred = self
            centred.shiftMm = [0, 0]
            let g = centred.geometry(pageW: w, pageH: h)
            let boxes = candidates.map { g.corners($0.center[0], $0.center[1], size: $0.size, margin: 1) }
            if nearestToDrawn {
                let shifts = subsets.compactMap { mask -> [Double]? in
                    let corners = boxes.indices.filter { mask >> $0 & 1 == 1 }.flatMap { boxes[$0] }
                    guard let x = Self.pulledIn(drawn[0], corners.map(\.x), frame: w),
                          let y = Self.pulledIn(drawn[1], corners.map(\.y), frame: h) else { return nil }
                    return [x, y]
                }
                if let nearest = shifts.min(by: { Self.distance($0, drawn) < Self.distance($1, drawn) }) {
                    shiftMm = nearest.map { rounded($0, 2) }
                    return
                }
            }
            for mask in subsets {
                let corners = boxes.indices.filter { mask >> $0 & 1 == 1 }.flatMap { boxes[$0] }
                if let x = Self.pulledIn(drawn[0], corners.map(\.x), frame: w),
                   let y = Self.pulledIn(drawn[1], corners.map(\.y), frame: h) {
                    shiftMm = [rounded(x, 2), rounded(y, 2)]
                    return
                }
            }
            guard rotationDeg != 0 else {  // a template whose marks cannot fit at all: leave the draw
                shiftMm = drawn.map { rounded($0, 2) }
                return
            }
            rotationDeg = rounded(rotationDeg > 0 ? max(rotationDeg - 0.5, 0) : min(rotationDeg + 0.5, 0), 2)
        }
    }

    private static func distance(_ a: [Double], _ b: [Double]) -> Double { ((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1])).squareRoot() }

    /// The shift nearest to `shift` that keeps every coordinate in 0...frame; nil if none does.
    private static func pulledIn(_ shift: Double, _ coordinates: [Double], frame: Double) -> Double? {
        guard let first = coordinates.min(), let last = coordinates.max() else { return shift }
        return frame - last >= -first ? min(max(shift, -first), frame - last) : nil
    }

    private func visible(_ marks: [FormTemplate.Mark], _ template: FormTemplate) -> [String] {
        let (w, h) = (template.page.widthMm, template.page.heightMm)
        let g = geometry(pageW: w, pageH: h)
        return marks.filter { mark in
            mark.name != clippedMark
                && g.corners(mark.center[0], mark.center[1], size: mark.size, margin: 0.5)
                .allSatisfy { (0...w).contains($0.x) && (0...h).contains($0.y) }
        }.map(\.name)
    }
}
