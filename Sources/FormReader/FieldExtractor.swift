// From a registered page to what the network and the presence curves take: every comb cell cut
// with a margin, its grey lines erased, its ink normalised exactly as the trainer does; every
// check box and the signature reduced to an ink area.
//
// Why apart from FormReader: the trainer cuts cells out of synthetic scans through this same
// code, so the network learns from precisely what the reader will give it.
import DigitImage
import FormTemplate
import PageImage

public struct FieldExtractor: Sendable {
    let template: FormTemplate
    let marks: [RegistrationMark]
    /// A cell is cut with this margin (mm): digits spill over the lines, and the normaliser's
    /// edge rules were tuned on crops of a cell plus 1–2 mm.
    static let cellMarginMM = 1.5

    public init(template: FormTemplate) {
        self.template = template
        marks = template.registrationMarks.map {
            RegistrationMark(name: $0.name, centerMM: ($0.center[0], $0.center[1]), sizeMM: $0.size)
        }
    }

    /// `content`: the blank's print, to fall back on when too few marks are seen.
    func register(_ page: GrayImage, content: ContentReference? = nil) throws -> Registration {
        try Registrar.register(page, marks: marks, pageWidthMM: template.page.widthMm, pageHeightMM: template.page.heightMm,
                               content: content)
    }

    func crops(_ page: GrayImage, _ registration: Registration) -> Crops {
        Crops(page: page, transform: registration.transform, template: template)
    }

    struct Extracted {
        /// Per digit field, per cell: the normalised digit (nil when nothing was found) and P(empty).
        var digits: [String: [(digit: [Float]?, empty: Double)]] = [:]
        /// Per check-box option or signature: P(marked / present).
        var presence: [String: [Double]] = [:]
        var cellImages: [String: [GrayImage]] = [:]
    }

    func extract(_ crops: Crops, keepCellImages: Bool) -> Extracted {
        var out = Extracted()
        for field in template.fields {
            switch field.kind {
            case .digits:
                out.digits[field.name] = (field.cells ?? []).map { cell in
                    let box = crops.box(cell, margin: Self.cellMarginMM)
                    if keepCellImages { out.cellImages[field.name, default: []].append(box.ink.grey) }
                    guard let digit = DigitNormalizer.normalize(box.ink, cell: box.inner) else {
                        // No stroke, but as much faint ink as a digit leaves (a light pencil) is
                        // not a certain blank: the cell stays in doubt, for a person to look at.
                        let faint = InkMap.area(box.ink, inner: box.inner, pixelsPerMM: box.pixelsPerMM, level: DigitNormalizer.reach)
                        return (nil, 1 - Presence.digit.probability(area: faint))
                    }
                    let area = InkMap.area(box.ink, inner: box.inner, pixelsPerMM: box.pixelsPerMM)
                    return (digit, 1 - Presence.digit.probability(area: area))
                }
            case .choice:
                out.presence[field.name] = (field.options ?? []).map { option in
                    let box = crops.box(option.box, margin: 1)
                    return Presence.checkMark.probability(area: InkMap.area(box.ink, inner: box.inner, pixelsPerMM: box.pixelsPerMM))
                }
            case .signature:
                // A signature needs no detail: 6 px/mm keeps the 130 × 28 mm box cheap.
                let box = crops.box(field.box ?? [], margin: 1, pixelsPerMM: 6)
                out.presence[field.name] = [Presence.signature.probability(area: InkMap.area(box.ink, inner: box.inner, pixelsPerMM: 6))]
            }
        }
        return out
    }

    /// The network's input for every cell of every digit field of a scan (nil where the cell
    /// holds no ink), for training on cells cut exactly as the reader cuts them.
    public func digitInputs(of page: GrayImage) throws -> [String: [[Float]?]] {
        extract(crops(page, try register(page)), keepCellImages: false).digits.mapValues { $0.map(\.digit) }
    }
}
