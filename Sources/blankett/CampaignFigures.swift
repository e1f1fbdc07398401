// The register's own figures for the benchmark: its size, its memory and the time to load it.
import Bench
import ConvNet
import FieldRules
import FormReader
import FormTemplate
import Foundation

extension CampaignFigures {
    /// Loads the register once more, on its own, to time it and weigh it.
    static func measure(register path: String, template: FormTemplate, options: ReaderOptions) throws -> CampaignFigures {
        let start = ContinuousClock.now
        let loaded = try MailingRegister.load(path, policy: template.personnummerPolicy)
        let ms = (ContinuousClock.now - start).seconds * 1000
        return CampaignFigures(mailingDate: options.mailingDate, members: loaded.register.count,
                               megabytes: Double(loaded.register.bytes) / 1e6, loadMs: ms, share: options.registerPrior)
    }
}
