// Everything the pages are made from, loaded once per run and shared read-only by all pages:
// the template, the empty blank at 300 dpi, and the MNIST digits to write, indexed by label.
//
// Why checked here: a missing field in the template or a blank of the wrong shape would
// otherwise surface as a crash or a silently wrong page deep inside a parallel run; here it is
// one clear error before the first page.
import BlankettSupport
import FieldRules
import Foundation
import FormTemplate
import MNIST
import PageImage

struct SynthResources: Sendable {
    let template: FormTemplate
    let blank: GrayImage
    let handwriting: Handwriting
    let policy: PersonnummerPolicy
    let personnummerCells: [[Double]]
    let telefonCells: [[Double]]
    let datumCells: [[Double]]
    let uttag: [FormTemplate.Option]
    let signatureBox: [Double]
    let campaign: SynthCampaign?

    init(_ options: SynthOptions, mailing: CalendarDate?) throws {
        template = try FormTemplate.load(options.templatePath)
        let blankPath = options.blankPath ?? FormTemplate.blankPath(beside: options.templatePath)
        blank = try PNGCodec.decode(path: blankPath)
        let expected = (template.page.widthMm * 300 / 25.4).rounded()
        guard abs(Double(blank.width) - expected) <= 2,
              abs(Double(blank.height) - (template.page.heightMm * 300 / 25.4).rounded()) <= 2 else {
            throw BlankettError("synth_blank_mismatch", "\(blankPath) is \(blank.width) × \(blank.height) pixels, not the template's page at 300 dpi")
        }
        let digits = try MNISTSet(directory: options.mnistDirectory, prefix: options.digits.prefix)
        let usable: Range<Int>
        switch options.digits {
        case .test: usable = 0..<digits.count
        case .train(let range): usable = range.clamped(to: 0..<digits.count)
        }
        handwriting = Handwriting(digits: digits, indices: usable)
        guard handwriting.byLabel.allSatisfy({ !$0.isEmpty }) else {
            throw BlankettError("synth_digits_missing", "MNIST '\(options.digits.prefix)' digits \(usable) in \(options.mnistDirectory) lack some digit")
        }
        policy = PersonnummerPolicy(birthYearMin: template.policy.birthYearMin, birthYearMax: template.policy.birthYearMax,
                                    allowSamordningsnummer: template.policy.allowSamordningsnummer)
        if let c = options.campaign, let mailing {
            let register = CampaignRegister(size: c.registerSize, samordningShare: options.mix.samordningsnummer, policy: policy, seed: options.seed)
            campaign = SynthCampaign(register: register, mailing: mailing, meanReplyDays: c.meanReplyDays)
        } else {
            campaign = nil
        }
        let template = self.template
        func field(_ name: String) throws -> FormTemplate.Field {
            guard let f = template.field(name) else {
                throw BlankettError("synth_template_unsupported", "template \(template.id) has no field \(name)")
            }
            return f
        }
        personnummerCells = try field("personnummer").cells ?? []
        telefonCells = try field("telefon").cells ?? []
        datumCells = try field("datum").cells ?? []
        uttag = try field("uttag").options ?? []
        signatureBox = try field("namnteckning").box ?? []
        guard personnummerCells.count == 12, telefonCells.count >= 10, datumCells.count == 8, uttag.count >= 2,
              signatureBox.count == 4 else {
            throw BlankettError("synth_template_unsupported",
                                "template \(template.id) does not have the PM 7001 layout (12 + 10 + 8 cells, check boxes, a signature box)")
        }
    }
}
