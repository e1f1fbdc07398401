// The harsh scanner profile: pages as they come back from a mailing campaign and an old office
// feeder, where the normal profile's careful operator is missing.
//
// What it adds, each drawn from its own range (ScanRanges) and recorded in the truth's scan:
// - rotation up to ±5° on every page, and shifts that let up to two registration marks be cut
//   by or fall off the scan's edge (the harsh pages: 26 % lost two of four marks);
// - a shadow band along one edge of the scan (the lid not closed over a thick letter, or the
//   fold of the envelope), often lying over a mark: the paper's light falls to 45–75 % at the
//   edge and rises again over the band's inner third;
// - a fold crease of the letter folded in three: a thin dark line with a soft shadow beside it;
// - holes punched for a binder along the sheet's left edge, most often dark (the lid stood open
//   over a thick letter, as the shadow band's does, or a feeder's black backing shows): discs of
//   a mark's size, two of them (ISO 838's four-hole punch) in the TL and BL marks' windows;
// - 200 dpi, half the pages bilevel; a bilevel scanner's band stays above its threshold (the
//   depth is capped so that the shadowed paper keeps 0.1 of the paper's level above it), as
//   the adaptive thresholds of office feeders make it, or the page would be a black bar;
// - pencil on a third of the pages: light grey (95–135 on a 255 paper) and thin, so strokes
//   break up where the pressure was light.
// Why a multiplicative light factor: a shadow or crease takes light from the paper, so the
// paper darkens in proportion and black toner stays black; a mark in a band is still the
// darkest thing there, which is what the reader must see.
import BlankettSupport
import Foundation

public enum ScannerProfile: String, CaseIterable, Sendable {
    case normal, harsh

    public var ranges: ScanRanges {
        switch self {
        case .normal: ScanRanges()
        case .harsh: ScanRanges.harsh
        }
    }
}

extension ScanRanges {
    public static var harsh: ScanRanges {
        var r = ScanRanges()
        r.dpis = [200]
        r.rotation = 5
        r.wideRotationShare = 0
        r.shift = 13
        r.bilevelShare = 0.5
        r.marksKept = 2
        r.shadowShare = 0.5
        r.creaseShare = 0.5
        r.holeShare = 0.3
        r.pencilShare = 0.33
        return r
    }
}

/// A shadow band along one edge of the scan frame.
public struct EdgeShadow: Codable, Sendable, Equatable {
    /// "left", "right", "top" or "bottom".
    public var edge: String
    public var widthMm: Double
    /// The share of the paper's light lost at the edge.
    public var depth: Double

    static func draw(paper: Int, threshold: Int?, using rng: inout SeededGenerator) -> EdgeShadow {
        let edge = rng.pick(["left", "right", "top", "bottom"])
        let width = rounded(rng.between(10, 30), 1)
        let shadow = EdgeShadow(edge: edge, widthMm: width, depth: rng.between(0.25, 0.55))
        return shadow.capped(paper: paper, threshold: threshold)
    }

    /// The band no deeper than keeps its paper 0.1 of the paper's level above a bilevel threshold.
    func capped(paper: Int, threshold: Int?) -> EdgeShadow {
        var out = self
        if let threshold { out.depth = min(depth, 1 - (Double(threshold) / Double(paper) + 0.1)) }
        out.depth = rounded(max(out.depth, 0), 3)
        return out
    }

    /// The light factor at scan position (x, y) mm in a frame of `w` x `h` mm.
    func light(_ x: Double, _ y: Double, w: Double, h: Double) -> Float {
        let d = switch edge {
        case "left": x
        case "right": w - x
        case "top": y
        default: h - y
        }
        guard d < widthMm else { return 1 }
        let rise = 2 * widthMm / 3
        let ramp = d <= rise ? 1 : 0.5 + 0.5 * cos(.pi * (d - rise) / (widthMm - rise))
        return Float(1 - depth * ramp)
    }
}

/// A fold crease across the page: where it lies on the page (mm from the top, or from the
/// left when vertical), its dark line and the soft shadow on one side.
public struct Crease: Codable, Sendable, Equatable {
    public var atMm: Double
    public var vertical: Bool
    public var widthMm: Double
    public var depth: Double

    static func draw(pageW: Double, pageH: Double, using rng: inout SeededGenerator) -> Crease {
        let vertical = rng.chance(0.2)
        let at = vertical ? pageW / 2 : pageH * (rng.chance(0.5) ? 1.0 / 3 : 2.0 / 3)
        return Crease(atMm: rounded(at + rng.between(-4, 4), 2), vertical: vertical,
                      widthMm: rounded(rng.between(0.4, 1.0), 2), depth: rounded(rng.between(0.1, 0.3), 3))
    }

    /// The light factor at page position (x, y) mm.
    func light(_ x: Double, _ y: Double) -> Float {
        let d = (vertical ? x : y) - atMm
        let line = abs(d) < widthMm / 2 ? depth : 0
        let shadow = d > 0 && d < 4 ? depth / 3 * (1 - d / 4) : 0
        return Float(1 - max(line, shadow))
    }
}

/// Holes punched for a binder along the sheet's left edge, with what the scanner sees through them.
public struct PunchedHoles: Codable, Sendable, Equatable {
    /// Each hole's centre on the page, mm from its left and top edges.
    public var centersMm: [[Double]]
    public var diameterMm: Double
    /// The grey level seen through the holes: dark under an open lid or before a black backing,
    /// paper-light under a closed white lid.
    public var lid: Int

    /// Where the punches put the holes, as offsets from the edge's middle: ISO 838's two holes
    /// 80 mm apart and its four, and the Swedish archive punch (21, 70 and 21 mm apart).
    static let systems: [[Double]] = [[-40, 40], [-120, -40, 40, 120], [-56, -35, 35, 56]]

    public static func draw(pageH: Double, using rng: inout SeededGenerator) -> PunchedHoles {
        let offsets = rng.pick(systems)
        let inset = rng.between(10.5, 13.5), along = pageH / 2 + rng.between(-2, 2)
        let lid = rng.chance(0.7) ? 15 + rng.below(40) : 235 + rng.below(20)
        return PunchedHoles(centersMm: offsets.map { [rounded(inset, 2), rounded(along + $0, 2)] },
                            diameterMm: rounded(rng.between(5.5, 6.5), 2), lid: lid)
    }

    /// The share of page position (x, y) mm that is hole, over a soft edge a tenth of a mm wide.
    public func coverage(_ x: Double, _ y: Double) -> Float {
        let r = diameterMm / 2
        guard let first = centersMm.first, abs(x - first[0]) < r + 0.05 else { return 0 }
        // Lazily: the renderer asks for every pixel of the holes' band.
        let d = centersMm.lazy.map { hypot(x - $0[0], y - $0[1]) }.min() ?? .infinity
        return Float(min(max((r + 0.05 - d) / 0.1, 0), 1))
    }
}

extension ScanSettings {
    /// A bilevel scanner set so light that a pencil of `tone` vanishes shows nothing anyone could
    /// read, a person included; the operator turns it darker, as the adaptive thresholds of office
    /// feeders do, and the shadow band stays above the new threshold.
    mutating func showPencil(tone: UInt8) {
        guard let current = threshold else { return }
        threshold = max(current, Int(tone) + 30)
        shadow = shadow?.capped(paper: paper, threshold: threshold)
    }
}
