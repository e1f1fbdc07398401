// Registration: where the template's millimetres lie on a scanned page, found from the form's
// solid square registration marks.
//
// Algorithm. Each mark is searched for in a window 40 mm around where the template puts it
// (scaled to the image by its size in pixels over the page's size in mm), under both
// orientations: upright, and turned by 180°, where the mark at (x, y) lands at
// (W - x, H - y). On PM 7001 both orientations search the same four corner windows, which
// together are about a fifth of the page; each is reduced 4x and searched by MarkFinder once.
// The orientation whose pairing makes the found sizes proportional to the template sizes wins
// (PM 7001's top-left mark is 9 mm, the others 6 mm, so pairing them the wrong way round
// spreads their size ratios by a factor of 1.5 or more), which also works with any one mark
// missing. An affine map is fitted by least squares to the found centres (three suffice), and
// then must look like a sheet of paper: each mark within 1.5 mm of where the others put it, the
// axes scaled alike within 5 % and square within 3°, a skew within 15°, and marks of the
// template's size at the map's scale. Fewer than three marks is `blank_page` when the page
// has almost no ink at all (InkCoverage, paid only on this failure path) and
// `no_registration_marks` otherwise; marks that fail the checks are `registration_inconsistent`.
//
// Why marks and not page edges or text: the page edge is often cut off or lost against a white
// scanner lid, while the marks are printed with the form, so they carry its true position,
// scale and orientation. Why the image is never turned: the transform maps template
// millimetres onto the page as scanned, and each crop is sampled through it (Sampling.swift),
// so an upside-down or skewed page costs nothing extra.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlankettSupport

public struct RegistrationMark: Sendable {
    public let name: String
    public let centerMM: (x: Double, y: Double)  // template mm, origin top-left, y down
    public let sizeMM: Double                    // side of the solid square

    public init(name: String, centerMM: (x: Double, y: Double), sizeMM: Double) {
        self.name = name
        self.centerMM = centerMM
        self.sizeMM = sizeMM
    }
}

public enum Orientation: String, Sendable {
    case upright
    case upsideDown = "upside_down"
}

public struct Registration: Sendable {
    public let transform: PageTransform
    public let dpi: Double
    /// Rotation of the page content after any 180° turn is taken out, in degrees, positive
    /// clockwise as seen on screen.
    public let skewDegrees: Double
    public let orientation: Orientation
    public let marksFound: Int
    /// Largest distance, in template mm, between a found mark centre and where the other found
    /// marks put it (0 when exactly three were found, which fix an affine map exactly).
    public let residualMM: Double
}

public enum Registrar {
    static let searchRadiusMM = 40.0
    static let maxResidualMM = 1.5
    static let maxAxisScaleDifference = 0.05
    static let maxShearDegrees = 3.0
    static let maxSkewDegrees = 15.0
    /// Found marks may differ from the template's proportions by this factor (blur, toner).
    static let sizeTolerance = 1.25

    public static func register(_ image: GrayImage, marks: [RegistrationMark],
                                pageWidthMM: Double, pageHeightMM: Double) throws -> Registration {
        guard marks.count >= 3, marks.allSatisfy({ $0.sizeMM > 0 }), pageWidthMM > 0, pageHeightMM > 0 else {
            throw BlankettError("invalid_template", "registration needs at least three marks and a page size")
        }
        let estimate = (Double(image.width) / pageWidthMM * Double(image.height) / pageHeightMM).squareRoot()
        let sizes = marks.map(\.sizeMM)
        let sides = (0.5 * sizes.min()! * estimate)...(1.5 * sizes.max()! * estimate)
        var searched: [PixelRect: FoundMark?] = [:]

        func search(_ mark: RegistrationMark, _ orientation: Orientation) -> FoundMark? {
            var (x, y) = (mark.centerMM.x / pageWidthMM, mark.centerMM.y / pageHeightMM)
            if orientation == .upsideDown { (x, y) = (1 - x, 1 - y) }
            let (u, v, r) = (x * Double(image.width), y * Double(image.height), searchRadiusMM * estimate)
            let window = PixelRect(x0: Int(u - r), y0: Int(v - r), x1: Int(u + r), y1: Int(v + r))
                .clipped(width: image.width, height: image.height)
            if let known = searched[window] { return known }
            let found = window.isEmpty ? nil : MarkFinder.find(in: image, window: window, sides: sides)
            searched[window] = found
            return found
        }

        let readings = [Orientation.upright, .upsideDown].map { orientation in
            Hypothesis(orientation: orientation, pairs: marks.compactMap { mark in
                search(mark, orientation).map { (mark, $0) }
            })
        }
        let hypotheses = readings.filter { $0.pairs.count >= 3 }
        guard var best = hypotheses.first else {
            let found = readings.map(\.pairs.count).max()!
            if InkCoverage.share(image) < InkCoverage.blankShare {
                throw BlankettError("blank_page", "the page has almost no ink")
            }
            throw BlankettError("no_registration_marks",
                                "found \(found) of the \(marks.count) registration marks; at least 3 are needed")
        }
        // The upside-down reading must be clearly better: with equal-sized marks it cannot be.
        if let turned = hypotheses.dropFirst().first, turned.sizeSpread < best.sizeSpread - 0.1 { best = turned }
        return try best.registration()
    }

