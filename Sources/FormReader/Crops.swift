// Cutting template rectangles out of a registered page and turning them into ink maps: one cut
// per cell or box, resampled along the page transform, so skew, scale and an upside-down feed
// are undone for those pixels only and the page itself is never copied.
import DigitImage
import FormTemplate
import PageImage

struct Crops {
    let page: GrayImage
    let transform: PageTransform
    let lineHalfWidthMM: Double
    let lineWidthMM: Double
    let bilevel: Bool
    /// How much thicker than the printed line (blurred by the scan) a dark run across it must be
    /// to be a stroke: a ballpoint adds 0.3–0.5 mm where it runs along or across a line.
    static let strokeMarginMM = 0.3

    /// Crops are taken at the scan's own resolution, capped at 300 dpi: the network was trained on
    /// cells of 200–300 dpi, and finer sampling would only cost time.
    var pixelsPerMM: Double { min(transform.pixelsPerMM, 300 / 25.4) }

    init(page: GrayImage, transform: PageTransform, template: FormTemplate) {
        self.page = page
        self.transform = transform
        // Half the printed line plus what registration and printing may shift it by.
        lineWidthMM = template.ink.boxLineWidthMm
        lineHalfWidthMM = lineWidthMM / 2 + 0.3
        bilevel = InkMap.isBilevel(page)
    }

    /// The rectangle `rect` (x, y, w, h in mm) with `margin` mm around it, its own border lines
    /// erased, and where the rectangle itself lies in the crop (pixels).
    func box(_ rect: [Double], margin: Double, pixelsPerMM ppm: Double? = nil)
        -> (ink: InkImage, inner: (x0: Int, y0: Int, x1: Int, y1: Int), pixelsPerMM: Double) {
        let ppm = ppm ?? pixelsPerMM
        let crop = page.sample(region: (rect[0] - margin, rect[1] - margin, rect[2] + 2 * margin, rect[3] + 2 * margin),
                               transform: transform, pixelsPerMM: ppm)
        let bands = LineBands(columns: [margin * ppm, (margin + rect[2]) * ppm],
                              rows: [margin * ppm, (margin + rect[3]) * ppm],
                              halfWidth: max(1, lineHalfWidthMM * ppm),
                              strokeRun: max(2, Int(((lineWidthMM + Self.strokeMarginMM) * ppm).rounded())))
        let ink = InkMap.make(crop, lines: bands, bilevel: bilevel)
        let inset = lineHalfWidthMM + 0.1
        let inner = (Int(((margin + inset) * ppm).rounded()), Int(((margin + inset) * ppm).rounded()),
                     Int(((margin + rect[2] - inset) * ppm).rounded()), Int(((margin + rect[3] - inset) * ppm).rounded()))
        return (ink, inner, ppm)
    }

    /// The grey pixels of a printed line (for Tesseract), at `pixelsPerMM`.
    func printed(_ bounds: [Double], pixelsPerMM ppm: Double) -> GrayImage {
        page.sample(region: (bounds[0], bounds[1], bounds[2], bounds[3]), transform: transform, pixelsPerMM: ppm)
    }
}
