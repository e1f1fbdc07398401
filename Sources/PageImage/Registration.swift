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
// template's size at the map's scale. With only two marks found, their similarity (scale,
// rotation, shift) predicts the others, and one cut by the image border is fitted from its
// visible part (MarkFinder.fitClipped). Still fewer than three marks is `blank_page` when the
// page has almost no ink at all (InkCoverage, paid only on this failure path); otherwise the
// page is registered from its printed content against the bundled blank (ContentRegistration,
// also only on this path), and `no_registration_marks` when that does not match either; marks
// that fail the checks are `registration_inconsistent`.
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
    /// What fixed the transform: the registration marks (some perhaps clipped by the image
    /// border), or the printed content matched against the blank when too few marks were seen.
    public enum Method: String, Sendable { case marks, content }

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
    public let method: Method
}

public enum Registrar {
    static let searchRadiusMM = 40.0
    static let maxResidualMM = 1.5
    static let maxAxisScaleDifference = 0.05
    static let maxShearDegrees = 3.0
    static let maxSkewDegrees = 15.0
    /// Found marks may differ from the template's proportions by this factor (blur, toner).
    static let sizeTolerance = 1.25

    /// `content`: the blank's printed content, to register from when too few marks are seen.
    public static func register(_ image: GrayImage, marks: [RegistrationMark],
                                pageWidthMM: Double, pageHeightMM: Double, content: ContentReference? = nil) throws -> Registration {
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
        if let registration = try best(of: readings.filter { $0.pairs.count >= 3 }, consistent: false) {
            return registration
        }
        let completed = readings.filter { $0.pairs.count == 2 && $0.sizeSpread <= log(sizeTolerance) }
            .map { $0.withClippedMarks(image, marks: marks) }.filter { $0.pairs.count >= 3 }
        if let registration = try best(of: completed, consistent: true) { return registration }

        let found = readings.map(\.pairs.count).max()!
        if InkCoverage.share(image) < InkCoverage.blankShare {
            throw BlankettError("blank_page", "the page has almost no ink")
        }
        if let content, let registration = content.register(image, marksFound: found) { return registration }
        throw BlankettError("no_registration_marks",
                            "found \(found) of the \(marks.count) registration marks; at least 3 are needed"
                                + (content == nil ? "" : ", and the printed content does not match the blank"))
    }

    /// The upright reading unless the upside-down one is clearly better: with equal-sized marks
    /// it cannot be. `consistent`: nil rather than an error when the marks fail the checks, for
    /// readings that other evidence may still replace.
    private static func best(of hypotheses: [Hypothesis], consistent: Bool) throws -> Registration? {
        guard var best = hypotheses.first else { return nil }
        if let turned = hypotheses.dropFirst().first, turned.sizeSpread < best.sizeSpread - 0.1 { best = turned }
        return consistent ? try? best.registration() : try best.registration()
    }

    private struct Hypothesis {
        let orientation: Orientation
        var pairs: [(mark: RegistrationMark, found: FoundMark)]

        /// Two marks fix a similarity, which says where the others lie; those cut by the image
        /// border are fitted there from their visible part, with the side the similarity gives.
        func withClippedMarks(_ image: GrayImage, marks: [RegistrationMark]) -> Hypothesis {
            let (p, q) = (pairs[0], pairs[1])
            let (mx, my) = (q.mark.centerMM.x - p.mark.centerMM.x, q.mark.centerMM.y - p.mark.centerMM.y)
            let (ux, uy) = (q.found.x - p.found.x, q.found.y - p.found.y)
            // The complex ratio (u / m): scale times rotation, mm to pixels.
            let norm = mx * mx + my * my
            let (re, im) = ((ux * mx + uy * my) / norm, (uy * mx - ux * my) / norm)
            let (scale, angle) = (hypot(re, im), atan2(im, re))
            var completed = self
            for mark in marks where !pairs.contains(where: { $0.mark.name == mark.name }) {
                let (dx, dy) = (mark.centerMM.x - p.mark.centerMM.x, mark.centerMM.y - p.mark.centerMM.y)
                let predicted = (p.found.x + re * dx - im * dy, p.found.y + im * dx + re * dy)
                if let found = MarkFinder.fitClipped(in: image, predicted: predicted, side: mark.sizeMM * scale, angle: angle) {
                    completed.pairs.append((mark, found))
                }
            }
            return completed
        }

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
                                marksFound: pairs.count, residualMM: residual, method: .marks)
        }
    }

    private static func wrapped(_ degrees: Double) -> Double {
        let d = degrees.truncatingRemainder(dividingBy: 360)
        return d > 180 ? d - 360 : (d <= -180 ? d + 360 : d)
    }

    private static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