    private struct Hypothesis {
        let orientation: Orientation
        let pairs: [(mark: RegistrationMark, found: FoundMark)]

        /// Spread of log(found side / template side): 0 when sizes follow the template exactly.
        var sizeSpread: Double {
            let ratios = pairs.map { log($0.found.side / $0.mark.sizeMM) }
            return ratios.max()! - ratios.min()!
        }

        /// The largest distance (pixels) between a found mark and where the others put it. A
        /// plain least-squares residual would hide a misplaced corner: with four marks the fit
        /// spreads its error over all four, a quarter each.
        func leaveOneOutError() -> Double {
            guard pairs.count > 3 else { return 0 }
            return pairs.indices.map { i in
                let others = pairs.indices.filter { $0 != i }.map { pairs[$0] }
                guard let fit = PageTransform.fit(mm: others.map(\.mark.centerMM),
                                                  pixels: others.map { ($0.found.x, $0.found.y) }) else { return .infinity }
                let p = fit.pixel(x: pairs[i].mark.centerMM.x, y: pairs[i].mark.centerMM.y)
                return hypot(p.x - pairs[i].found.x, p.y - pairs[i].found.y)
            }.max()!
        }

        func registration() throws -> Registration {
            func inconsistent(_ why: String) -> BlankettError {
                BlankettError("registration_inconsistent", "\(pairs.count) marks found, but \(why)")
            }
            guard sizeSpread <= log(sizeTolerance) else {
                throw inconsistent("their sizes do not follow the template (a mirrored page or another form?)")
            }
            guard let transform = PageTransform.fit(mm: pairs.map(\.mark.centerMM),
                                                    pixels: pairs.map { ($0.found.x, $0.found.y) }) else {
                throw inconsistent("they lie on one line")
            }
            let scale = transform.pixelsPerMM
            let residual = leaveOneOutError() / scale
            guard residual <= maxResidualMM else {
                throw inconsistent("they are up to \(rounded(residual)) mm off the template's geometry")
            }
            let axes = transform.axisScales
            guard abs(axes.x / axes.y - 1) <= maxAxisScaleDifference else {
                throw inconsistent("the page would be scaled \(rounded(axes.x / axes.y)) times more across than down")
            }
            let turn = orientation == .upright ? 0.0 : 180.0
            let angles = transform.axisAngles
            let (ax, ay) = (wrapped(angles.x - turn), wrapped(angles.y - turn))
            guard abs(wrapped(ax - ay)) <= maxShearDegrees else {
                throw inconsistent("the page would be sheared or mirrored by \(rounded(wrapped(ax - ay)))°")
            }
            let skew = (ax + ay) / 2
            guard abs(skew) <= maxSkewDegrees else { throw inconsistent("the page would be turned by \(rounded(skew))°") }
            let meanSide = exp(pairs.map { log($0.found.side / $0.mark.sizeMM) }.reduce(0, +) / Double(pairs.count))
            guard abs(log(meanSide / scale)) <= log(sizeTolerance) else {
                throw inconsistent("they are \(rounded(meanSide / scale)) times the template's size at their spacing")
            }
            return Registration(transform: transform, dpi: scale * 25.4, skewDegrees: skew, orientation: orientation,
                                marksFound: pairs.count, residualMM: residual)
        }
    }

    private static func wrapped(_ degrees: Double) -> Double {
        let d = degrees.truncatingRemainder(dividingBy: 360)
        return d > 180 ? d - 360 : (d <= -180 ? d + 360 : d)
    }

    private static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
